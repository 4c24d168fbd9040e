"""Who gets what: each reader's next issue, planned and recorded before anything is written.

A reader's candidates are the papers stored after their cursor, up to the paper every profile
is classified to (never past a paper still owed a classification), assigned to one of their
profiles and never delivered to them. Each paper appears once, under the profile where it
scored best; the best `max_papers` are kept.

A reader who voted on papers ("more like this", "not for me") is picked from their candidates rescored
and moved by their votes (newsletter/votes.py); every other reader exactly as above.

A reader whose earlier issue is still planned or waiting to be sent gets no new issue: that
one is finished first. A reader seen for the first time joins with the papers stored by the
runs of the last NEW_READER_DAYS days (not the whole history); their starting cursor is
recorded with the run's plans, and from then on they get every paper assigned to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from papercast.faults import checkpoint
from papercast.newsletter.candidates import CandidateIndex, Item
from papercast.newsletter.selection import RunSelection
from papercast.newsletter.votes import voter_picks
from papercast.relevance.base import Scorer
from papercast.relevance.registry import make_scorer
from papercast.settings import Reader, Settings
from papercast.store import Store
from papercast.store.records import PLANNED, WRITTEN, IssueRecord, IssueSection

NEW_READER_DAYS = 7


@dataclass(frozen=True)
class Section:
    profile_id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class NewsletterPlan:
    """One reader's issue, ready to render: its papers by section, its date and when it was planned."""

    issue_id: str
    reader: Reader
    date: dt.date
    sections: tuple[Section, ...]
    planned_at: dt.datetime

    @property
    def paper_ids(self) -> list[str]:
        return [item.paper.id for section in self.sections for item in section.items]

    @property
    def is_note(self) -> bool:
        """A "nothing new" note: an issue without papers."""
        return not self.sections


@dataclass
class Planning:
    """The plan stage's outcome: issues to write now, and readers who get none."""

    to_write: list[NewsletterPlan] = field(default_factory=list)
    nothing_new: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # an earlier issue still waits to be sent
    unsubscribed: list[str] = field(default_factory=list)  # nothing planned; unfinished issues withdrawn
    resumed: int = 0  # issues planned by an earlier run, written in this one


def reader_slug(email: str) -> str:
    """A file-name-safe, stable name for a reader's private files."""
    local = "".join(ch if ch.isalnum() else "-" for ch in email.split("@")[0].lower())[:24]
    return f"{local}-{hashlib.sha1(email.lower().encode()).hexdigest()[:6]}"


def issue_id(reader: Reader, date: dt.date, paper_ids: list[str]) -> str:
    """Stable for the same reader, date and papers, so a rerun after a crash reuses it."""
    digest = hashlib.sha1("\n".join([reader.email.lower(), *paper_ids]).encode()).hexdigest()
    return f"{date.isoformat()}-{reader_slug(reader.email)}-{digest[:8]}"


def note_issue_id(reader: Reader, date: dt.date) -> str:
    return f"{date.isoformat()}-{reader_slug(reader.email)}-nothing-new"


def plan_issues(
    store: Store,
    settings: Settings,
    selection: RunSelection,
    as_of: dt.date,
    run_id: int,
    now: dt.datetime,
    scorer_for: Callable[..., Scorer] = make_scorer,
) -> Planning:
    """Finish what earlier runs planned, plan the rest, record every new plan; then they get written.
    Readers who unsubscribed get nothing, and what they were still owed is withdrawn. `scorer_for` makes the
    scorer that rescores the candidates of readers with votes (the configured one)."""
    unsubscribed = store.subscriptions.unsubscribed([r.email for r in selection.readers])
    store.ledger.withdraw_unfinished(sorted(unsubscribed), run_id)
    readers = [r for r in selection.readers if r.email not in unsubscribed]
    unfinished = store.ledger.unfinished_issues([r.email for r in readers])
    fresh = [r for r in readers if r.email not in unfinished]
    horizon = min(store.classification.classification_progress([p.id for p in settings.profiles]).values(), default=0)
    cursors, joined = reader_cursors(store, fresh, as_of)
    planned, idle = plan_new(store, settings, selection, fresh, cursors, horizon, now, as_of, scorer_for)
    notes = plan_notes(store, settings, idle, as_of, now)
    store.ledger.record_planned(planned + notes, run_id, joined)
    checkpoint("plan.done")
    leftover = [issue for issue in unfinished.values() if issue.status == PLANNED]
    noted = {note.reader for note in notes}
    order = {reader.email: position for position, reader in enumerate(readers)}
    to_write = sorted(planned + notes + leftover, key=lambda issue: order[issue.reader])
    return Planning(
        materialize(store, settings, to_write),
        nothing_new=[email for email in idle if email not in noted],
        waiting=[issue.reader for issue in unfinished.values() if issue.status == WRITTEN],
        unsubscribed=[r.email for r in selection.readers if r.email in unsubscribed],
        resumed=len(leftover),
    )


