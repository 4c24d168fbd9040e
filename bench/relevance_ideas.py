"""What each idea gained, on the CHOOSING sets only (sample, terse, chatty), the figures the choices rest on.

    .venv/bin/python bench/relevance_ideas.py            # every row, about 6 minutes
    .venv/bin/python bench/relevance_ideas.py --only "no rival topics"

Each row changes one thing in the shipped recipe and reruns leave-one-set-out with papers
cross-fitted (bench/relevance_fit.py): held out terse+chatty (fitted on the other two sets) and
held out sample (fitted on terse+chatty). Printed: micro-F1 at 0.5, the best single threshold
afterwards, pooled average precision (ranking and cross-profile calibration, threshold-free), and
how many profiles have recall under 0.5.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from papercast.relevance import embed  # noqa: E402
from papercast.relevance.hybrid import HybridScorer  # noqa: E402

import relevance_data as data  # noqa: E402
import relevance_fit as fitting  # noqa: E402
import relevance_metrics as metrics  # noqa: E402
from relevance import keyword_outcome  # noqa: E402


class NoRivals(HybridScorer):
    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        s.values[..., 4] = 0.0
        return s


class AgainstTheCorpus(HybridScorer):
    """The four similarities as z-scores within each profile's distribution over the 219 stored papers."""

    reference: list = []

    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        ref = super().signals(self.reference, profiles).values[..., :4]
        s.values[..., :4] = (s.values[..., :4] - ref.mean(axis=0)) / ref.std(axis=0)
        return s


class Feedback(HybridScorer):
    """Pseudo-relevance feedback: the profile's vector moved toward its 5 nearest stored papers."""

    reference: list = []

    def signals(self, papers, profiles):
        s = super().signals(papers, profiles)
        targets = self.compile(profiles)
        stored = self.centred_papers(self.reference)
        topics = np.stack([t.topic for t in targets])
        nearest = np.argsort(-(stored @ topics.T), axis=0)[:5]
        moved = embed.normalize(topics + np.stack([stored[nearest[:, j]].mean(axis=0) for j in range(len(targets))]))
        s.values[..., 0] = self.centred_papers(papers) @ moved.T
        return s

    def centred_papers(self, papers):
        return embed.normalize(embed.paper_vectors(self.embedder, papers, self.cache)[:, 0] - self.mean)


class StaticEmbedder:
    """A static table distilled from the packaged MiniLM: each WordPiece token run through the model alone."""

    def __init__(self):
        model = embed.MiniLMOnnx()
        self.tokenizer = model.tokenizer
        vocab = embed.VOCAB.read_text(encoding="utf-8").splitlines()
        self.name = "static-minilm-table"
        self.table = np.zeros((len(vocab), embed.DIM), dtype=np.float32)
        cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
        for start in range(0, len(vocab), 1024):
            ids = np.arange(start, min(len(vocab), start + 1024))
            x = np.stack([np.full(len(ids), cls), ids, np.full(len(ids), sep)], axis=1)
            hidden = model.session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x),
                                              "token_type_ids": np.zeros_like(x)})[0]
            self.table[ids] = hidden.mean(axis=1)
        self.weight = np.log(np.arange(len(vocab)) + 2.0)[:, None]  # later WordPiece ids are rarer words

    def embed(self, texts):
        found = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return embed.normalize(np.array([(self.table[e.ids] * self.weight[e.ids]).sum(axis=0) if e.ids
                                         else np.zeros(embed.DIM) for e in found], dtype=np.float32))

    def embed_papers(self, papers):
        return np.stack([self.embed([embed.paper_text(p) for p in papers]), self.embed([p.title for p in papers])],
                        axis=1)


def typical(embedder, papers) -> np.ndarray:
    return embed.paper_vectors(embedder, papers, None)[:, 0].mean(axis=0)


def maker(cls=HybridScorer, embedder=None, mean=None):
    def make(weights=fitting.DEFAULT_WEIGHTS):
        if embedder is None:
            return fitting.scorer(weights) if cls is HybridScorer and mean is None else \
                cls(fitting.scorer().embedder, cache=fitting._CACHE, weights=weights, mean=mean)
        return cls(embedder, cache=fitting._CACHE, weights=weights, mean=mean)
    return make


def rows(papers: data.Papers) -> dict:
    """label -> options of cross_fitted (make=, variants=, fit options); built lazily, as some distil a model."""
    zero = np.zeros(embed.DIM, dtype=np.float32)
    AgainstTheCorpus.reference = Feedback.reference = papers.papers
    return {
        "shipped recipe": lambda: {},
        "no rival topics": lambda: {"make": maker(NoRivals)},
        "no centring (plain cosines)": lambda: {"make": maker(mean=zero)},
        "no shortened profile variants": lambda: {"variants": False},
        "no set balance (no-op: 8 profiles each)": lambda: {"balance": False},
        "decision shift +0.5": lambda: {"shift": 0.5},
        "decision shift +1.0": lambda: {"shift": 1.0},
        "+ z-scores against the stored papers": lambda: {"make": maker(AgainstTheCorpus)},
        "+ pseudo-relevance feedback (5 papers)": lambda: {"make": maker(Feedback)},
        "static table distilled from MiniLM": lambda: static_options(papers),
    }


def static_options(papers: data.Papers) -> dict:
    table = StaticEmbedder()
    return {"make": maker(embedder=table, mean=typical(table, papers.papers))}


def run_row(label: str, options: dict, papers: data.Papers, sets: dict) -> None:
    cells = []
    for held in (("terse", "chatty"), ("sample",)):
        outcomes = fitting.leave_one_set_out(held, sets, papers, **options)
        at, (best_at, best) = metrics.micro(outcomes, 0.5), metrics.best_threshold(outcomes)
        low = sum(r is not None and r < 0.5 for *_, r in metrics.recalls(outcomes, 0.5))
        cells.append(f"{'+'.join(held)}: F1 {at.f1:.3f} (best {best:.3f} at {best_at:.2f}) AP "
                     f"{metrics.average_precision(outcomes):.3f} low-recall {low}")
    print(f"{label:40} " + " | ".join(cells), flush=True)


def tokens_row(tokens: int) -> None:
    """The shipped recipe reading `tokens` tokens of each paper (its own typical paper), in this process."""
    embed.MAX_TOKENS = tokens
    embed.MiniLMOnnx.name = f"{embed.MODEL_NAME}-{tokens}"
    papers = data.load_papers()
    mean = typical(fitting.scorer().embedder, papers.papers)
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
    for label, options in rows(papers).items():
        if not args.only or args.only == label:
            run_row(label, options(), papers, sets)
    if not args.only:
        for tokens in (96, 256):
            subprocess.run([sys.executable, __file__, "--tokens", str(tokens)], check=True)
        held = [keyword_outcome(sets[n], papers) for n in ("terse", "chatty")]
        print(f"{'keywords baseline (nothing fitted)':40} terse+chatty: F1 {metrics.micro(held, 0.5).f1:.3f} "
              f"AP {metrics.average_precision(held):.3f}")


if __name__ == "__main__":
    main()
