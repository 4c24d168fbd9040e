"""What each idea gained, on the CHOOSING sets only, the figures the round-3 choices rest on.

    .venv/bin/python bench/relevance_ideas.py            # every row, about 10 minutes
    .venv/bin/python bench/relevance_ideas.py --only "no description words"

Each row changes one thing in the shipped recipe and reruns leave-one-set-out over the seven
choosing sets (sample, terse, chatty, mixed, practitioner, students, industry), each held out in
turn and scored by weights fitted on the other six, papers cross-fitted (bench/relevance_fit.py).
Printed for the six new-user sets pooled (the primary figure): micro-F1 at the shipped threshold 0.5, the best
single threshold afterwards, pooled average precision (ranking and cross-profile calibration,
threshold-free), how many profiles have recall under 0.5; and the sample set's F1 and AP.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from papercast.relevance import background, embed, lexical  # noqa: E402
from papercast.relevance.hybrid import HybridScorer  # noqa: E402

import relevance_data as data  # noqa: E402
import relevance_fit as fitting  # noqa: E402
import relevance_metrics as metrics  # noqa: E402
from relevance import keyword_outcome  # noqa: E402


class NoWords(HybridScorer):
    """Without the description's words (round 1's signals)."""

    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        s.values[..., 7:9] = 0.0
        return s


class NoAcronyms(HybridScorer):
    acronyms = False


class NoCrowding(HybridScorer):
    """Without the profile's crowding (round 2's signals)."""

    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        s.values[..., 9] = 0.0
        return s


class NoRivals(HybridScorer):
    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        s.values[..., 4] = 0.0
        return s


class RivalsFarFromKeywords(HybridScorer):
    """A background topic as close to one of the profile's keywords as RIVAL_BELOW is its own subject too."""

    def _compile(self, profile, vectors):
        compiled = super()._compile(profile, vectors)
        if len(compiled.keywords):
            near = (self.background() @ compiled.keywords.T).max(axis=1) >= background.RIVAL_BELOW
            compiled.rivals = compiled.rivals & ~near
            compiled.has_rivals = bool(compiled.rivals.any())
        return compiled


def maker(cls=HybridScorer, mean=None):
    def make(weights=fitting.DEFAULT_WEIGHTS):
        if cls is HybridScorer and mean is None:
            return fitting.scorer(weights)
        return cls(fitting.scorer().embedder, cache=fitting._CACHE, weights=weights, mean=mean)
    return make


@contextlib.contextmanager
def top_words(count: int):
    """The lexical signals summing the best `count` words instead of lexical.TOP."""
    kept, lexical.TOP = lexical.TOP, count
    try:
        yield
    finally:
        lexical.TOP = kept


def rows() -> dict:
    """label -> (options of cross_fitted, a context to run it in)."""
    plain = contextlib.nullcontext
    return {
        "shipped recipe": ({}, plain),
        "no description words": ({"make": maker(NoWords)}, plain),
        "no acronym table": ({"make": maker(NoAcronyms)}, plain),
        "neither (round 1's signals)": ({"make": maker(type("Neither", (NoWords, NoAcronyms), {}))}, plain),
        "description words: every word, not the best 4": ({}, lambda: top_words(10 ** 6)),
        "description words: the best 2": ({}, lambda: top_words(2)),
        "no rival topics": ({"make": maker(NoRivals)}, plain),
        "rivals: also not near any keyword": ({"make": maker(RivalsFarFromKeywords)}, plain),
        "decision shift 0.25": ({"shift": 0.25}, plain),
        "decision shift 0.75": ({"shift": 0.75}, plain),
        "decision shift 1.0": ({"shift": 1.0}, plain),
        "decision shift 1.25 (round 4, withdrawn)": ({"shift": 1.25}, plain),
        "no shortened profile variants": ({"variants": False}, plain),
        "no crowding (round 2's signals)": ({"make": maker(NoCrowding)}, plain),
        "fitted on round 2's five sets only": ({"only": ("sample", "terse", "chatty", "mixed", "practitioner")},
                                                plain),
    }


def run_row(label: str, options: dict, papers: data.Papers, sets: dict) -> None:
    only = options.pop("only", None)  # fit on these sets alone (each still leaves itself out)
    outcomes = [fitting.cross_fitted(sets[name], [s for n, s in sets.items() if n != name and (not only or n in only)],
                                     papers, **options) for name in data.CHOOSING]
    new = [o for o in outcomes if o.name in data.NEW_SETS]
    sample = [o for o in outcomes if o.name == "sample"]
    at, (best_at, best) = metrics.micro(new, 0.5), metrics.best_threshold(new)
    low = sum(r is not None and r < 0.5 for *_, r in metrics.recalls(new, 0.5))
    print(f"{label:48} new-user sets: F1 {at.f1:.3f} (P {at.precision:.2f} R {at.recall:.2f}; best {best:.3f} at "
          f"{best_at:.2f}) AP {metrics.average_precision(new):.3f} low-recall {low}/{sum(r is not None for *_, r in metrics.recalls(new, 0.5))} | sample: F1 "
          f"{metrics.micro(sample, 0.5).f1:.3f} AP {metrics.average_precision(sample):.3f}", flush=True)


def tokens_row(tokens: int) -> None:
    """The shipped recipe reading `tokens` tokens of each paper (its own typical paper), in this process."""
    embed.MAX_TOKENS = tokens
    embed.MiniLMOnnx.name = f"{embed.MODEL_NAME}-{tokens}"
    papers = data.load_papers()
    mean = embed.paper_vectors(fitting.scorer().embedder, papers.papers, None)[:, 0].mean(axis=0)
    sets = {name: data.load_set(name, papers) for name in data.CHOOSING}
    run_row(f"paper read to {tokens} tokens", {"make": maker(mean=mean)}, papers, sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="one row, by its label")
    parser.add_argument("--tokens", type=int, help="(internal) the shipped recipe at this length")
    args = parser.parse_args()
    if args.tokens:
        return tokens_row(args.tokens)
    papers = data.load_papers()
    sets = {name: data.load_set(name, papers) for name in data.CHOOSING}
    for label, (options, context) in rows().items():
        if not args.only or args.only == label:
            with context():
                run_row(label, options, papers, sets)
    if not args.only:
        subprocess.run([sys.executable, __file__, "--tokens", "256"], check=True)
        new = [keyword_outcome(sets[n], papers) for n in data.NEW_SETS]
        print(f"{'keywords baseline (nothing fitted)':48} new-user sets: F1 {metrics.micro(new, 0.5).f1:.3f} "
              f"AP {metrics.average_precision(new):.3f}")


if __name__ == "__main__":
    main()
