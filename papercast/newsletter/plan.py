"""Who gets what: each reader's next issue, planned and recorded before anything is written.

A reader's candidates are the papers stored after their cursor, up to the paper every profile
is classified to (never past a paper still owed a classification), assigned to one of their
profiles and never delivered to them. Each paper appears once, under the profile where it
scored best; the best `max_papers` are kept.

A reader who voted on papers ("more like this", "not for me") is picked from every kept pair of their
profiles (those near the threshold too) at their own score, from their taste model in that profile
(newsletter/tastes.py, relevance/taste.py); every other reader exactly as above. Below the picks, each
issue may carry a few papers just below the threshold, "close to your interests" (newsletter/reader_picks.py):
they are shown with vote links, recorded with the issue, and are not picks.

A reader whose earlier issue is still planned or waiting to be sent gets no new issue: that
one is finished first. A reader seen for the first time joins with the papers first seen (their
digest's or listing's date, not the run's) in the last NEW_READER_DAYS days up to the run's date, not the
whole history: on a first run over an archive of many weeks, their first newsletter holds the last week only.
When no paper was first seen that recently (old digests dropped late), they get the papers stored by the
runs of those days, as before. Their starting cursor
is recorded with the run's plans, and from then on they get every paper assigned to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np

from papercast.faults import checkpoint
from papercast.models import StoredPaper
from papercast.newsletter.candidates import Item
from papercast.newsletter.reader_picks import ReaderTaste
from papercast.newsletter.selection import RunSelection
from papercast.newsletter.tastes import reader_tastes
from papercast.newsletter.windows import (
    Window,
    WindowKey,
    read_windows,
    reader_items,
    voted_profiles,
    voter_scores,
)
from papercast.settings import Reader, Settings
from papercast.store import Store
from papercast.store.records import PLANNED, WRITTEN, IssueRecord, IssueSection

NEW_READER_DAYS = 7
VOTER_BATCH = 512  # readers whose voters' scores are computed together (a few MB of scores at a time)


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
    explore: tuple[Section, ...] = ()  # "close to your interests", per profile: shown with vote links, not picks

    @property
    def paper_ids(self) -> list[str]:
        return [item.paper.id for section in self.sections for item in section.items]

    @property
    def explore_ids(self) -> list[str]:
        return [item.paper.id for section in self.explore for item in section.items]

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
) -> Planning:
    """Finish what earlier runs planned, plan the rest, record every new plan; then they get written.
    Readers who unsubscribed get nothing, and what they were still owed is withdrawn."""
    unsubscribed = store.subscriptions.unsubscribed([r.email for r in selection.readers])
    store.ledger.withdraw_unfinished(sorted(unsubscribed), run_id)
    readers = [r for r in selection.readers if r.email not in unsubscribed]
    unfinished = store.ledger.unfinished_issues([r.email for r in readers])
    fresh = [r for r in readers if r.email not in unfinished]
    horizon = min(store.classification.classification_progress([p.id for p in settings.profiles]).values(), default=0)
    cursors, joined = reader_cursors(store, fresh, as_of)
    since = new_reader_start(store, as_of)[1] if joined else None
    keys = {email: (cursor, since if email in joined else None) for email, cursor in cursors.items()}
    planned, idle, known = plan_new(store, settings, selection, fresh, keys, horizon, now, as_of)
    notes = plan_notes(store, settings, idle, as_of, now)
    store.ledger.record_planned(planned + notes, run_id, joined)
    checkpoint("plan.done")
    leftover = [issue for issue in unfinished.values() if issue.status == PLANNED]
    noted = {note.reader for note in notes}
    order = {reader.email: position for position, reader in enumerate(readers)}
    to_write = sorted(planned + notes + leftover, key=lambda issue: order[issue.reader])
    return Planning(
        materialize(store, settings, to_write, known),
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
    cursors: dict[str, WindowKey],
    horizon: int,
    now: dt.datetime,
    as_of: dt.date,
) -> tuple[list[IssueRecord], list[str], dict[str, StoredPaper]]:
    """New issues for these readers (and the papers read for them), one candidates query per distinct reader
    cursor (a joining reader's: from the day they start at); readers with votes are picked at their own scores
    (their taste models fitted once, or reused while their votes are unchanged; their scores computed a batch
    of readers at a time)."""
    windows = read_windows(store, list(selection.profiles), set(cursors.values()), horizon)
    profiles = {reader.email: selection.reader_profiles(reader) for reader in readers}
    votes = store.votes.votes_of([reader.email for reader in readers if cursors[reader.email][0] < horizon])
    tastes = reader_tastes(store, votes, profiles) if votes else {}
    for cursor, needed in voted_profiles(tastes, cursors).items():
        if cursor in windows:
            windows[cursor].with_vectors(store, needed)
    delivered = {key: store.ledger.delivered_among(window.paper_ids) for key, window in windows.items()}
    planned, idle = [], []
    for start in range(0, len(readers), VOTER_BATCH):
        chunk = readers[start : start + VOTER_BATCH]
        given = batch_voter_scores(windows, chunk, cursors, tastes)
        for reader in chunk:
            key = cursors[reader.email]
            window, got = windows.get(key), delivered.get(key, {}).get(reader.email, set())
            taste = tastes.get(reader.email)
            items, explore = (
                ([], [])
                if window is None
                else reader_items(settings, window, reader, profiles[reader.email], taste, got, given.get(reader.email))
            )
            if not items:
                idle.append(reader.email)
                continue
            moved_to = None if selection.partial_profiles else horizon
            planned.append(issue_record(settings, reader, as_of, profiles[reader.email], items, moved_to, now, explore))
    known = {p.id: p for window in windows.values() for c in window.profiles.values() for p in c.papers}
    return planned, idle, known


def batch_voter_scores(
    windows: dict[WindowKey, Window],
    readers: list[Reader],
    cursors: dict[str, WindowKey],
    tastes: dict[str, ReaderTaste],
) -> dict[str, dict[str, np.ndarray]]:
    """The voters' scores among these readers, per window in one matrix product per profile."""
    given: dict[str, dict[str, np.ndarray]] = {}
    for cursor, window in windows.items():
        voters = [(r.email, tastes[r.email]) for r in readers if r.email in tastes and cursors[r.email] == cursor]
        if voters:
            given.update(voter_scores(window, voters))
    return given


def reader_cursors(store: Store, readers: list[Reader], as_of: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    """Each reader's cursor, and those of readers seen for the first time (see new_reader_start)."""
    known = {reader.email: store.ledger.reader_cursor(reader.email) for reader in readers}
    joined = [email for email, cursor in known.items() if cursor is None]
    start = new_reader_start(store, as_of)[0] if joined else 0
    cursors = {email: start if cursor is None else cursor for email, cursor in known.items()}
    return cursors, {email: start for email in joined}


def new_reader_start(store: Store, as_of: dt.date) -> tuple[int, dt.date | None]:
    """Where a new reader starts: before the first paper first seen NEW_READER_DAYS before the run's date, and
    that day (older papers stored after it are left out). When none was (old digests dropped late), after the
    papers stored by runs dated before that day, and no day."""
    since = as_of - dt.timedelta(NEW_READER_DAYS)
    newest = store.papers.latest_first_seen()
    if newest is None or newest < since:
        return store.papers.first_seq_since(since), None
    return store.papers.seq_before_seen_since(since), since


def issue_record(
    settings: Settings,
    reader: Reader,
    date: dt.date,
    profile_ids: list[str],
    items: list[Item],
    cursor: int | None,
    now: dt.datetime,
    explore: tuple[Item, ...] | list[Item] = (),
) -> IssueRecord:
    """The chosen items grouped into sections in the reader's profile order, and the explore items."""
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
    close = tuple(item.assignment for item in explore)
    return IssueRecord(issue_id(reader, date, ids), reader.email, date, PLANNED, sections, cursor, now, explore=close)


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


def materialize(
    store: Store, settings: Settings, records: list[IssueRecord], known: dict[str, StoredPaper] | None = None
) -> list[NewsletterPlan]:
    """Plans with their papers, for rendering (`known`: papers already read); issues of readers no longer in
    the config are left alone."""
    known = known or {}
    wanted = {pid for record in records for pid in [*record.paper_ids, *record.explore_ids]}
    papers = {**known, **store.papers.papers(sorted(wanted - known.keys()))}
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
            explore_sections(settings, record, papers),
        )
        for record in records
        if record.reader in readers
    ]


def explore_sections(settings: Settings, record: IssueRecord, papers: dict[str, StoredPaper]) -> tuple[Section, ...]:
    """The issue's explore items grouped by profile, in the order their best item comes."""
    titles = {profile.id: profile.title for profile in settings.profiles}
    grouped: dict[str, list[Item]] = {}
    for a in record.explore:
        grouped.setdefault(a.profile_id, []).append(Item(papers[a.paper_id], a))
    return tuple(Section(pid, titles.get(pid, pid), tuple(items)) for pid, items in grouped.items())


def reader_by_email(settings: Settings, email: str) -> Reader:
    return next(reader for reader in settings.readers if reader.email == email)
