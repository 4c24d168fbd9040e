"""Cost per week as history grows: ../shared/data/hf-daily replayed a week at a time through `papercast run`.

    .venv/bin/python bench/history.py                          # all 83 weeks, 1,000 readers, the user's defaults
    .venv/bin/python bench/history.py --weeks 20 --readers 10000 --prefect server
    .venv/bin/python bench/history.py --clear-inbox            # each week's files only (a user who empties the inbox)

Each week, that week's daily files (`YYYY-MM-DD.json`, Hugging Face daily-papers JSON) are dropped into
the inbox, where the earlier weeks' files stay, as they do for a user who just keeps dropping files;
then `papercast run --config F --json --as-of <the Monday after>` runs with default options, with
Prefect's temporary server (the default for a user; its database lives beside the state and grows
with every run) or `--prefect server` (one running `prefect server start` for all weeks). The same
config throughout: the shipped 8 profiles and N readers (1-3 profiles each, max_papers 20).

Printed per week: papers in the week, new papers, the command's wall time and peak RSS, the report's
stage timings, and the sizes of the state database, the Prefect home and the archive. Then the first
and last weeks side by side, and (`--control`, on by default) the last week replayed again on a fresh
state that holds only the week before it: the same week's cost with 1 week of history against 82.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from userpath import PrefectServer, folder_mb, load, median, papercast_run, remove_at_exit, user_env, write_config  # noqa: E402

HF_DAILY = BENCH.parent.parent / "shared" / "data" / "hf-daily"
STAGES = ("ingest", "classify", "plan", "write", "publish")
SIDE = 5  # weeks averaged (median) at each end


def daily_weeks(folder: Path = HF_DAILY) -> dict[str, list[Path]]:
    """ISO week -> its daily files, in date order."""
    weeks: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.json")):
        year, week, _ = dt.date.fromisoformat(path.stem).isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append(path)
    return weeks


def monday_after(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1) + dt.timedelta(days=7)


def drop_week(inbox: Path, files: list[Path], clear: bool) -> None:
    if clear:
        for old in inbox.glob("*.json"):
            old.unlink()
    for path in files:
        shutil.copy(path, inbox / path.name)


def run_week(folder: Path, config: Path, week: str, files: list[Path], api_url: str | None, clear: bool) -> dict:
    drop_week(folder / "inbox", files, clear)
    run = papercast_run(config, monday_after(week).isoformat(), user_env(api_url))
    if run.returncode != 0:
        raise SystemExit(f"{week}: papercast run failed ({run.returncode}):\n{run.stderr[-3000:]}")
    report = run.report
    state = folder / "state"
    return {"week": week, "files": len(files), "papers": sum(d["papers"] for d in report["digests"]
                                                              if not d["already_ingested"]),
            "reread": sum(1 for d in report["digests"] if d["already_ingested"]),
            "new": report["new_papers"], "newsletters": len(report["newsletters"]), "wall": run.wall,
            "max_rss_mb": run.max_rss_mb, "cpu": run.cpu, "timings": report["timings"],
            "state_mb": sum(p.stat().st_size for p in state.glob("papercast.sqlite*")) / 2**20,
            "prefect_mb": folder_mb(state / "prefect"), "archive_mb": folder_mb(folder / "archive"),
            "pages": len(report["pages"]), "load": run.load_before}


def print_row(row: dict) -> None:
    t = row["timings"]
    print(f"{row['week']}  {row['papers']:4d} in {row['files']} files ({row['reread']:3d} re-read), "
          f"{row['new']:4d} new, "
          f"{row['newsletters']:5d} issues | wall {row['wall']:5.1f} s  RSS {row['max_rss_mb']:4.0f} MB | "
          + " ".join(f"{s} {t.get(s, 0):5.2f}" for s in STAGES)
          + f" | state {row['state_mb']:5.1f} MB, prefect {row['prefect_mb']:5.1f} MB, "
          f"archive {row['archive_mb']:6.1f} MB,"
          f" {row['pages']} pages | load {row['load']:.2f}", flush=True)


def side_by_side(first: list[dict], last: list[dict]) -> None:
    """Medians of the first and last weeks: each stage, wall, memory, sizes; per paper for ingest and classify."""
    def med(rows, key):
        return median([key(r) for r in rows])

    print(f"\n== first {len(first)} weeks ({first[0]['week']}..{first[-1]['week']}) against last {len(last)} "
          f"({last[0]['week']}..{last[-1]['week']}), medians")
    lines = [("new papers", lambda r: r["new"]), ("wall (s)", lambda r: r["wall"]), ("CPU (s)", lambda r: r["cpu"]),
             ("peak RSS (MB)", lambda r: r["max_rss_mb"]), ("load (1 min)", lambda r: r["load"])]
    lines += [(f"{s} (s)", lambda r, s=s: r["timings"].get(s, 0.0)) for s in STAGES]
    lines += [("outside stages (s)", lambda r: r["timings"]["total_with_prefect"]
               - sum(r["timings"].get(s, 0.0) for s in STAGES)),
              ("ingest per new paper (ms)", lambda r: 1000 * r["timings"]["ingest"] / max(r["new"], 1)),
              ("classify per new paper (ms)", lambda r: 1000 * r["timings"]["classify"] / max(r["new"], 1)),
              ("state (MB)", lambda r: r["state_mb"]), ("prefect home (MB)", lambda r: r["prefect_mb"]),
              ("archive (MB)", lambda r: r["archive_mb"]), ("pages written", lambda r: r["pages"])]
    for name, key in lines:
        a, b = med(first, key), med(last, key)
        print(f"  {name:28s} {a:9.2f}  {b:9.2f}  x{b / a:5.2f}" if a else f"  {name:28s} {a:9.2f}  {b:9.2f}")


def control(args: argparse.Namespace, weeks: dict[str, list[Path]], api_url: str | None, deep: dict) -> None:
    """The last week again, on a fresh state holding only the week before it."""
    names = list(weeks)
    before, week = names[-2], names[-1]
    folder = Path(tempfile.mkdtemp(prefix="papercast-history-control-"))
    try:
        config = write_config(folder, args.readers)
        run_week(folder, config, before, weeks[before], api_url, args.clear_inbox)
        shallow = run_week(folder, config, week, weeks[week], api_url, args.clear_inbox)
    finally:
        remove_at_exit(folder)
    print(f"\n== {week} with 1 week of history against {len(names) - 1} weeks (same week, same readers)")
    for name, key in [("wall (s)", lambda r: r["wall"]), ("CPU (s)", lambda r: r["cpu"]),
                      ("peak RSS (MB)", lambda r: r["max_rss_mb"]), ("load (1 min)", lambda r: r["load"])] + \
            [(f"{s} (s)", lambda r, s=s: r["timings"].get(s, 0.0)) for s in STAGES] + \
            [("outside stages (s)", lambda r: r["timings"]["total_with_prefect"]
              - sum(r["timings"].get(s, 0.0) for s in STAGES))]:
        a, b = key(shallow), key(deep)
        print(f"  {name:20s} {a:8.2f}  {b:8.2f}" + (f"  x{b / a:5.2f}" if a > 0.05 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, help="only the first N weeks (default: all 83)")
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--prefect", choices=["temporary", "server"], default="temporary")
    parser.add_argument("--clear-inbox", action="store_true", help="remove the earlier weeks' files before each run")
    parser.add_argument("--no-control", dest="control", action="store_false")
    parser.add_argument("--out", type=Path, help="also write each week's figures as JSON lines here")
    parser.add_argument("--summarize", type=Path, help="print the side-by-side of an earlier --out file; run nothing")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.summarize:
        rows = [json.loads(line) for line in args.summarize.read_text(encoding="utf-8").splitlines() if line.strip()]
        side = min(SIDE, len(rows) // 2) or 1
        return side_by_side(rows[:side], rows[-side:])
    weeks = daily_weeks()
    if args.weeks:
        weeks = dict(list(weeks.items())[:args.weeks])
    print(f"replaying {len(weeks)} weeks of hf-daily ({sum(map(len, weeks.values()))} files), {args.readers} readers, "
          f"Prefect {args.prefect}, inbox {'cleared' if args.clear_inbox else 'kept'} between weeks; load {load()}")
    folder = Path(tempfile.mkdtemp(prefix="papercast-history-"))
    rows = []
    try:
        with (PrefectServer() if args.prefect == "server" else contextlib.nullcontext()) as server:
            api_url = server.api_url if server else None
            config = write_config(folder, args.readers)
            for week, files in weeks.items():
                rows.append(run_week(folder, config, week, files, api_url, args.clear_inbox))
                print_row(rows[-1])
                if args.out:
                    with args.out.open("a", encoding="utf-8") as out:
                        out.write(json.dumps(rows[-1]) + "\n")
            side = min(SIDE, len(rows) // 2) or 1
            side_by_side(rows[:side], rows[-side:])
            if args.control and len(rows) >= 3:
                control(args, weeks, api_url, rows[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
