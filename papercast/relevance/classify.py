"""Which profiles want which paper: a score in [0, 1] and a reason for every pair.

Scorers sit behind the small `Scorer` interface, so a better one can replace
the keyword scorer without touching the rest of the run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from papercast.config import Profile
from papercast.models import Assignment, StoredPaper

TITLE_WEIGHT = 1.0
ABSTRACT_WEIGHT = 0.4
REPEAT_WEIGHT = 0.1
MAX_REPEATS = 3


@dataclass(frozen=True)
class Score:
    value: float
    why: str


class Scorer(Protocol):
    """Scores every (paper, profile) pair: one row of Scores per paper, in profile order."""

    name: str

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]: ...


def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern; hyphens and spaces in a term match either.

    The keyword baseline keeps this exact matcher; the hybrid scorer uses relevance.terms.
    """
    parts = [re.escape(part) for part in re.split(r"[\s-]+", term.strip()) if part]
    return re.compile(r"(?<![\w])" + r"[\s-]?".join(parts) + r"s?(?![\w])", re.IGNORECASE)


class KeywordScorer:
    """Keyword evidence with field weights: a title hit counts more than an abstract mention."""

    name = "keywords"

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]:
        compiled = [self._compile(profile) for profile in profiles]
        return [[self._score_one(paper, *terms) for terms in compiled] for paper in papers]

    @staticmethod
    def _compile(profile: Profile) -> tuple[list, list]:
        keywords = [(k, term_pattern(k)) for k in profile.keywords if k.strip()]
        excludes = [(k, term_pattern(k)) for k in profile.exclude if k.strip()]
        return keywords, excludes

    @staticmethod
    def _score_one(paper: StoredPaper, keywords: list, excludes: list) -> Score:
        for word, pattern in excludes:
            if pattern.search(paper.title) or pattern.search(paper.abstract):
                return Score(0.0, f"excluded: mentions {word}")
        in_title, in_abstract, evidence = [], [], 0.0
        for word, pattern in keywords:
            title_hits = len(pattern.findall(paper.title))
            abstract_hits = len(pattern.findall(paper.abstract))
            if title_hits:
                in_title.append(word)
                evidence += TITLE_WEIGHT
            elif abstract_hits:
                in_abstract.append(word)
                evidence += ABSTRACT_WEIGHT + REPEAT_WEIGHT * min(abstract_hits - 1, MAX_REPEATS)
        return Score(round(1 - math.exp(-evidence), 4), describe_matches(in_title, in_abstract))


def describe_matches(in_title: list[str], in_abstract: list[str]) -> str:
    parts = []
    if in_title:
        parts.append("title mentions " + ", ".join(in_title))
    if in_abstract:
        parts.append("abstract mentions " + ", ".join(in_abstract))
    return "; ".join(parts) if parts else "no keyword of this profile"


def classify_papers(papers: Sequence[StoredPaper], profiles: Sequence[Profile], scorer: Scorer,
                    default_threshold: float) -> list[Assignment]:
    """Assignments of papers to profiles whose score reaches the profile's threshold."""
    if not papers:
        return []
    rows = scorer.score(papers, profiles)
    assignments = []
    for paper, row in zip(papers, rows):
        for profile, score in zip(profiles, row):
            threshold = profile.threshold if profile.threshold is not None else default_threshold
            if score.value >= threshold:
                assignments.append(Assignment(paper.id, profile.id, score.value, score.why))
    return assignments


def by_profile(assignments: Sequence[Assignment]) -> dict[str, list[Assignment]]:
    """Assignments grouped by profile, best first."""
    grouped: dict[str, list[Assignment]] = {}
    for assignment in sorted(assignments, key=lambda a: (-a.score, a.paper_id)):
        grouped.setdefault(assignment.profile_id, []).append(assignment)
    return grouped


def make_scorer(settings, cache=None) -> Scorer:
    """The scorer the config asks for; `cache` (the store) keeps each paper's vector."""
    if settings.classify.backend == "keywords":
        return KeywordScorer()
    from papercast.relevance.embed import MiniLMOnnx
    from papercast.relevance.hybrid import HybridScorer

    return HybridScorer(MiniLMOnnx(), cache=cache)


def backend_name(settings) -> str:
    """What the run report's `classifier` field says, without loading a model."""
    return {"keywords": KeywordScorer.name, "hybrid": "hybrid-minilm"}[settings.classify.backend]
