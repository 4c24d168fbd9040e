"""Which profiles want which paper: every (paper, profile) scored; joined at the threshold, kept when near it.

A pair joins its profile when its score reaches the profile's threshold. A pair below it but scoring at
least CANDIDATE_FLOOR is kept too, as "near": a reader's votes can raise it into their picks, and the
explore section and the tune page choose from such pairs. Nothing lower is kept: at 0.05 the reader's own
model would almost never lift a pair past the threshold (bench/RESULTS-learning.md), and three in four
pairs score lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from papercast.models import Assignment, StoredPaper
from papercast.relevance.base import Scorer
from papercast.settings import Profile

CANDIDATE_FLOOR = 0.05


@dataclass
class ScoredPairs:
    """A batch's pairs: those that joined (with their reasons) and those kept near the threshold (no reason)."""

    joined: list[Assignment] = field(default_factory=list)
    near: list[Assignment] = field(default_factory=list)


def threshold_of(profile: Profile, default_threshold: float) -> float:
    return profile.threshold if profile.threshold is not None else default_threshold


def score_pairs(
    papers: Sequence[StoredPaper], profiles: Sequence[Profile], scorer: Scorer, default_threshold: float
) -> ScoredPairs:
    """Every (paper, profile) scored: joined at the profile's threshold, near from CANDIDATE_FLOOR up to it."""
    found = ScoredPairs()
    if not papers or not profiles:
        return found
    thresholds = [threshold_of(profile, default_threshold) for profile in profiles]
    for paper, row in zip(papers, scorer.score(papers, profiles), strict=False):  # a row per paper
        for profile, threshold, score in zip(profiles, thresholds, row, strict=False):
            if score.value >= threshold:
                found.joined.append(Assignment(paper.id, profile.id, score.value, score.why))
            elif score.value >= CANDIDATE_FLOOR:
                found.near.append(Assignment(paper.id, profile.id, score.value, ""))
    return found


def classify_papers(
    papers: Sequence[StoredPaper], profiles: Sequence[Profile], scorer: Scorer, default_threshold: float
) -> list[Assignment]:
    """Assignments of papers to profiles whose score reaches the profile's threshold."""
    return score_pairs(papers, profiles, scorer, default_threshold).joined
