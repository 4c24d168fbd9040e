"""What the public site is made of: editions (one per profile and run date) and their papers.

Built from the store and the profiles alone: nothing here knows about readers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from papercast.links.papers import paper_url, public_link
from papercast.models import Assignment, StoredPaper
from papercast.settings import Profile
from papercast.store.classification import Classification

__all__ = [
    "Edition",
    "EditionItem",
    "ProfileArchive",
    "collect_editions",
    "paper_anchor",
    "profile_archives",
    "public_link",
]


def paper_anchor(paper_id: str) -> str:
    """An HTML id and URL fragment for a paper: `arxiv:2403.01234` -> `p-arxiv-2403-01234`."""
    return "p-" + re.sub(r"[^A-Za-z0-9_-]+", "-", paper_id)


@dataclass(frozen=True)
class EditionItem:
    paper: StoredPaper
    assignment: Assignment

    @property
    def anchor(self) -> str:
        return paper_anchor(self.paper.id)

    @property
    def link(self) -> str:
        """Where the title links to: the same page as in the newsletter (papercast/links/papers.py)."""
        return paper_url(self.paper)

    @property
    def own_link(self) -> str | None:
        """The http(s) page the source gave for the paper, if any (feed items fall back to the card)."""
        return public_link(self.paper.link)


@dataclass(frozen=True)
class Edition:
    """One profile's papers of one run date; `count` alone (items not read) for an edition counted, not read."""

    profile_id: str
    profile_title: str
    date: dt.date
    items: tuple[EditionItem, ...]
    count: int | None = None

    @property
    def size(self) -> int:
        return len(self.items) if self.count is None else self.count

    @property
    def path(self) -> str:
        """Relative to the archive folder, with forward slashes for links."""
        return f"editions/{self.profile_id}/{self.date.isoformat()}.html"


@dataclass(frozen=True)
class ProfileArchive:
    """One profile with all its editions, newest first."""

    profile: Profile
    editions: tuple[Edition, ...]

    @property
    def path(self) -> str:
        return f"profiles/{self.profile.id}.html"

    @property
    def paper_count(self) -> int:
        return sum(edition.size for edition in self.editions)


def collect_editions(classification: Classification, profiles: list[Profile], after_run: int = 0) -> list[Edition]:
    """Editions of the given profiles, newest first (the store's order); `after_run`: of papers stored later."""
    titles = {p.id: p.title for p in profiles}
    grouped: dict[tuple[str, dt.date], list[EditionItem]] = {}
    for profile_id, date, paper, assignment in classification.editions(after_run):
        if profile_id in titles:
            grouped.setdefault((profile_id, date), []).append(EditionItem(paper, assignment))
    return [Edition(pid, titles[pid], date, tuple(items)) for (pid, date), items in grouped.items()]


def profile_archives(editions: list[Edition], profiles: list[Profile]) -> list[ProfileArchive]:
    """Every configured profile, in config order, with its editions (possibly none)."""
    return [ProfileArchive(p, tuple(e for e in editions if e.profile_id == p.id)) for p in profiles]
