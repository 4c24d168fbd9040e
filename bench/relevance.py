"""Relevance benchmark: precision, recall and micro-F1 per profile, on dev and test, per backend.

    .venv/bin/python bench/relevance.py            # evaluate keywords baseline and hybrid, time a week
    .venv/bin/python bench/relevance.py --fit      # refit the hybrid weights on dev only and print them

Labels: bench/data/relevance_labels.jsonl (see LABELLING.md); papers: ../shared/digests.
Profiles: config/papercast.toml, given only title, description and keywords (no examples).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from papercast.relevance.keywords import KeywordScorer  # noqa: E402
from papercast.relevance.classify import classify_papers  # noqa: E402
from papercast.config import load_settings  # noqa: E402
from papercast.identity import normalize_title  # noqa: E402
from papercast.models import StoredPaper  # noqa: E402
from papercast.relevance.embed import MiniLMOnnx  # noqa: E402
from papercast.relevance.hybrid import DEFAULT_WEIGHTS, HybridScorer, Weights  # noqa: E402
from papercast.sources import parse_input  # noqa: E402
from papercast.store import Store  # noqa: E402

LABELS = PROJECT / "bench" / "data" / "relevance_labels.jsonl"
DIGESTS = PROJECT.parent / "shared" / "digests"
CONFIG = PROJECT / "config" / "papercast.toml"
AS_OF = dt.date(2026, 11, 23)
FEATURES = ("topic", "keyword", "title_keyword", "title", "abstract")


def digest_papers(folder: Path) -> list:
    """Every paper entry of every digest, in file order (repeats included)."""
    entries = []
    for path in sorted(folder.glob("*.txt")):
        entries += parse_input(path.read_bytes(), path.name, AS_OF).papers
    return entries


def stored(paper, source: str = "bench") -> StoredPaper:
    return StoredPaper(paper.id, paper.title, paper.abstract, AS_OF, source)


def labelled_set() -> tuple[list[StoredPaper], dict[str, set[str]], dict[str, str]]:
    """The labelled papers, their gold profile ids and their split, keyed by paper id."""
    by_key = {normalize_title(p.title): p for p in digest_papers(DIGESTS)}
    papers, gold, split = [], {}, {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        paper = stored(by_key[normalize_title(record["title"])])
        papers.append(paper)
        gold[paper.id], split[paper.id] = set(record["labels"]), record["split"]
    return papers, gold, split


def other_annotators(papers: list[StoredPaper], folder: Path = LABELS.parent) -> dict[str, dict[str, set[str]]]:
    """Labels of further annotators (`relevance_labels_<name>.jsonl`), by name, keyed by paper id."""
    by_key = {normalize_title(p.title): p.id for p in papers}
    found = {}
    for path in sorted(folder.glob("relevance_labels_*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        found[path.stem.removeprefix("relevance_labels_")] = {
            by_key[normalize_title(r["title"])]: set(r["labels"]) for r in records}
    return found


def micro_f1(predicted: dict[str, set[str]], gold: dict[str, set[str]], split: dict[str, str], part: str) -> float:
    part_gold = {pid: labels for pid, labels in gold.items() if split[pid] == part}
    return prf(*counts(predicted, part_gold, None))[2]


def print_agreement(runs: dict[str, dict[str, set[str]]], gold, others, split) -> None:
    """How each further annotator agrees with the gold labels, and how each backend does against them."""
    for name, labels in others.items():
        print(f"\nannotator '{name}' (labelled independently; see LABELLING.md):")
        for part in ("dev", "test"):
            mine = {pid: found for pid, found in labels.items() if split[pid] == part}
            if not mine:
                continue
            against = ", ".join(f"{backend} {micro_f1(p, mine, split, part):.3f}" for backend, p in runs.items())
            print(f"  {part} ({len(mine)} papers): agreement with the gold labels (micro-F1) "
                  f"{micro_f1(mine, gold, split, part):.3f}; backends scored against this annotator: {against}")


def counts(predicted: dict[str, set[str]], gold: dict[str, set[str]], profile: str | None) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for paper_id, truth in gold.items():
        guess = predicted.get(paper_id, set())
        if profile is not None:
            truth, guess = truth & {profile}, guess & {profile}
        tp, fp, fn = tp + len(truth & guess), fp + len(guess - truth), fn + len(truth - guess)
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def predictions(scorer, papers, profiles, threshold: float) -> dict[str, set[str]]:
    predicted: dict[str, set[str]] = {}
    for a in classify_papers(papers, profiles, scorer, threshold):
        predicted.setdefault(a.paper_id, set()).add(a.profile_id)
    return predicted


def print_table(name: str, predicted, gold, split, profile_ids) -> dict[str, float]:
    micro = {}
    for part in ("dev", "test"):
        part_gold = {pid: labels for pid, labels in gold.items() if split[pid] == part}
        print(f"\n{name} — {part} ({len(part_gold)} papers)")
        print(f"  {'profile':18} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn")
        for profile in profile_ids + [None]:
            tp, fp, fn = counts(predicted, part_gold, profile)
            p, r, f = prf(tp, fp, fn)
            print(f"  {profile or 'MICRO (all)':18} {p:6.3f} {r:6.3f} {f:6.3f}  {tp} {fp} {fn}")
        micro[part] = prf(*counts(predicted, part_gold, None))[2]
    return micro


def evaluate(settings) -> None:
    papers, gold, split = labelled_set()
    profiles = settings.profiles
    assert not any(p.examples or p.counter_examples for p in profiles), "profiles must carry no examples"
    ids = [p.id for p in profiles]
    threshold = settings.classify.threshold
    runs = {"keywords": predictions(KeywordScorer(), papers, profiles, threshold),
            "hybrid": predictions(HybridScorer(MiniLMOnnx()), papers, profiles, threshold)}
    base = print_table("keywords (baseline)", runs["keywords"], gold, split, ids)
    hybrid = print_table("hybrid-minilm", runs["hybrid"], gold, split, ids)
    print(f"\nmicro-F1 at threshold {threshold}: keywords dev {base['dev']:.3f} test {base['test']:.3f}; "
          f"hybrid dev {hybrid['dev']:.3f} test {hybrid['test']:.3f}; "
          f"gain on test {hybrid['test'] - base['test']:+.3f}")
    print_intervals(runs, gold, split)
    print_agreement(runs, gold, other_annotators(papers), split)


def paper_counts(predicted: dict[str, set[str]], gold: dict[str, set[str]], ids: list[str]) -> np.ndarray:
    """One row of (tp, fp, fn) per paper, so that papers can be resampled."""
    return np.array([counts({pid: predicted.get(pid, set())}, {pid: gold[pid]}, None) for pid in ids], dtype=float)


def bootstrap_f1(rows: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Micro-F1 of each resample of papers (`draws` holds row indices, one resample per line)."""
    tp, fp, fn = (rows[draws][..., i].sum(axis=1) for i in range(3))
    return 2 * tp / np.maximum(2 * tp + fp + fn, 1)


