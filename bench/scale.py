"""Scale on the user's path: `papercast run --json` on a real arXiv week, timed as the user sees it.

    .venv/bin/python bench/scale.py                                  # 1,000 and 10,000 readers, running server
    .venv/bin/python bench/scale.py --readers 10000 --prefect server,temporary --repeat 3
    .venv/bin/python bench/scale.py --readers 10000 --runner default,processes   # runners side by side
    .venv/bin/python bench/scale.py --modes user,core                # and the core functions alone, same work

Workload (issue 22): the week 2025-W22 of ../shared/data/arxiv-new (2,035 cs.* new submissions) as one
arXiv-style RSS file in the inbox (bench/arxiv_feed.py), the shipped config's 8 profiles with its
default classifier, N readers of 1-3 profiles each with max_papers = 20, an empty state, a dry run
(no --send). `user` runs the installed `papercast` command in its own process with default options
(no --runner: the CLI's default) and prints the run report's stage timings beside the command's wall
time, its peak RSS (largest process, and the whole process tree sampled) and its CPU time:

- `--prefect server`: against a running `prefect server start` (PREFECT_API_URL), started once here;
- `--prefect temporary`: no PREFECT_API_URL, so the command starts Prefect's temporary server itself.

`core` runs the same stages through papercast's core functions in one process, without Prefect or
the CLI (what the earlier bench measured), so each stage's gap between the two shows. Targets: 10,000
readers in at most 60 s and 1 GB (goal 30 s); classify within 20 % of embedding alone; write <= 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from arxiv_feed import DEFAULT_WEEK, monday_after, write_week  # noqa: E402
from userpath import (PrefectServer, load, median, papercast_run, remove_at_exit, user_env,  # noqa: E402
                      write_config)

STAGES = ("ingest", "classify", "plan", "write", "publish")
TARGET_SECONDS, GOAL_SECONDS, TARGET_MB, TARGET_WRITE = 60.0, 30.0, 1024.0, 10.0


def prepare(folder: Path, readers: int, week: str) -> Path:
    """A user's folder: config with `readers` readers, the week's RSS file in the inbox, no state yet."""
    config = write_config(folder, readers)
    write_week(folder / "inbox", week)
    return config


def user_case(readers: int, week: str, api_url: str | None, runner: str | None) -> dict:
    """One `papercast run` on a fresh folder; the report's timings and the command's measurements."""
    folder = Path(tempfile.mkdtemp(prefix="papercast-scale-"))
    try:
        config = prepare(folder, readers, week)
        options = ["--runner", runner] if runner else []
        run = papercast_run(config, monday_after(week).isoformat(), user_env(api_url), *options)
        if run.returncode != 0:
            raise SystemExit(f"papercast run failed ({run.returncode}):\n{run.stderr[-3000:]}")
        report = run.report
        timings = dict(report["timings"])
        timings["outside stages"] = run.wall - sum(timings.get(s, 0.0) for s in (*STAGES, "send"))
        return {"timings": timings, "wall": run.wall, "max_rss_mb": run.max_rss_mb,
                "tree_rss_mb": run.tree_rss_mb, "cpu": run.cpu, "load": (run.load_before, run.load_after),
                "new_papers": report["new_papers"], "newsletters": len(report["newsletters"]),
                "assignments": sum(len(v) for v in report["profiles"].values()),
                "task_runs": report["prefect"].get("task_runs"), "stderr_lines": len(run.stderr.splitlines())}
    finally:
        remove_at_exit(folder)


def core_case(readers: int, week: str) -> dict:
    """The same work through the core functions, in a child process of its own (its own peak memory)."""
    command = [sys.executable, __file__, "--child-core", "--readers", str(readers), "--week", week]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=user_env())
    if result.returncode != 0:
        raise SystemExit(f"core case failed:\n{result.stderr[-3000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    found["wall"] = time.perf_counter() - started
    return found


def run_core_stages(config: Path, as_of: dt.date) -> dict:
    """ingest, classify, plan, write (1,000 readers a batch, recorded as the flow does), publish."""
    from papercast.config import load_settings
    from papercast.delivery.write import for_workers, record_written, write_batch
    from papercast.newsletter.plan import plan_issues
    from papercast.newsletter.render import make_environment
    from papercast.newsletter.selection import select_run
    from papercast.relevance.backlog import classify_backlog
    from papercast.site.publish import publish_archive
    from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
    from papercast.store import Store

    times, clock = {}, time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[stage] = now - clock
        clock = now

    settings = load_settings(config)
    with Store.of(settings) as store:
        run_id = store.runs.start_run(as_of)
        files, _ = read_inbox(settings)
        new = ingest_digests(store.papers, parse_inputs(files, as_of).digests, run_id).new_papers
        lap("ingest")
        classified = classify_backlog(store, settings, run_id)
        lap("classify")
        planning = plan_issues(store, settings, select_run(settings), as_of, run_id, dt.datetime.now(dt.timezone.utc))
        lap("plan")
        writer = for_workers(settings)
        for start in range(0, len(planning.to_write), 1000):
            batch = write_batch(planning.to_write[start:start + 1000], writer, False)
            record_written(store.ledger, list(batch.issues), run_id)
        lap("write")
        publish_archive(store, settings, make_environment())
        lap("publish")
    return {"timings": times, "new_papers": len(new), "newsletters": len(planning.to_write),
            "assignments": len(classified.assignments)}


def child_core(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="papercast-scale-core-"))
    try:
        config = prepare(folder, int(args.readers), args.week)
        cpu = time.process_time()
        found = run_core_stages(config, monday_after(args.week))
        found.update(max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                     cpu=time.process_time() - cpu)
        print(json.dumps(found))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stage_line(timings: dict) -> str:
    """The stages' seconds, and the rest of the command's wall time (start-up, Prefect, report, server)."""
    stages = [s for s in (*STAGES, "send", "outside stages") if s in timings]
    return ", ".join(f"{s} {timings[s]:.1f}" for s in stages)


def print_case(label: str, result: dict) -> None:
    timings = result["timings"]
    print(f"  {label}: wall {result['wall']:.1f} s, peak RSS {result['max_rss_mb']:.0f} MB"
          + (f" (tree {result['tree_rss_mb']:.0f} MB)" if "tree_rss_mb" in result else "")
          + f", CPU {result['cpu']:.1f} s; {result['new_papers']} new papers, {result['assignments']} assignments, "
          f"{result['newsletters']} newsletters" + (f"; load {result['load'][0]:.2f}->{result['load'][1]:.2f}"
                                                     if "load" in result else ""))
    print(f"    stages (s): {stage_line(timings)}")


def summarize(label: str, results: list[dict]) -> dict:
    """The median of each figure over repeats."""
    keys = ("wall", "max_rss_mb", "tree_rss_mb", "cpu")
    found = {k: median([r[k] for r in results]) for k in keys if k in results[0]}
    found["timings"] = {s: median([r["timings"][s] for r in results]) for s in results[0]["timings"]}
    if len(results) > 1:
        print(f"  {label}, median of {len(results)}: wall {found['wall']:.1f} s, "
              f"peak RSS {found['max_rss_mb']:.0f} MB; stages: {stage_line(found['timings'])}")
    return found


def verdict(value: float, target: float) -> str:
    return f"{'met' if value <= target else 'MISSED'} ({value:.1f} against {target:g})"


def run_user(args: argparse.Namespace, readers: int, results: dict) -> None:
    for mode in args.prefect.split(","):
        runners = args.runner.split(",") if args.runner else [None]
        for runner in runners:
            label = f"user, {readers} readers, Prefect {mode}" + (f", --runner {runner}" if runner else "")
            print(f"\n== {label} (load {load()})", flush=True)
            runs = []
            for _ in range(args.repeat):
                api = args.server.api_url if mode == "server" else None
                runs.append(user_case(readers, args.week, api, runner))
                print_case("run", runs[-1])
            results[label] = summarize(label, runs)
            if readers == 10_000:
                print(f"    whole command: {verdict(results[label]['wall'], TARGET_SECONDS)} s, "
                      f"peak {verdict(results[label]['max_rss_mb'], TARGET_MB)} MB; "
                      f"write {verdict(results[label]['timings']['write'], TARGET_WRITE)} s")


def run_core(args: argparse.Namespace, readers: int, results: dict) -> None:
    label = f"core, {readers} readers"
    print(f"\n== {label} (load {load()})", flush=True)
    runs = []
    for _ in range(args.repeat):
        runs.append(core_case(readers, args.week))
        print_case("run", runs[-1])
    results[label] = summarize(label, runs)


def print_gaps(results: dict) -> None:
    """Each stage's figure in the user's path beside its core-alone figure, for each reader count."""
    cores = {k: v for k, v in results.items() if k.startswith("core")}
    for core_label, core in cores.items():
        readers = core_label.split(", ")[1]
        for label, user in results.items():
            if not label.startswith(f"user, {readers},"):
                continue
            print(f"\n-- gaps, {label} against {core_label}")
            for stage in STAGES:
                ours, theirs = user["timings"].get(stage, 0.0), core["timings"].get(stage, 0.0)
                gap = (ours - theirs) / theirs if theirs else 0.0
                flag = "  <-- over 20 %" if abs(gap) > 0.2 and abs(ours - theirs) > 0.5 else ""
                print(f"  {stage:9s} user {ours:6.1f} s   core {theirs:6.1f} s   {gap:+6.0%}{flag}")
            print(f"  {'whole':9s} user {user['wall']:6.1f} s   core {core['wall']:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", default="1000,10000")
    parser.add_argument("--week", default=DEFAULT_WEEK, help="a week of ../shared/data/arxiv-new")
    parser.add_argument("--modes", default="user", help="comma list of user, core")
    parser.add_argument("--prefect", default="server", help="comma list of server (running), temporary")
    parser.add_argument("--runner", help="comma list of --runner values to pass (default: none, the CLI's default)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (medians are printed)")
    parser.add_argument("--child-core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.child_core:
        return child_core(args)
    modes = args.modes.split(",")
    print(f"papercast run --json on {args.week} (as of {monday_after(args.week)}), shipped 8 profiles, "
          f"max_papers 20; load {load()}")
    results: dict = {}
    with (PrefectServer() if "user" in modes and "server" in args.prefect else contextlib.nullcontext()) as args.server:
        for readers in map(int, args.readers.split(",")):
            if "user" in modes:
                run_user(args, readers, results)
            if "core" in modes:
                run_core(args, readers, results)
    print_gaps(results)


if __name__ == "__main__":
    main()
