"""The write stage alone, on the plans of a real run: render, compose and write 10,000 newsletters.

    .venv/bin/python bench/write_stage.py                           # 10,000 readers, 3 runs
    .venv/bin/python bench/write_stage.py --readers 2000 --repeat 5
    .venv/bin/python bench/write_stage.py --workers 0,2               # in-process against 2 writer processes

The first call prepares a folder under the system's temporary folder (the arXiv week 2025-W22, the
shipped profiles, N readers with max_papers = 20: ingest, classify and plan once, about a minute) and
keeps the plans there; later calls reuse them. Each run then writes batches of 1,000 plans, as the
flow's write task does (in this process, or on writer processes as a run of 1,000+ issues does), into
a fresh archive, and prints wall and CPU seconds (the writers' included), the load, and the mean
sizes of the .eml, .html and .txt files and each .eml part's transfer encoding. The archives are
deleted when the bench ends: see `remove_at_exit` in bench/userpath.py for why not between runs.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import pickle
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))  # papercast as installed (PYTHONPATH may name another copy to compare)

from arxiv_feed import DEFAULT_WEEK, monday_after  # noqa: E402
from scale import prepare  # noqa: E402
from userpath import load, remove_at_exit  # noqa: E402


def planned(readers: int, week: str) -> tuple[object, list]:
    """The settings and plans of a run over the week, made once and kept."""
    folder = Path(tempfile.gettempdir()) / f"papercast-write-stage-{readers}-{week}"
    saved = folder / "plans.pickle"
    if not saved.exists():
        from papercast.config import load_settings
        from papercast.newsletter.plan import plan_issues
        from papercast.newsletter.selection import select_run
        from papercast.relevance.backlog import classify_backlog
        from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
        from papercast.store import Store

        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        settings = load_settings(prepare(folder, readers, week))
        as_of = monday_after(week)
        with Store.of(settings) as store:
            run_id = store.runs.start_run(as_of)
            files, _ = read_inbox(settings)
            ingest_digests(store.papers, parse_inputs(files, as_of).digests, run_id)
            classify_backlog(store, settings, run_id)
            planning = plan_issues(store, settings, select_run(settings), as_of, run_id, dt.datetime.now(dt.UTC))
        saved.write_bytes(pickle.dumps((settings, planning.to_write)))
    return pickle.loads(saved.read_bytes())


def sizes(archive: Path) -> str:
    """Mean KB of each kind of file, and how the .eml parts are encoded."""
    kinds: dict[str, list[int]] = collections.defaultdict(list)
    encodings: collections.Counter[str] = collections.Counter()
    for path in archive.rglob("*.*"):
        kinds[path.suffix].append(path.stat().st_size)
        if path.suffix == ".eml" and len(kinds[".eml"]) <= 200:
            encodings.update(line.split(b": ", 1)[1].decode() for line in path.read_bytes().splitlines()
                             if line.startswith(b"Content-Transfer-Encoding:"))
    means = ", ".join(f"{suffix} {statistics.mean(found) / 1024:.1f} KB x {len(found)}"
                      for suffix, found in sorted(kinds.items()))
    return f"{means}; .eml parts (200 files): {dict(encodings)}"


def one_run(settings, plans: list, batch: int, workers: int) -> tuple[float, float, str]:
    from papercast.delivery.pool import WritePool
    from papercast.delivery.write import for_workers, write_batch

    archive = Path(tempfile.mkdtemp(prefix="papercast-write-archive-"))
    try:
        writer = for_workers(settings).model_copy(
            update={"paths": settings.paths.model_copy(update={"archive": archive})})
        wall, cpu = time.perf_counter(), cpu_seconds()
        with WritePool(writer, False, workers) if workers else contextlib.nullcontext() as pool:
            for start in range(0, len(plans), batch):
                part = plans[start:start + batch]
                pool.write(part) if pool else write_batch(part, writer, False)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        return wall, cpu, sizes(archive)
    finally:
        remove_at_exit(archive)


def cpu_seconds() -> float:
    """CPU of this process and of its ended children (the pool's workers), user and system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--week", default=DEFAULT_WEEK)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1000, help="plans per write_batch call (the flow's BATCH_SIZE)")
    parser.add_argument("--workers", default=None,
                        help="comma list of writer process counts to compare (default: as a run chooses, one per "
                             "core; 0: in this process)")
    args = parser.parse_args()
    settings, plans = planned(args.readers, args.week)
    from papercast.delivery.pool import worth_a_pool

    counts = [int(n) for n in args.workers.split(",")] if args.workers else [worth_a_pool(len(plans))]
    for workers in counts:
        print(f"write stage alone: {len(plans)} newsletters, {args.batch} at a time, "
              f"{f'{workers} writer processes' if workers else 'in this process'}")
        walls, cpus = [], []
        for _ in range(args.repeat):
            before = load()
            wall, cpu, found = one_run(settings, plans, args.batch, workers)
            walls.append(wall)
            cpus.append(cpu)
            print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s (load {before} -> {load()}); {found}")
        print(f"median wall {statistics.median(walls):.1f} s, CPU {statistics.median(cpus):.1f} s")


if __name__ == "__main__":
    main()
