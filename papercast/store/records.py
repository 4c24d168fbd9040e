"""What the store hands out: typed records, never database rows."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from papercast.jsonable import EMPTY, omit, rename
from papercast.models import Assignment

PENDING, SENT, WRITTEN, FAILED = "pending", "sent", "written", "failed"  # a channel delivery
PLANNED, DONE = "planned", "done"  # an issue: planned -> written -> done | failed
WITHDRAWN = "withdrawn"  # an unfinished issue (and its pending deliveries) of a reader who unsubscribed
SUBSCRIBED, UNSUBSCRIBED = "subscribed", "unsubscribed"  # a reader's subscription


@dataclass(frozen=True)
class FetchState:
    """How a fetched source's last fetch went, and the validators of the copy last ingested."""

    source: str
    url: str
    etag: str | None
    last_modified: str | None
    status: str
    message: str
    checked_at: str


FETCHED_DAY, EMPTY_DAY, FAILED_DAY = "fetched", "empty", "failed"  # a day asked of an hf-daily source
WEEKLY_RUN, FETCH_RUN = "weekly", "fetch"  # a run's kind


@dataclass(frozen=True)
class FetchDay:
    """One day's list asked of an hf-daily source: fetched (ingested), empty, or failed (asked again next run)."""

    source: str = field(metadata=omit())
    day: dt.date = field(metadata=rename("date"))
    status: str
    entries: int = 0
    message: str = field(default="", metadata={**rename("reason"), **omit(EMPTY)})  # a failed day's reason


@dataclass(frozen=True)
class FetchRun:
    """A `papercast-fetch` run (ingest and classify, nothing sent) and what it stored."""

    run_id: int
    as_of: dt.date
    started_at: str
    digests: int
    new_papers: int


@dataclass(frozen=True)
class IssueSection:
    """One profile's part of an issue: its title and the chosen papers' assignments, best first."""

    profile_id: str
    title: str
    items: tuple[Assignment, ...]


@dataclass(frozen=True)
class IssueRecord:
    """One reader's newsletter in the ledger (see schema.py for its states)."""

    id: str
    reader: str
    date: dt.date
    status: str
    sections: tuple[IssueSection, ...]
    cursor: int | None  # the reader's cursor once delivered; None leaves it (notes, partial runs)
    planned_at: dt.datetime
    run_id: int | None = None
    subject: str | None = None
    explore: tuple[Assignment, ...] = ()  # "close to your interests": shown, not picks (never delivered)

    @property
    def paper_ids(self) -> list[str]:
        return [item.paper_id for section in self.sections for item in section.items]

    @property
    def explore_ids(self) -> list[str]:
        return [item.paper_id for item in self.explore]


@dataclass(frozen=True)
class ChannelDelivery:
    """How one channel delivered one issue: pending, sent, written (dry run) or failed."""

    issue_id: str
    channel: str
    status: str
    ref: str | None = None  # the Message-ID for email
    attempts: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Subscription:
    """Whether a reader gets newsletters: subscribed unless they unsubscribed (since when, and how)."""

    reader: str  # the address, lower-cased
    status: str = SUBSCRIBED
    since: dt.datetime | None = None  # None: never changed (subscribed by the config)
    via: str = ""  # one-click | page | cli

    @property
    def subscribed(self) -> bool:
        return self.status == SUBSCRIBED


@dataclass(frozen=True)
class VoteRecord:
    """A reader's "more like this" (liked) or "not for me" on a paper, within the profile it was shown under."""

    reader: str  # the address, lower-cased
    profile_id: str
    paper_id: str
    liked: bool
    voted_at: dt.datetime
    via: str = ""  # page (the app's confirm button)


@dataclass(frozen=True)
class StoredTaste:
    """A reader's taste model in one profile as the state keeps it (papercast/relevance/taste.py's `Taste`):
    `weights` as float32 bytes, `voted` as (paper id, coefficient, liked) in the model's order."""

    reader: str  # the address, lower-cased
    profile_id: str
    fingerprint: str  # of the votes it was fitted on
    bias: float
    weights: bytes
    voted: tuple[tuple[str, float, bool], ...]


@dataclass(frozen=True)
class VoteCounts:
    """How many papers a reader marked "more like this" and "not for me"."""

    more: int = 0
    fewer: int = 0


@dataclass(frozen=True)
class EditionStat:
    """One public edition (a profile's papers of one weekly run date), counted, not read: how many papers,
    a fingerprint that changes when its papers or scores do, and the oldest run that stored one of them."""

    profile_id: str
    date: dt.date
    papers: int
    fingerprint: str
    first_run: int


@dataclass(frozen=True)
class RunDelivery:
    """What a run's report needs of one issue and its delivery on one channel, read without the issue's plan
    (sections): the papers' and explore papers' ids (kept as the ledger's JSON until asked for), whether it is
    a note, and the run that planned it."""

    issue_id: str
    reader: str
    run_id: int | None
    papers_json: str
    explore_json: str
    note: bool
    delivery: ChannelDelivery

    @property
    def paper_ids(self) -> tuple[str, ...]:
        return () if self.note else tuple(json.loads(self.papers_json))

    @property
    def explore_ids(self) -> tuple[str, ...]:
        return tuple(item[0] for item in json.loads(self.explore_json or "[]"))
