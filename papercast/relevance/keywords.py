"""The lexical baseline: keyword evidence with field weights (a title hit counts more)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from papercast.models import StoredPaper
from papercast.relevance.base import Score
from papercast.settings import Profile

TITLE_WEIGHT = 1.0
ABSTRACT_WEIGHT = 0.4
REPEAT_WEIGHT = 0.1
MAX_REPEATS = 3


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
