"""Time and peak memory of classifying 2,000 new papers, in this process alone (bench/relevance.py runs it).

    .venv/bin/python bench/relevance_speed.py PROFILES cold|cached [STATE]

`cold`: an empty store, so every paper is embedded; `cached`: the store STATE a cold run left,
so every paper's vectors come from it. Papers go to the scorer in chunks of 256, as the weekly
flow sends them. PROFILES is 8 (the sample profiles) or up to 50 (the choosing sets' profiles and
shortened variants of them). Prints one JSON line: seconds, load, embed, score, peak_mb.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import relevance_data as data  # noqa: E402
from relevance_fit import style_variants  # noqa: E402

from papercast.relevance.classify import classify_papers  # noqa: E402
from papercast.relevance.embed import MiniLMOnnx  # noqa: E402
from papercast.relevance.hybrid import HybridScorer  # noqa: E402
from papercast.store import Store  # noqa: E402

PAPERS = 2000
CHUNK = 256
STATE = Path("/tmp/rel-speed-state.sqlite")


def week(size: int = PAPERS) -> list:
    """`size` papers from the real digests; repeats get fresh ids, as new papers would."""
    entries = data.digest_papers()
    return [dataclasses.replace(data.stored(entries[i % len(entries)]), id=f"w{i}-{entries[i % len(entries)].id}")
            for i in range(size)]


def profiles(count: int) -> list:
    papers = data.load_papers()
    found = [p for name in data.CHOOSING for p in data.load_set(name, papers).profiles]
    found += [p.model_copy(update={"id": f"{p.id}-v{i}"}) for i, p in enumerate(style_variants(found))]
    return found[:count]


class TimedEmbedder(MiniLMOnnx):
    """The real model, adding up the seconds spent embedding papers."""

    seconds = 0.0

    def embed_papers(self, papers):
        start = time.perf_counter()
        try:
            return super().embed_papers(papers)
        finally:
            TimedEmbedder.seconds += time.perf_counter() - start


def main() -> None:
    count, mode = int(sys.argv[1]), sys.argv[2]
    state = Path(sys.argv[3]) if len(sys.argv) > 3 else STATE
    if mode == "cold":
        for leftover in state.parent.glob(state.name + "*"):
            leftover.unlink()
    papers, targets = week(), profiles(count)
    with Store.open(state) as store:
        start = time.perf_counter()
        scorer = HybridScorer(TimedEmbedder(), cache=store.vectors)
        load = time.perf_counter() - start
        for first in range(0, len(papers), CHUNK):
            classify_papers(papers[first:first + CHUNK], targets, scorer, 0.5)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "load": load, "embed": TimedEmbedder.seconds,
                      "score": seconds - load - TimedEmbedder.seconds, "peak_mb": peak}))


if __name__ == "__main__":
    main()
