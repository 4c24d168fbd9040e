"""The run report: what a run did, assembled from typed stage outcomes, and typed to the edge.

The flow returns a `RunReport`; the summary renders it, and `report_json` (the generic conversion of
papercast/jsonable.py) is the only place it becomes JSON. What each newsletter's delivery came to is
read back from the ledger, so the report says what the state says.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from papercast.delivery.registry import CHANNELS
from papercast.delivery.write import WrittenIssue
from papercast.files import private_folder, write_atomic
from papercast.jsonable import omit, to_json
from papercast.links.reader import link_state
from papercast.models import Assignment, DigestResult, Problem, StoredPaper
from papercast.newsletter.plan import Planning, reader_slug
from papercast.relevance.backlog import Classified
from papercast.settings import Settings
from papercast.sources.status import SourceStatus
from papercast.store import Store
from papercast.store.records import (
    FAILED,
    FETCH_RUN,
    PENDING,
    WEEKLY_RUN,
    WITHDRAWN,
    FetchRun,
    RunDelivery,
)

STILL_PENDING = " (still pending: the next run with --send tries again)"
SKIPPED = "skipped"  # a reader without a newsletter this run
DONE, ERROR, PARTLY_DONE = 0, 1, 3  # exit codes: everything asked was done | could not run | something is pending


@dataclass(frozen=True)
class ProfilePick:
    """A paper classified this run into a profile."""

    id: str
    title: str
    score: float
    why: str


@dataclass(frozen=True)
class NewsletterEntry:
    """One reader's newsletter written or delivered this run, and how its delivery stands."""

    reader: str
    issue: str
    papers: tuple[str, ...]
    html: Path
    text: Path
    eml: Path | None  # the channel's message file (the email's .eml); None: the reader gets no email
    message_id: str
    status: str  # written (dry run, or the feed) | sent | failed: the first channel's (the email's), else the next's
    reason: str = ""
    note: bool = False
    resumed: bool = False  # written by an earlier run (sent now)
    channels: Mapping[str, str] = field(default_factory=dict)  # channel -> its delivery status, for every channel
    explore: tuple[str, ...] = ()  # "close to your interests": shown with vote links, never picks


@dataclass(frozen=True)
class NoNewsletter:
    reader: str
    status: str = SKIPPED
    reason: str = ""


@dataclass(frozen=True)
class Resumed:
    """Work an earlier, interrupted run left and this one finished."""

    classified: int = 0  # papers stored earlier, classified now
    written: int = 0  # issues planned earlier, written now
    sent: int = 0  # messages written earlier, sent now


@dataclass(frozen=True)
class RunReport:
    """What a run did, as the command prints it (`--json`, in this order) and saves it: typed to the edge, and
    turned into JSON by one generic conversion (papercast/jsonable.py). `delivery`, `exit_code` and
    `not_done` are derived from the rest whenever a report is made (`replace` makes them anew)."""

    run_id: int
    as_of: dt.date
    classifier: str = ""
    new_papers: int = 0
    digests: tuple[DigestResult, ...] = ()
    sources: tuple[SourceStatus, ...] = ()
    profiles: Mapping[str, tuple[ProfilePick, ...]] = field(default_factory=dict)
    newsletters: tuple[NewsletterEntry, ...] = ()
    no_newsletter: tuple[NoNewsletter, ...] = ()
    delivery: Mapping[str, str | int] = field(init=False)  # totals per delivery status (see `totals`)
    resumed: Resumed = Resumed()
    pages: tuple[Path, ...] = ()
    feeds: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)  # seconds per stage, rounded to the millisecond
    prefect: Mapping[str, str | int] = field(default_factory=dict)  # flow run id and task runs (the flow sets it)
    report_path: str = ""
    links: str = "none"  # readers' links to the app: signed, unsigned (no secret) or none (no [site] base_url)
    kind: str = WEEKLY_RUN  # weekly, or fetch (papercast-fetch: ingest and classify, nothing planned or sent)
    fetches: tuple[FetchRun, ...] = ()  # the fetch runs since the previous weekly run
    exit_code: int = field(init=False)  # 0 when everything asked was done, 3 when something was not (not_done)
    not_done: tuple[str, ...] = field(init=False)
    sending: bool = field(default=False, metadata=omit())

    def __post_init__(self) -> None:
        not_done = left_undone(self.errors, self.newsletters)
        object.__setattr__(self, "not_done", not_done)
        object.__setattr__(self, "exit_code", PARTLY_DONE if not_done else DONE)
        object.__setattr__(self, "delivery", totals(self.newsletters, self.no_newsletter, self.kind, self.sending))


