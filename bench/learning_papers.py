"""Extract the papers of the learning evaluation's weeks from ../shared/data/hf-daily, for labelling.

    .venv/bin/python bench/learning_papers.py            # writes bench/data/learning/papers/*.jsonl

One line per paper, in the order the Daily Papers API listed them (file date, then list order):
{"id": arXiv id, "week": "2025-W26", "date": "2025-06-23", "title": ..., "abstract": ...}.
Titles and abstracts are whitespace-folded and nothing else: exactly what an annotator reads. The
blocks (which weeks vote, which weeks test, which profile sets) are fixed in
bench/data/learning/PLAN.md, chosen before any paper was scored.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAILY = ROOT.parent / "shared" / "data" / "hf-daily"
OUT = ROOT / "bench" / "data" / "learning" / "papers"

# block name -> (first ISO week, last ISO week) of 2025, inclusive
BLOCKS = {
    "dev-votes": (26, 33),
    "dev-test": (34, 37),
    "lockbox-votes": (42, 49),
    "lockbox-test": (50, 52),
}


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def folded(text: object) -> str:
    return " ".join(str(text or "").split())


def daily_papers(path: Path) -> list[dict]:
    day = dt.date.fromisoformat(path.stem)
    rows = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        paper = item["paper"]
        rows.append({"id": paper["id"], "week": iso_week(day), "date": day.isoformat(),
                     "title": folded(paper.get("title")), "abstract": folded(paper.get("summary"))})
    return rows


def block_papers(first: int, last: int) -> list[dict]:
    rows, seen = [], set()
    for path in sorted(DAILY.glob("2025-*.json")):
        year, week, _ = dt.date.fromisoformat(path.stem).isocalendar()
        if year == 2025 and first <= week <= last:
            for row in daily_papers(path):
                if row["id"] not in seen:
                    seen.add(row["id"])
                    rows.append(row)
    return rows


# labelling jobs: (block, chunks of about 240 papers in list order, every n-th paper as the agreement sample)
CHUNKS = {"dev-votes": (2, 5), "dev-test": (1, None), "lockbox-votes": (3, 8), "lockbox-test": (1, None)}


def write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def write_jobs(name: str, rows: list[dict]) -> None:
    """Chunks an annotator reads in one sitting, and the sample a second annotator labels for agreement."""
    parts, every = CHUNKS[name]
    size = -(-len(rows) // parts)
    for k in range(parts):
        write_rows(OUT / "jobs" / f"{name}-{k + 1}.jsonl", rows[k * size:(k + 1) * size])
    if every:
        write_rows(OUT / "jobs" / f"{name}-sample.jsonl", rows[::every])


def main() -> int:
    if not DAILY.is_dir():
        print(f"needs the Daily Papers archive at {DAILY}", file=sys.stderr)
        return 1
    (OUT / "jobs").mkdir(parents=True, exist_ok=True)
    for name, (first, last) in BLOCKS.items():
        rows = block_papers(first, last)
        write_rows(OUT / f"{name}.jsonl", rows)
        write_jobs(name, rows)
        weeks = sorted({row["week"] for row in rows})
        print(f"{name}: {len(rows)} papers, {weeks[0]}..{weeks[-1]} ({len(weeks)} weeks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
