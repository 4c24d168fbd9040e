"""How much time and memory one giant input costs, with and without the [limits] caps.

    .venv/bin/python bench/bad_input.py [SIZE_MB ...]     (default: 50 200)

Each size runs in its own child process so peak memory (ru_maxrss) is that run's alone.
Prints: input size, parse seconds, papers kept, warnings, peak RSS (generating the input included),
and the peak Python heap allocated by the parse itself (tracemalloc, measured on a second pass).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from papercast.sources import parse_input  # noqa: E402
from papercast.sources.limits import InputLimits  # noqa: E402

ABSTRACT = ("We study how a language model can be made to reason about long documents while using little memory. "
            "The method compresses the cache, keeps accuracy on eight benchmarks, and doubles throughput on one GPU.")
UNLIMITED = InputLimits(max_input_bytes=10**12, max_papers_per_digest=10**9, max_abstract_chars=10**9)


def giant_digest(size: int) -> bytes:
    paper = "Paper {i} on compressing caches for long-context reasoning\n\n" + ABSTRACT + " Run {i}.\n\n"
    count = size // len(paper.format(i=10**6)) + 1
    return ("new\n\nNov 20\n\n" + "".join(paper.format(i=i) for i in range(count))).encode()


def measure(size_mb: int, limited: bool) -> dict:
    data = giant_digest(size_mb * 1024 * 1024)
    limits = InputLimits() if limited else UNLIMITED
    started = time.perf_counter()
    digest = parse_input(data, "giant.txt", dt.date(2026, 11, 23), limits)
    seconds = time.perf_counter() - started  # timed without tracemalloc, which slows parsing several-fold
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del digest
    tracemalloc.start()
    digest = parse_input(data, "giant.txt", dt.date(2026, 11, 23), limits)
    heap = tracemalloc.get_traced_memory()[1]
    return {"size_mb": round(len(data) / 2**20, 1), "limits": "default" if limited else "off",
            "seconds": round(seconds, 2), "papers": len(digest.papers), "warnings": len(digest.warnings),
            "peak_rss_mb": round(rss / 1024),
            "peak_heap_mb_during_parse": round(heap / 2**20)}


def main(sizes: list[int]) -> None:
    print(f"{'input':>8} {'limits':>8} {'parse s':>8} {'papers':>7} {'warn':>5} {'peak RSS':>9} {'parse heap':>11}")
    for size in sizes:
        for limited in (True, False):
            out = subprocess.run([sys.executable, __file__, "--one", str(size), str(int(limited))],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out)
            print(f"{r['size_mb']:>6}MB {r['limits']:>8} {r['seconds']:>8} {r['papers']:>7} {r['warnings']:>5} "
                  f"{r['peak_rss_mb']:>7}MB {r['peak_heap_mb_during_parse']:>9}MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3] == "1")))
    else:
        main([int(a) for a in sys.argv[1:]] or [50, 200])