def left_undone(errors: tuple[Problem, ...], newsletters: tuple[NewsletterEntry, ...]) -> tuple[str, ...]:
    """What the run was asked to do and did not, one line each with its reason: inputs and sources that
    could not be used, messages not accepted. The next run tries each again."""
    lines = [f"{problem.source}: {problem.message}" for problem in errors]
    return tuple(lines + [f"{entry.reader}: {entry.reason}" for entry in newsletters if entry.status == FAILED])


def totals(
    newsletters: tuple[NewsletterEntry, ...], no_newsletter: tuple[NoNewsletter, ...], kind: str, sending: bool
) -> dict[str, str | int]:
    """Counts per delivery status: sent, failed, written, pending (to be tried again), skipped."""
    mode = "none" if kind == FETCH_RUN else "send" if sending else "dry-run"
    counts = {"sent": 0, "failed": 0, "written": 0, "pending": 0, "skipped": len(no_newsletter)}
    for entry in newsletters:
        counts[entry.status] += 1
        counts["pending"] += entry.reason.endswith(STILL_PENDING)
    return {"mode": mode, **counts}


def report_json(report: RunReport) -> str:
    """The run report as the command prints and saves it: the one place it becomes JSON."""
    return to_json(report)


def profile_listing(
    assignments: list[Assignment], papers: list[StoredPaper], profile_ids: list[str]
) -> dict[str, tuple[ProfilePick, ...]]:
    """profile id -> the papers classified this run into it, best first."""
    titles = {paper.id: paper.title for paper in papers}
    listing: dict[str, list[ProfilePick]] = {pid: [] for pid in profile_ids}
    for a in sorted(assignments, key=lambda a: (-a.score, a.paper_id)):
        listing.setdefault(a.profile_id, []).append(ProfilePick(a.paper_id, titles.get(a.paper_id, ""), a.score, a.why))
    return {pid: tuple(picks) for pid, picks in listing.items()}


def newsletter_entries(store: Store, archive: Path, run_id: int) -> list[NewsletterEntry]:
    """Every newsletter this run wrote or tried to deliver, with its delivery as the ledger has it: the email's
    when it has one, else its first other channel's (a reader of the feed alone), and every channel's status.
    Read from the ledger (so a resumed run lists what it finished), without the issues' plans."""
    entries: dict[str, NewsletterEntry] = {}
    statuses: dict[str, dict[str, str]] = {}
    for channel in CHANNELS:
        for row in store.ledger.run_delivery_rows(run_id, channel):
            statuses.setdefault(row.issue_id, {})[channel] = row.delivery.status
            if row.issue_id not in entries and row.delivery.status != WITHDRAWN:
                entries[row.issue_id] = newsletter_entry(archive, row, run_id)
    return [replace(entry, channels=statuses[entry.issue]) for entry in entries.values()]


def unsubscribed_readers(store: Store, run_id: int, planning: Planning) -> list[NoNewsletter]:
    """Readers who unsubscribed: before planning, or after it and before their message went out."""
    withdrawn = [
        row.reader
        for channel in CHANNELS
        for row in store.ledger.run_delivery_rows(run_id, channel)
        if row.delivery.status == WITHDRAWN
    ]
    return [NoNewsletter(reader, reason="unsubscribed") for reader in dict.fromkeys(planning.unsubscribed + withdrawn)]


