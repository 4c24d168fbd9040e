"""Classify on a real arXiv week, in one process: the model alone against the whole classify stage.

    .venv/bin/python bench/classify_parts.py                       # the model as the product makes it, 112 tokens
    .venv/bin/python bench/classify_parts.py --threads 1,2 --max-tokens 112,256 --repeat 3
    .venv/bin/python bench/classify_parts.py --engines 2x1,1x2 --max-tokens 112 --repeat 3

Papers: the week 2025-W22 of ../shared/data/arxiv-new (2,035) ingested from its RSS file into a fresh
state, as a run stores them; profiles: the shipped config's 8. Measured, each on its own copy of that state:

- `model, stage batching`: MiniLMOnnx.embed_papers over the papers in the stage's chunks of 100 papers
  (sorted by length within each chunk, batches of 8): what the classify stage feeds the model;
- `model, one pass, batch B`: all papers sorted by length at once, batches of B (8 and 32);
- `stage`: classify_backlog on the state (no cached vectors), the seconds spent in embed_papers
  counted inside it; the rest is everything around the model (signals, reasons, SQLite).

`--engines SxT,...` compares setups of S onnxruntime sessions with T intra-op threads each (the product
makes one single-threaded session per available core, `2x1` here; before issue 22 it made one session
with a thread per core, `1x2`). `--threads T,...` is short for `1xT,...` (phase A's option). With
`--max-tokens 256` the model reads 256 tokens of each paper (what issue "Picks that learn" asks for).
The process's peak RSS is printed at the end.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from arxiv_feed import DEFAULT_WEEK, monday_after, write_week  # noqa: E402
from userpath import load, median, write_config  # noqa: E402

from papercast.config import load_settings  # noqa: E402
from papercast.cores import available_cores  # noqa: E402
from papercast.relevance import embed  # noqa: E402
from papercast.relevance.backlog import CHUNK, classify_backlog  # noqa: E402
from papercast.relevance.hybrid import HybridScorer  # noqa: E402
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox  # noqa: E402
from papercast.store import Store  # noqa: E402


def ingested_state(folder: Path, week: str) -> Path:
    """A config and a state holding the week's papers, none classified yet."""
    config = write_config(folder, 1)
    write_week(folder / "inbox", week)
    settings = load_settings(config)
    as_of = monday_after(week)
    with Store.of(settings) as store:
        run_id = store.runs.start_run(as_of)
        files, _ = read_inbox(settings)
        ingest_digests(store.papers, parse_inputs(files, as_of).digests, run_id)
    return config


def fresh_copy(config: Path, folder: Path) -> Path:
    """The ingested folder copied, so each measurement starts from the same unclassified state."""
    target = folder / f"copy-{time.perf_counter_ns()}"
    shutil.copytree(config.parent, target, ignore=shutil.ignore_patterns("copy-*", "archive"))
    return target / config.name


def engine(setup: str) -> embed.MiniLMOnnx:
    """`SxT`: S sessions of T intra-op threads each."""
    sessions, threads = map(int, setup.split("x"))
    return embed.MiniLMOnnx(threads=threads, sessions=sessions)


def model_alone(papers: list, setup: str, chunk: int | None, batch: int) -> tuple[float, float]:
    """(wall, CPU) seconds to embed the papers: in chunks of `chunk` (None: one pass), batches of `batch`."""
    model = engine(setup)
    embed.BATCH, saved = batch, embed.BATCH
    try:
        start, cpu = time.perf_counter(), time.process_time()
        step = chunk or len(papers)
        for first in range(0, len(papers), step):
            model.embed_papers(papers[first:first + step])
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        embed.BATCH = saved


def stage(config: Path, setup: str) -> tuple[float, float, int, float]:
    """classify_backlog on a cold state: (seconds, of which embedding, assignments, CPU seconds)."""
    spent = [0.0]
    original = embed.MiniLMOnnx.embed_papers

    def timed(self, papers):
        start = time.perf_counter()
        try:
            return original(self, papers)
        finally:
            spent[0] += time.perf_counter() - start

    def scorer_for(settings, cache):
        return HybridScorer(engine(setup), cache=cache)

    embed.MiniLMOnnx.embed_papers = timed
    try:
        settings = load_settings(config)
        with Store.of(settings) as store:
            start, cpu = time.perf_counter(), time.process_time()
            found = classify_backlog(store, settings, run_id=1, scorer_for=scorer_for)
            return time.perf_counter() - start, spent[0], len(found.assignments), time.process_time() - cpu
    finally:
        embed.MiniLMOnnx.embed_papers = original


def measure(label: str, runs: list[tuple[float, float]], papers: int) -> None:
    """The median wall time of the runs, papers per second, and the median CPU seconds (all threads)."""
    wall, cpu = median([r[0] for r in runs]), median([r[1] for r in runs])
    print(f"  {label:46s} {wall:6.1f} s  {papers / wall:6.1f} papers/s  CPU {cpu:6.1f} s  (walls: "
          f"{', '.join(f'{r[0]:.1f}' for r in runs)}; load {load()})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default=DEFAULT_WEEK)
    parser.add_argument("--engines", default=f"{available_cores()}x1",
                        help="comma list of SxT: S sessions, T threads each")
    parser.add_argument("--threads", help="comma list of intra-op threads of one session (short for 1xT,...)")
    parser.add_argument("--max-tokens", default=str(embed.MAX_TOKENS), help="comma list of tokens read per paper")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=["model", "stage"])
    parser.add_argument("--no-one-pass", action="store_true", help="skip the one-pass model rows")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="papercast-classify-"))
    try:
        config = ingested_state(folder, args.week)
        with Store.of(load_settings(config)) as store:
            papers = store.papers.papers_after(0, 1_000_000)
        print(f"{len(papers)} papers of {args.week}, 8 profiles; load {load()}")
        for tokens in map(int, args.max_tokens.split(",")):
            embed.MAX_TOKENS = tokens  # read when a model is made (its tokenizer's truncation)
            setups = [f"1x{t}" for t in args.threads.split(",")] if args.threads else args.engines.split(",")
            for setup in setups:
                sessions, threads = setup.split("x")
                print(f"\n== {tokens} tokens, {sessions} session(s) of {threads} intra-op thread(s)")
                run(args, config, folder, papers, setup)
        print(f"\npeak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, config: Path, folder: Path, papers: list, setup: str) -> None:
    if args.only != "stage":
        measure(f"model, stage batching ({CHUNK}-paper chunks, batch 8)",
                [model_alone(papers, setup, CHUNK, 8) for _ in range(args.repeat)], len(papers))
        for batch in () if args.no_one_pass else (8, 32):
            measure(f"model, one pass, batch {batch}",
                    [model_alone(papers, setup, None, batch) for _ in range(args.repeat)], len(papers))
    if args.only != "model":
        results = [stage(fresh_copy(config, folder), setup) for _ in range(args.repeat)]
        total, inside = median([r[0] for r in results]), median([r[1] for r in results])
        measure("stage (classify_backlog), whole", [(r[0], r[3]) for r in results], len(papers))
        print(f"  {'  of which embedding':46s} {inside:6.1f} s; around the model {total - inside:.1f} s "
              f"(+{(total - inside) / inside:.0%} over the embedding); {results[0][2]} assignments")


if __name__ == "__main__":
    main()
