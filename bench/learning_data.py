"""The learning evaluation's data: weeks of real Daily Papers, profile sets and their labels (PLAN.md).

Papers come from ../shared/data/hf-daily through bench/learning_papers.py's blocks; labels from
bench/data/learning/labels/: annotator a on the vote weeks, adjudicated gold on the test weeks.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from papercast.settings import Profile
from papercast.models import StoredPaper

PROJECT = Path(__file__).resolve().parent.parent
LEARNING = PROJECT / "bench" / "data" / "learning"
LABELS = LEARNING / "labels"
DEV_SETS = {"labmates": "lockbox3", "crossfield": "lockbox3", "watchers": "lockbox5"}
LOCKBOX_SETS = {"newcomers": "lockbox4"}
BLOCKS = {"dev": ("dev-votes", "dev-test"), "lockbox": ("lockbox-votes", "lockbox-test")}
VOTE_JOBS = {"dev-votes": ("dev-votes-1", "dev-votes-2"),
             "lockbox-votes": ("lockbox-votes-1", "lockbox-votes-2", "lockbox-votes-3")}


@dataclass(frozen=True)
class Row:
    """One paper of the evaluation, as an annotator read it."""

    id: str
    week: str
    date: dt.date
    title: str
    abstract: str

    def stored(self, seq: int) -> StoredPaper:
        return StoredPaper(self.id, self.title, self.abstract, self.date, "hf-daily", arxiv_id=self.id, seq=seq)


def block_rows(block: str) -> list[Row]:
    path = LEARNING / "papers" / f"{block}.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run .venv/bin/python bench/learning_papers.py first")
    return [Row(r["id"], r["week"], dt.date.fromisoformat(r["date"]), r["title"], r["abstract"])
            for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def set_profiles(name: str) -> list[Profile]:
    folder = {**DEV_SETS, **LOCKBOX_SETS}[name]
    table = tomllib.loads((PROJECT / "bench" / "data" / folder / f"profiles-{name}.toml").read_text(encoding="utf-8"))
    return [Profile(**entry) for entry in table["profiles"]]


def read_labels(path: Path) -> dict[str, set[str]]:
    return {r["id"]: set(r["labels"]) for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def set_labels(name: str, block: str) -> dict[str, set[str]]:
    """paper id -> the profiles of the set that want it: annotator a on vote weeks, gold on test weeks."""
    if block.endswith("-test"):
        return read_labels(LABELS / f"{name}-{block}-gold.jsonl")
    labels: dict[str, set[str]] = {}
    for job in VOTE_JOBS[block]:
        labels.update(read_labels(LABELS / f"{name}-{job}-a.jsonl"))
    return labels


def agreement(one: dict[str, set[str]], other: dict[str, set[str]]) -> float:
    """Micro-F1 of one annotator's (paper, profile) yes-pairs against another's, on the papers both labelled."""
    shared = one.keys() & other.keys()
    a = {(p, l) for p in shared for l in one[p]}
    b = {(p, l) for p in shared for l in other[p]}
    return 2 * len(a & b) / max(1, len(a) + len(b))
