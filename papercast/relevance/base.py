"""What every scorer gives: a score in [0, 1] and a reason, for every (paper, profile)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from papercast.models import StoredPaper
from papercast.settings import Profile


class Score:
    """A score and its reason. A scorer may give the reason as a function of no arguments: it is then
    built the first time it is read, so a run that keeps few of many pairs builds few reasons."""

    __slots__ = ("value", "_why")

    def __init__(self, value: float, why: str | Callable[[], str]):
        self.value = value
        self._why = why

    @property
    def why(self) -> str:
        if not isinstance(self._why, str):
            self._why = self._why()
        return self._why

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Score) and (self.value, self.why) == (other.value, other.why)

    def __hash__(self) -> int:
        return hash((self.value, self.why))

    def __repr__(self) -> str:
        return f"Score(value={self.value!r}, why={self.why!r})"


class Scorer(Protocol):
    """Scores every (paper, profile) pair: one row of Scores per paper, in profile order."""

    name: str

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]: ...
