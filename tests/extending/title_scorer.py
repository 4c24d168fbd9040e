"""A scorer: a profile wants a paper whose title names one of its keywords; nothing else counts.

One module with a class that meets `papercast.relevance.base.Scorer`; the registry line that adds it:

    ScorerKind("titles", TitleScorer.name, lambda cache=None: TitleScorer()),   # in SCORERS,
                                                                              # papercast/relevance/registry.py
"""

from __future__ import annotations

from collections.abc import Sequence

from papercast.models import StoredPaper
from papercast.relevance.base import Score
from papercast.settings import Profile


class TitleScorer:
    name = "title-keywords"

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]:
        return [[self.one(paper, profile) for profile in profiles] for paper in papers]

    def one(self, paper: StoredPaper, profile: Profile) -> Score:
        named = [word for word in profile.keywords if word.lower() in paper.title.lower()]
        return Score(1.0, "title names " + ", ".join(named)) if named else Score(0.0, "no keyword in the title")