def print_intervals(runs: dict[str, dict[str, set[str]]], gold, split, resamples: int = 2000) -> None:
    """95 % intervals of test micro-F1 and of the gain, resampling the test papers (seeded)."""
    ids = sorted(pid for pid in gold if split[pid] == "test")
    draws = np.random.default_rng(0).integers(0, len(ids), size=(resamples, len(ids)))
    f1 = {name: bootstrap_f1(paper_counts(p, gold, ids), draws) for name, p in runs.items()}
    low_high = {name: np.percentile(values, [2.5, 97.5]) for name, values in f1.items()}
    gain = np.percentile(f1["hybrid"] - f1["keywords"], [2.5, 97.5])
    print("95 % intervals on test (papers resampled): " +
          "; ".join(f"{name} {lo:.3f}-{hi:.3f}" for name, (lo, hi) in low_high.items()) +
          f"; gain of hybrid over keywords {gain[0]:+.3f} to {gain[1]:+.3f}")


def week_of(size: int) -> list[StoredPaper]:
    """`size` distinct papers from the real digests (repeats get fresh ids)."""
    entries = digest_papers(DIGESTS)
    week = []
    for i in range(size):
        paper = entries[i % len(entries)]
        week.append(dataclasses.replace(stored(paper), id=f"w{i}-{paper.id}"))
    return week


def time_week(settings, size: int = 250) -> None:
    week, profiles = week_of(size), settings.profiles
    start = time.perf_counter()
    KeywordScorer().score(week, profiles)
    keyword_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "state.sqlite") as store:
        start = time.perf_counter()
        scorer = HybridScorer(MiniLMOnnx(), cache=store)
        load_seconds = time.perf_counter() - start
        cold = timed(lambda: scorer.score(week, profiles))
        warm = timed(lambda: HybridScorer(MiniLMOnnx(), cache=store).score(week, profiles))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nweek of {size} papers x {len(profiles)} profiles: keywords {keyword_seconds:.2f} s; "
          f"hybrid: model load {load_seconds:.2f} s, cold (embeds every paper) {cold:.1f} s "
          f"({size / cold:.1f} papers/s), warm (vectors from the store) {warm:.2f} s incl. model load; "
          f"peak RSS of this process {peak_mb:.0f} MB")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fit(settings, iterations: int = 5000, l2: float = 1e-3) -> None:
    """Logistic regression of gold labels on the hybrid signals, dev split only."""
    papers, gold, split = labelled_set()
    dev = [p for p in papers if split[p.id] == "dev"]
    scorer = HybridScorer(MiniLMOnnx())
    vectors, titles = scorer.paper_vectors(dev)
    targets = [scorer.compile(profile) for profile in settings.profiles]
    rows, labels = [], []
    for paper in dev:
        for target in targets:
            s = scorer.signals(paper, (vectors[paper.id], titles[paper.id]), target)
            rows.append([s.topic, s.keyword, s.title_keyword, s.evidence.title_count, s.evidence.abstract_count])
            labels.append(target.profile.id in gold[paper.id])
    weights = logistic(np.array(rows), np.array(labels, dtype=float), iterations, l2)
    print(dataclasses.replace(DEFAULT_WEIGHTS, bias=round(float(weights[-1]), 2),
                              **{name: round(float(w), 2) for name, w in zip(FEATURES, weights[:-1])}))


def logistic(x: np.ndarray, y: np.ndarray, iterations: int, l2: float) -> np.ndarray:
    """Weights in the raw feature units, the bias last (fitted on standardized features)."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    raw = w[:-1] / std
    return np.r_[raw, w[-1] - (raw * mean).sum()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(CONFIG))
    parser.add_argument("--fit", action="store_true", help="refit the hybrid weights on dev and print them")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    settings = load_settings(args.config)
    if args.fit:
        return fit(settings)
    evaluate(settings)
    if not args.no_timing:
        time_week(settings)


if __name__ == "__main__":
    main()
