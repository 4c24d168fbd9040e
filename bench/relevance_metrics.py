"""Figures of held-out outcomes: micro P/R/F1 at a threshold, the best threshold afterwards,
per-profile recall, a bootstrap interval over papers, pooled average precision, and agreement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from relevance_fit import Outcome

GRID = np.round(np.arange(0.02, 0.99, 0.01), 2)
RESAMPLES = 2000


@dataclass
class Figures:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def prf(tp: int, fp: int, fn: int) -> Figures:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return Figures(precision, recall, f1, tp, fp, fn)


def paper_counts(outcomes: Sequence[Outcome], threshold: float) -> np.ndarray:
    """(papers, 3): tp, fp, fn of each paper, summed over the outcomes' profiles (same papers in each)."""
    total = np.zeros((len(outcomes[0].paper_ids), 3))
    for o in outcomes:
        taken, wanted = o.s >= threshold, o.y > 0
        total += np.stack([(taken & wanted).sum(1), (taken & ~wanted).sum(1), (~taken & wanted).sum(1)], axis=1)
    return total


def micro(outcomes: Sequence[Outcome], threshold: float) -> Figures:
    tp, fp, fn = paper_counts(outcomes, threshold).sum(axis=0)
    return prf(int(tp), int(fp), int(fn))


def best_threshold(outcomes: Sequence[Outcome]) -> tuple[float, float]:
    """The single threshold with the best micro-F1, picked afterwards, and that F1."""
    f1 = [micro(outcomes, t).f1 for t in GRID]
    best = int(np.argmax(f1))
    return float(GRID[best]), f1[best]


def recalls(outcomes: Sequence[Outcome], threshold: float) -> list[tuple[str, str, int, float | None]]:
    """(set, profile, positives, recall); recall None for a profile with no positive."""
    rows = []
    for o in outcomes:
        for j, pid in enumerate(o.profile_ids):
            wanted = o.y[:, j] > 0
            rows.append((o.name, pid, int(wanted.sum()),
                         float((o.s[wanted, j] >= threshold).mean()) if wanted.any() else None))
    return rows


def interval(outcomes: Sequence[Outcome], threshold: float, seed: int = 0) -> tuple[float, float]:
    """95 % bootstrap interval of micro-F1, resampling papers (seeded)."""
    rows = paper_counts(outcomes, threshold)
    draws = np.random.default_rng(seed).integers(0, len(rows), size=(RESAMPLES, len(rows)))
    tp, fp, fn = (rows[draws][..., i].sum(axis=1) for i in range(3))
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    low, high = np.percentile(f1, [2.5, 97.5])
    return float(low), float(high)


def average_precision(outcomes: Sequence[Outcome]) -> float:
    """Average precision of all (paper, profile) pairs pooled: ranking and cross-profile calibration at once."""
    s = np.concatenate([o.s.ravel() for o in outcomes])
    y = np.concatenate([o.y.ravel() for o in outcomes]) > 0
    y = y[np.argsort(-s, kind="stable")]
    precision = np.cumsum(y) / np.arange(1, len(y) + 1)
    return float((precision * y).sum() / max(1, y.sum()))


def agreement(one: dict[str, set[str]], other: dict[str, set[str]]) -> float:
    """Micro-F1 of one labelling against another (symmetric)."""
    tp = sum(len(one[pid] & other.get(pid, set())) for pid in one)
    disagree = sum(len(one[pid] ^ other.get(pid, set())) for pid in one)
    return 2 * tp / (2 * tp + disagree) if tp + disagree else 1.0
