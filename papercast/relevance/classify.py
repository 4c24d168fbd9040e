"""Which profiles want which paper: every (paper, profile) scored, kept at or above the threshold."""

from __future__ import annotations

from collections.abc import Sequence

from papercast.models import Assignment, StoredPaper
from papercast.relevance.base import Scorer
from papercast.settings import Profile


def classify_papers(
    papers: Sequence[StoredPaper], profiles: Sequence[Profile], scorer: Scorer, default_threshold: float
) -> list[Assignment]:
    """Assignments of papers to profiles whose score reaches the profile's threshold."""
    if not papers:
        return []
    rows = scorer.score(papers, profiles)
    assignments = []
    for paper, row in zip(papers, rows, strict=False):  # a scorer gives a row per paper, a score per profile
        for profile, score in zip(profiles, row, strict=False):
            threshold = profile.threshold if profile.threshold is not None else default_threshold
            if score.value >= threshold:
                assignments.append(Assignment(paper.id, profile.id, score.value, score.why))
    return assignments
