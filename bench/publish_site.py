"""How long a full archive rebuild takes, and how big it is, on the three real digests.

    .venv/bin/python bench/publish_site.py [--repeat N] [--copies K]

Builds a store in a temporary folder from ../shared/digests (keyword classifier,
one run per digest), optionally K extra weekly runs of renamed copies of those
papers to grow the archive, then times `publish_archive` N times and prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

from papercast.models import Digest, Paper  # noqa: E402
from papercast.store import Store  # noqa: E402
from site_builder import build_real_store, ingest_run, publish  # noqa: E402


def grow(settings, copies: int) -> None:
    """K more weekly runs, each with every stored paper under a new title."""
    with Store.open(settings.paths.state) as store:
        papers = [row[2] for row in store.classification.editions()]
        for week in range(copies):
            as_of = dt.date(2026, 5, 18) + dt.timedelta(weeks=week)
            fresh = tuple(Paper(f"{p.title} (week {week})", p.abstract) for p in papers)
            ingest_run(store, settings, as_of, [Digest(f"copy-{week}", as_of, fresh, f"copy-{week}")])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = build_real_store(Path(folder), PROJECT.parent / "shared" / "digests")
        grow(settings, args.copies)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            published = publish(settings)
            times.append(time.perf_counter() - start)
        size = sum(p.stat().st_size for p in published.pages + published.feeds)
        with Store.open(settings.paths.state) as store:
            rows = len(store.classification.editions())
    print(f"assignments in store: {rows}")
    print(f"pages: {len(published.pages)}  feeds: {len(published.feeds)}  bytes: {size}")
    print(f"publish seconds: min {min(times):.3f}  median {sorted(times)[len(times) // 2]:.3f}  max {max(times):.3f}"
          f"  ({args.repeat} runs)")


if __name__ == "__main__":
    main()
