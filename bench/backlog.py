"""A new user's first run over an archive: all 412 hf-daily files dropped at once, then a kill mid-classification.

    .venv/bin/python bench/backlog.py                         # whole first run, then kill at 50 % and resume
    .venv/bin/python bench/backlog.py --readers 1000 --kill-at 0.3 --only kill

`whole`: a fresh folder (config: the shipped 8 profiles, N readers of 1-3 profiles, max_papers 20), all
of ../shared/data/hf-daily in the inbox, one `papercast run --json --as-of <the Monday after the last
file>` with default options and Prefect's temporary server: its wall time, peak RSS and stage timings,
what it printed on stderr meanwhile (is there a progress display?), and which weeks the first
newsletters' papers come from (the issue wants only the last week).

`kill`: the same first run, killed with SIGKILL (the command and its children, as a crash or Ctrl-\\
would) once the state says `--kill-at` of the papers are classified; what the state holds then
(papers, vectors, assignments, classification progress); then the same command again: how long the
resumed run takes, what its report says it resumed, and whether it ends with the same assignments as
an uninterrupted run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from history import HF_DAILY  # noqa: E402
from userpath import load, papercast_run, remove_at_exit, user_env, write_config  # noqa: E402

STAGES = ("ingest", "classify", "plan", "write", "publish")


def prepare(readers: int) -> tuple[Path, Path, str]:
    folder = Path(tempfile.mkdtemp(prefix="papercast-backlog-"))
    config = write_config(folder, readers)
    files = sorted(HF_DAILY.glob("*.json"))
    for path in files:
        shutil.copy(path, folder / "inbox" / path.name)
    last = dt.date.fromisoformat(files[-1].stem)
    as_of = last + dt.timedelta(days=7 - last.weekday())  # the Monday after the last file
    return folder, config, as_of.isoformat()


def state_figures(state: Path) -> dict:
    """What the state holds: papers, vectors, assignments, and the least classified profile's progress."""
    if not state.exists():
        return {"papers": 0, "vectors": 0, "assignments": 0, "classified": 0}
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=5)
    try:
        def one(sql: str) -> int:
            try:
                return int(db.execute(sql).fetchone()[0] or 0)
            except sqlite3.OperationalError:  # tables not made yet
                return 0
        papers = one("SELECT COUNT(*) FROM papers")
        return {"papers": papers, "vectors": one("SELECT COUNT(*) FROM paper_vectors"),
                "assignments": one("SELECT COUNT(*) FROM assignments"),
                "classified": one("SELECT COUNT(*) FROM papers WHERE seq <= "
                                  "(SELECT MIN(classified_to) FROM profile_progress)")}
    finally:
        db.close()


def first_seen_weeks(state: Path, report: dict, as_of: str) -> str:
    """Where the first newsletters' papers come from: how many were first listed in the last week, and the oldest."""
    ids = [pid for entry in report["newsletters"] for pid in entry["papers"]]
    if not ids:
        return "no newsletter"
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        seen = {}
        for start in range(0, len(ids), 500):
            chunk = list(dict.fromkeys(ids[start:start + 500]))
            seen.update(db.execute(f"SELECT id, first_seen FROM papers WHERE id IN ({','.join('?' * len(chunk))})",
                                   chunk).fetchall())
    finally:
        db.close()
    week_start = (dt.date.fromisoformat(as_of) - dt.timedelta(days=7)).isoformat()
    recent = sum(1 for pid in ids if seen.get(pid, "") >= week_start)
    return (f"{len(ids)} papers in {len(report['newsletters'])} newsletters: {recent} first seen in the last week "
            f"(from {week_start}), {len(ids) - recent} older; oldest first seen {min(seen.values())}")


def stages(report: dict) -> str:
    timings = report.get("timings", {})
    return ", ".join(f"{s} {timings[s]:.1f}" for s in STAGES if s in timings)


def stderr_summary(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    shown = "\n".join(f"      | {line[:150]}" for line in lines[:8])
    return f"{len(lines)} lines on stderr" + (f"; the first:\n{shown}" if lines else " (no progress shown)")


def whole(args: argparse.Namespace) -> dict:
    folder, config, as_of = prepare(args.readers)
    try:
        print(f"\n== whole first run: {len(list((folder / 'inbox').iterdir()))} files, as of {as_of} (load {load()})")
        run = papercast_run(config, as_of, user_env())
        if run.returncode:
            raise SystemExit(f"papercast run failed:\n{run.stderr[-3000:]}")
        state = folder / "state" / "papercast.sqlite"
        figures = state_figures(state)
        timings = run.report["timings"]
        print(f"  {run.line()}")
        print(f"  stages (s): {stages(run.report)}; {run.report['new_papers']} new papers, "
              f"{timings['classify'] and run.report['new_papers'] / timings['classify']:.0f} papers/s classified; "
              f"{figures['assignments']} assignments")
        print(f"  first newsletters: {first_seen_weeks(state, run.report, as_of)}")
        print(f"  progress: {stderr_summary(run.stderr)}")
        return figures
    finally:
        remove_at_exit(folder)


def kill_and_resume(args: argparse.Namespace, reference: dict | None) -> None:
    folder, config, as_of = prepare(args.readers)
    state = folder / "state" / "papercast.sqlite"
    try:
        print(f"\n== killed at {args.kill_at:.0%} classified, then resumed (load {load()})")

        def far_enough(_stderr: str) -> bool:
            figures = state_figures(state)
            return figures["papers"] > 0 and figures["classified"] >= args.kill_at * figures["papers"]

        killed = papercast_run(config, as_of, user_env(), stop_when=far_enough)
        at_kill = state_figures(state)
        print(f"  killed after {killed.wall:.1f} s (exit {killed.returncode}); peak RSS {killed.max_rss_mb:.0f} MB; "
              f"the state holds {at_kill['papers']} papers, {at_kill['vectors']} vectors, "
              f"{at_kill['assignments']} assignments; classified by every profile: {at_kill['classified']}")
        print(f"  stderr of the killed run: {stderr_summary(killed.stderr)}")
        time.sleep(1)
        resumed = papercast_run(config, as_of, user_env())
        if resumed.returncode:
            raise SystemExit(f"resumed run failed:\n{resumed.stderr[-3000:]}")
        after = state_figures(state)
        print(f"  resumed: {resumed.line()}")
        print(f"    stages (s): {stages(resumed.report)}; report: new_papers {resumed.report['new_papers']}, "
              f"resumed {resumed.report['resumed']}")
        print(f"    embedded in the resumed run: {after['vectors'] - at_kill['vectors']} papers "
              f"(of {after['papers'] - at_kill['classified']} still owed at the kill); "
              f"assignments at the end: {after['assignments']}"
              + (f" (uninterrupted run: {reference['assignments']})" if reference else ""))
        print(f"    first newsletters: {first_seen_weeks(state, resumed.report, as_of)}")
    finally:
        remove_at_exit(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the papers classified at the kill")
    parser.add_argument("--only", choices=["whole", "kill"])
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    print(f"first run over {len(list(HF_DAILY.glob('*.json')))} hf-daily files, {args.readers} readers; load {load()}")
    reference = whole(args) if args.only != "kill" else None
    if args.only != "whole":
        kill_and_resume(args, reference)


if __name__ == "__main__":
    main()
