"""What every scorer gives: a score in [0, 1] and a reason, for every (paper, profile)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from papercast.config import Profile
from papercast.models import StoredPaper


@dataclass(frozen=True)
class Score:
    value: float
    why: str


class Scorer(Protocol):
    """Scores every (paper, profile) pair: one row of Scores per paper, in profile order."""

    name: str

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]: ...
