"""The values that flow through a run: papers, digests, assignments, newsletters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from papercast.identity import normalize_title, paper_id
from papercast.jsonable import rename


@dataclass(frozen=True)
class Paper:
    """One paper as a source reported it."""

    title: str
    abstract: str = ""
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    link: str | None = None
    categories: tuple[str, ...] = ()
    published: dt.date | None = None

    @property
    def id(self) -> str:
        return paper_id(self.title, self.arxiv_id)

    @property
    def title_key(self) -> str:
        return normalize_title(self.title)


@dataclass(frozen=True)
class Problem:
    """A warning or error about one input, for the run report."""

    source: str
    message: str


@dataclass(frozen=True)
class Digest:
    """What one input (file or feed) held: its date and papers, in page order."""

    source: str
    date: dt.date
    papers: tuple[Paper, ...]
    content_hash: str = ""
    format: str = "daily-text"
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class StoredPaper:
    """A paper as the store knows it, with its first sighting."""

    id: str
    title: str
    abstract: str
    first_seen: dt.date
    first_source: str
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    link: str | None = None
    categories: tuple[str, ...] = ()
    seq: int = 0  # the order the store received it in (0: not stored)
    first_run: int | None = None  # the run that stored it


@dataclass(frozen=True)
class Assignment:
    """A paper placed in a profile, with its score and a reason a reader understands."""

    paper_id: str
    profile_id: str
    score: float
    why: str


@dataclass(frozen=True)
class DigestResult:
    """The outcome of ingesting one digest."""

    source: str
    date: dt.date
    papers: int
    new: int
    skipped: bool = field(default=False, metadata=rename("already_ingested"))


@dataclass
class IngestResult:
    """All digests of one run, and the papers seen for the first time."""

    digests: list[DigestResult] = field(default_factory=list)
    new_papers: list[StoredPaper] = field(default_factory=list)