def plan_new(
    store: Store,
    settings: Settings,
    selection: RunSelection,
    readers: list[Reader],
    cursors: dict[str, int],
    horizon: int,
    now: dt.datetime,
    as_of: dt.date,
    scorer_for: Callable[..., Scorer] = make_scorer,
) -> tuple[list[IssueRecord], list[str]]:
    """New issues for these readers, one candidates query per distinct reader cursor; readers with votes
    are picked with them (one scoring pass for all of them)."""
    candidates = {
        cursor: CandidateIndex(store.classification.assigned_since(list(selection.profiles), cursor, horizon))
        for cursor in set(cursors.values())
        if cursor < horizon
    }
    taught = voter_picks(store, settings, selection, readers, cursors, horizon, scorer_for)
    planned, idle = [], []
    for reader in readers:
        index = candidates.get(cursors[reader.email])
        profiles = selection.reader_profiles(reader)
        if reader.email in taught:
            items = taught[reader.email]
        else:
            items = index.best(profiles, store.ledger.delivered(reader.email), reader.max_papers) if index else []
        if not items:
            idle.append(reader.email)
            continue
        cursor = None if selection.partial_profiles else horizon
        planned.append(issue_record(settings, reader, as_of, profiles, items, cursor, now))
    return planned, idle


def reader_cursors(store: Store, readers: list[Reader], as_of: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    """Each reader's cursor, and those of readers seen for the first time (NEW_READER_DAYS back)."""
    known = {reader.email: store.ledger.reader_cursor(reader.email) for reader in readers}
    joined = [email for email, cursor in known.items() if cursor is None]
    start = store.papers.first_seq_since(as_of - dt.timedelta(NEW_READER_DAYS)) if joined else 0
    cursors = {email: start if cursor is None else cursor for email, cursor in known.items()}
    return cursors, {email: start for email in joined}


def issue_record(
    settings: Settings,
    reader: Reader,
    date: dt.date,
    profile_ids: list[str],
    items: list[Item],
    cursor: int | None,
    now: dt.datetime,
) -> IssueRecord:
    """The chosen items grouped into sections in the reader's profile order."""
    sections = tuple(
        IssueSection(
            pid,
            settings.profile(pid).title,
            tuple(item.assignment for item in items if item.assignment.profile_id == pid),
        )
        for pid in profile_ids
    )
    sections = tuple(section for section in sections if section.items)
    ids = [a.paper_id for section in sections for a in section.items]
    return IssueRecord(issue_id(reader, date, ids), reader.email, date, PLANNED, sections, cursor, now)


def plan_notes(
    store: Store, settings: Settings, idle: list[str], as_of: dt.date, now: dt.datetime
) -> list[IssueRecord]:
    """A "nothing new" note for idle readers ([schedule] nothing_new = "note"), once per reader and date."""
    if settings.schedule.nothing_new != "note":
        return []
    readers = [reader_by_email(settings, email) for email in idle]
    return [
        IssueRecord(note_issue_id(r, as_of), r.email, as_of, PLANNED, (), None, now)
        for r in readers
        if not store.ledger.has_issue(note_issue_id(r, as_of))
    ]


def materialize(store: Store, settings: Settings, records: list[IssueRecord]) -> list[NewsletterPlan]:
    """Plans with their papers, for rendering; issues of readers no longer in the config are left alone."""
    papers = store.papers.papers([pid for record in records for pid in record.paper_ids])
    readers = {reader.email: reader for reader in settings.readers}
    return [
        NewsletterPlan(
            record.id,
            readers[record.reader],
            record.date,
            tuple(
                Section(s.profile_id, s.title, tuple(Item(papers[a.paper_id], a) for a in s.items))
                for s in record.sections
            ),
            record.planned_at,
        )
        for record in records
        if record.reader in readers
    ]


def reader_by_email(settings: Settings, email: str) -> Reader:
    return next(reader for reader in settings.readers if reader.email == email)
