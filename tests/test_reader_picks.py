"""A reader's picks, explore section and tune page (papercast.newsletter.reader_picks), with and without a taste."""

from __future__ import annotations

import datetime as dt

import numpy as np

from papercast.models import StoredPaper
from papercast.newsletter.reader_picks import NO_TASTE, ProfileCandidates, ReaderTaste, Voted, pick, tune_choice
from papercast.relevance.taste import fit_taste

DIM = 8


def unit(*parts: float) -> np.ndarray:
    v = np.zeros(DIM)
    v[: len(parts)] = parts
    return v / np.linalg.norm(v)


def paper(n: int) -> StoredPaper:
    return StoredPaper(f"p{n}", f"Paper {n}", "", dt.date(2025, 6, 2), "test", seq=n)


SCORES = [0.9, 0.7, 0.45, 0.3, 0.2, 0.12, 0.05]  # p0..p6 in profile "a"; p0 and p1 joined it
VECTORS = np.stack([unit(1, 0.05 * n) if n != 4 else unit(0, 1) for n in range(len(SCORES))])
PROFILE_A = ProfileCandidates(
    "a", [paper(n) for n in range(len(SCORES))], np.array(SCORES), ["reason 0", "reason 1"] + [""] * 5, VECTORS
)
THRESHOLDS = {"a": 0.5}


def ids(items) -> list[str]:
    return [item.paper.id for item in items]


def test_without_votes_the_picks_are_the_pairs_at_the_threshold_and_the_explore_section_those_just_below():
    picked = pick([PROFILE_A], NO_TASTE, THRESHOLDS, limit=10, explore={"a": 3}, delivered=set())
    assert ids(picked.picks) == ["p0", "p1"]
    assert [item.assignment.why for item in picked.picks] == ["reason 0", "reason 1"]
    assert ids(picked.explore) == ["p2", "p3", "p4"]  # at least 0.1, below 0.5, best first
    assert picked.explore[0].assignment.why == "just below this interest's threshold"
    assert ids(pick([PROFILE_A], NO_TASTE, THRESHOLDS, 10, {"a": 0}, set()).explore) == []


def test_delivered_papers_are_neither_picked_nor_explored_and_the_limit_holds():
    picked = pick([PROFILE_A], NO_TASTE, THRESHOLDS, limit=1, explore={"a": 2}, delivered={"p0", "p2"})
    assert ids(picked.picks) == ["p1"]
    assert ids(picked.explore) == ["p3", "p4"]


def test_a_liked_paper_raises_papers_like_it_past_the_threshold_with_a_reason_naming_it():
    liked = np.stack([unit(0, 1, 0.1), unit(0, 1, -0.1), unit(0.1, 1)])
    taste = fit_taste(["v1", "v2", "v3"], np.full(3, -1.0), liked, np.ones(3, bool), np.zeros(3))
    reader = ReaderTaste({"a": (taste, Voted(("Liked one", "Liked two", "Liked three"), liked))})
    picked = pick([PROFILE_A], reader, THRESHOLDS, limit=10, explore={"a": 3}, delivered=set())
    assert "p4" in ids(picked.picks)  # 0.2 before the votes, like the liked papers
    p4 = next(item for item in picked.picks if item.paper.id == "p4")
    assert p4.assignment.score >= 0.5
    assert p4.assignment.why.startswith("like 3 papers you marked more like this: 'Liked")
    assert "p4" not in ids(picked.explore)


def test_the_tune_page_takes_the_papers_nearest_the_threshold_spread_out_and_never_one_already_voted():
    chosen = tune_choice(PROFILE_A, NO_TASTE, 0.5, voted={"p2"}, size=3)
    assert "p2" not in ids(chosen)
    assert ids(chosen)[0] in ("p1", "p3")  # 0.7 and 0.3: the closest to 0.5 once p2 (0.45) is voted
    assert "p4" in ids(chosen)  # unlike the others: chosen before the second of p1 and p3, which are alike
    assert len(chosen) == 3
