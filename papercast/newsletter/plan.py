"""Who gets what: each reader's newsletter from the assignments of their profiles.

A reader's candidates are the papers stored since their last newsletter that
were assigned to one of their profiles and never delivered to them. Each paper
appears once, under the profile where it scored best; the best `max_papers`
are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from dataclasses import dataclass

from papercast.config import Reader, Settings
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.selection import RunSelection
from papercast.store import Store


@dataclass(frozen=True)
class Item:
    paper: StoredPaper
    assignment: Assignment


@dataclass(frozen=True)
class Section:
    profile_id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class NewsletterPlan:
    """What one reader's newsletter will hold, and the cursor it moves the reader to."""

    issue_id: str
    reader: Reader
    date: dt.date
    sections: tuple[Section, ...]
    cursor: int

    @property
    def paper_ids(self) -> list[str]:
        return [item.paper.id for section in self.sections for item in section.items]


def reader_slug(email: str) -> str:
    """A file-name-safe, stable name for a reader's private files."""
    local = "".join(ch if ch.isalnum() else "-" for ch in email.split("@")[0].lower())[:24]
    return f"{local}-{hashlib.sha1(email.lower().encode()).hexdigest()[:6]}"


def issue_id(reader: Reader, date: dt.date, paper_ids: list[str]) -> str:
    """Stable for the same reader, date and papers, so a rerun after a crash reuses it."""
    digest = hashlib.sha1("\n".join([reader.email.lower(), *paper_ids]).encode()).hexdigest()
    return f"{date.isoformat()}-{reader_slug(reader.email)}-{digest[:8]}"


def best_per_paper(rows: list[tuple[StoredPaper, Assignment]], delivered: set[str]) -> list[Item]:
    """Each undelivered paper once, under its best-scoring profile, best first."""
    best: dict[str, Item] = {}
    for paper, assignment in rows:
        if paper.id in delivered:
            continue
        current = best.get(paper.id)
        if current is None or assignment.score > current.assignment.score:
            best[paper.id] = Item(paper, assignment)
    return sorted(best.values(), key=lambda item: (-item.assignment.score, item.paper.id))


def plan_newsletter(store: Store, settings: Settings, reader: Reader, date: dt.date,
                    up_to_seq: int, profiles: list[str] | None = None) -> NewsletterPlan | None:
    """The reader's next newsletter, or None when nothing new was assigned to them.

    With `profiles` (a manual run on some profiles) only those are used and the
    reader's cursor stays put, so their other profiles' papers are not skipped.
    """
    cursor = store.reader_cursor(reader.email)
    wanted = reader.profiles if profiles is None else profiles
    rows = store.assigned_since(wanted, cursor, up_to_seq)
    items = best_per_paper(rows, store.delivered(reader.email))[: reader.max_papers]
    if not items:
        return None
    next_cursor = up_to_seq if profiles is None else cursor
    return make_plan(settings, reader, date, wanted, items, next_cursor)


def make_plan(settings: Settings, reader: Reader, date: dt.date, profile_ids: list[str],
              items: list[Item], cursor: int) -> NewsletterPlan:
    """Group the chosen items into sections in the reader's profile order."""
    sections = tuple(
        Section(pid, settings.profile(pid).title,
                tuple(item for item in items if item.assignment.profile_id == pid))
        for pid in profile_ids)
    sections = tuple(section for section in sections if section.items)
    ids = [item.paper.id for section in sections for item in section.items]
    return NewsletterPlan(issue_id(reader, date, ids), reader, date, sections, cursor)


def plan_newsletters(store: Store, settings: Settings, date: dt.date
                     ) -> tuple[list[NewsletterPlan], list[str]]:
    """Plans for every reader with something new, and the readers without."""
    up_to = store.max_paper_seq()
    plans, nothing_new = [], []
    for reader in settings.readers:
        plan = plan_newsletter(store, settings, reader, date, up_to)
        if plan is None:
            nothing_new.append(reader.email)
        else:
            plans.append(plan)
    return plans, nothing_new


@dataclass(frozen=True)
class PlanBatch:
    """Plans for one batch of readers, and the readers of the batch with nothing new."""

    plans: tuple[NewsletterPlan, ...]
    nothing_new: tuple[str, ...]


def plan_batch(store: Store, settings: Settings, selection: RunSelection, readers: list[Reader],
               date: dt.date, up_to_seq: int) -> PlanBatch:
    """Plan one batch of readers against papers stored up to `up_to_seq`.

    Gives the same plans as `plan_newsletter` per reader, with one assignments
    query per distinct reader cursor (usually one per batch) instead of one per reader.
    """
    cursors = {reader.email: store.reader_cursor(reader.email) for reader in readers}
    candidates = {cursor: CandidateIndex(store.assigned_since(list(selection.profiles), cursor, up_to_seq))
                  for cursor in set(cursors.values())}
    plans, nothing_new = [], []
    for reader in readers:
        cursor = cursors[reader.email]
        profiles = selection.reader_profiles(reader)
        items = candidates[cursor].best(profiles, store.delivered(reader.email), reader.max_papers)
        if not items:
            nothing_new.append(reader.email)
            continue
        next_cursor = cursor if selection.partial_profiles else up_to_seq
        plans.append(make_plan(settings, reader, date, profiles, items, next_cursor))
    return PlanBatch(tuple(plans), tuple(nothing_new))


class CandidateIndex:
    """One query's rows (best score first), indexed by profile, for picking each reader's best papers."""

    def __init__(self, rows: list[tuple[StoredPaper, Assignment]]):
        self.by_profile: dict[str, list[tuple[int, StoredPaper, Assignment]]] = {}
        for position, (paper, assignment) in enumerate(rows):
            self.by_profile.setdefault(assignment.profile_id, []).append((position, paper, assignment))

    def best(self, profiles: list[str], delivered: set[str], limit: int) -> list[Item]:
        """What `best_per_paper(rows of these profiles, delivered)[:limit]` gives, stopping early."""
        merged = heapq.merge(*(self.by_profile.get(pid, []) for pid in profiles), key=lambda row: row[0])
        best: dict[str, Item] = {}
        cutoff = None
        for _, paper, assignment in merged:
            if cutoff is not None and assignment.score < cutoff:
                break
            if paper.id in delivered or paper.id in best:
                continue  # rows come best score first: a paper's first row is its best
            best[paper.id] = Item(paper, assignment)
            if cutoff is None and len(best) >= limit:
                cutoff = assignment.score  # papers tied with the last one may still sort before it
        return sorted(best.values(), key=lambda item: (-item.assignment.score, item.paper.id))[:limit]