def newsletter_entry(archive: Path, row: RunDelivery, run_id: int) -> NewsletterEntry:
    base, delivery = f"{archive}/newsletters/{reader_slug(row.reader)}/{row.issue_id}", row.delivery
    status = FAILED if delivery.status == PENDING else delivery.status
    error = delivery.last_error or ("not delivered (no reason was recorded)" if status == FAILED else "")
    reason = error + (STILL_PENDING if delivery.status == PENDING else "")
    message_file = CHANNELS[delivery.channel].message_file if delivery.channel in CHANNELS else None
    eml = message_file(archive, row.issue_id) if message_file else None
    return NewsletterEntry(
        row.reader,
        row.issue_id,
        row.paper_ids,
        Path(f"{base}.html"),  # one parse each: 10,000 entries' paths built child by child cost a second
        Path(f"{base}.txt"),
        eml,
        delivery.ref or "",
        status,
        reason,
        note=row.note,
        resumed=row.run_id != run_id,
        explore=row.explore_ids,
    )


def save_report(report: RunReport, archive: Path) -> RunReport:
    """Write the report under archive/reports/: one per run and latest.json (a fetch run's: fetch-*.json and
    latest-fetch.json, so latest.json stays the last weekly run's). Returns it with its `report_path`."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    prefix, latest = ("fetch", "latest-fetch.json") if report.kind == FETCH_RUN else ("run", "latest.json")
    path = archive / "reports" / f"{prefix}-{report.run_id:05d}-{stamp}.json"
    report = replace(report, report_path=str(path))
    data = report_json(report).encode("utf-8")
    private_folder(path.parent)
    write_atomic(path, data, private=True)
    write_atomic(archive / "reports" / latest, data, private=True)
    return report


@dataclass
class RunOutcome:
    """What the stages of a run produced, collected by the flow for the report."""

    digests: list[DigestResult] = field(default_factory=list)
    new_papers: int = 0
    sources: list[SourceStatus] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    classified: Classified | None = None
    planning: Planning | None = None
    written: list[WrittenIssue] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    feeds: list[Path] = field(default_factory=list)


def assemble_report(
    store: Store,
    settings: Settings,
    run_id: int,
    as_of: dt.date,
    sending: bool,
    outcome: RunOutcome,
    classifier: str,
    kind: str = WEEKLY_RUN,
) -> RunReport:
    """The run report from the stages' outcomes and, for deliveries, the ledger."""
    classified, planning = outcome.classified or Classified(), outcome.planning or Planning()
    entries = newsletter_entries(store, settings.paths.archive, run_id)
    written = {item.issue_id for item in outcome.written}
    sent_now = sum(1 for e in entries if e.status == "sent" and e.issue not in written)
    return RunReport(
        run_id,
        as_of,
        classifier=classifier,
        new_papers=outcome.new_papers,
        digests=tuple(outcome.digests),
        sources=tuple(outcome.sources),
        profiles=profile_listing(classified.assignments, classified.papers, [p.id for p in settings.profiles]),
        newsletters=tuple(entries),
        no_newsletter=readers_without(store, run_id, planning, sending),
        resumed=Resumed(classified.resumed, planning.resumed, sent_now),
        pages=tuple(outcome.pages),
        feeds=tuple(outcome.feeds),
        warnings=tuple(outcome.warnings),
        errors=tuple(outcome.errors),
        links=link_state(settings, os.environ),
        kind=kind,
        fetches=tuple(store.runs.fetch_runs_before(run_id)) if kind == WEEKLY_RUN else (),
        sending=sending,
    )


def readers_without(store: Store, run_id: int, planning: Planning, sending: bool) -> tuple[NoNewsletter, ...]:
    """Readers who got no newsletter this run, and why: nothing new, an issue still waiting to be sent (a dry
    run after an interrupted --send), unsubscribed."""
    skipped = [NoNewsletter(r, reason="nothing new") for r in planning.nothing_new]
    if not sending:
        skipped += [
            NoNewsletter(r, reason="an earlier issue waits to be sent (run with --send)") for r in planning.waiting
        ]
    return tuple(skipped + unsubscribed_readers(store, run_id, planning))


class StageClock:
    """Times the stages of a run for the report, around the calls it times: `with clock.stage("classify"):`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def rounded(self) -> dict[str, float]:
        """Seconds per stage, to the millisecond, as the report holds them."""
        return {stage: round(seconds, 3) for stage, seconds in self.seconds.items()}
