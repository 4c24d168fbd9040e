"""The run report: one JSON object that says what a run did, assembled from typed stage outcomes.

`RunReport.as_dict()` is the only place the report becomes a dict. What each newsletter's
delivery came to is read back from the ledger, so the report says what the state says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from papercast.settings import Settings
from papercast.delivery.registry import CHANNELS
from papercast.delivery.write import WrittenIssue
from papercast.files import private_folder, write_atomic
from papercast.models import Assignment, DigestResult, Problem, StoredPaper
from papercast.newsletter.plan import Planning, reader_slug
from papercast.relevance.backlog import Classified
from papercast.sources.status import SourceStatus
from papercast.store import Store
from papercast.store.records import (FAILED, FETCH_RUN, PENDING, WEEKLY_RUN, WITHDRAWN, ChannelDelivery, FetchRun,
                                     IssueRecord)
from papercast.links.reader import link_state

STILL_PENDING = " (still pending: the next run with --send tries again)"
DONE, ERROR, PARTLY_DONE = 0, 1, 3  # exit codes: everything asked was done | could not run | something is pending


@dataclass(frozen=True)
class ProfilePick:
    """A paper classified this run into a profile."""

    id: str
    title: str
    score: float
    why: str

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "score": self.score, "why": self.why}


@dataclass(frozen=True)
class NewsletterEntry:
    """One reader's newsletter written or delivered this run, and how its delivery stands."""

    reader: str
    issue: str
    papers: tuple[str, ...]
    html: Path
    text: Path
    eml: Path | None  # None: the reader gets no email (their channels are the feed alone)
    message_id: str
    status: str  # written (dry run, or the feed) | sent | failed: the email's, else the feed's
    reason: str = ""
    note: bool = False
    resumed: bool = False  # written by an earlier run (sent now)
    channels: tuple[tuple[str, str], ...] = ()  # (channel, its delivery status) for every channel of the issue

    def as_dict(self) -> dict:
        return {"reader": self.reader, "issue": self.issue, "papers": list(self.papers), "html": str(self.html),
                "text": str(self.text), "eml": str(self.eml) if self.eml else None, "message_id": self.message_id,
                "status": self.status, "reason": self.reason, "note": self.note, "resumed": self.resumed,
                "channels": dict(self.channels)}


@dataclass(frozen=True)
class NoNewsletter:
    reader: str
    reason: str

    def as_dict(self) -> dict:
        return {"reader": self.reader, "status": "skipped", "reason": self.reason}


@dataclass
class Resumed:
    """Work an earlier, interrupted run left and this one finished."""

    classified: int = 0  # papers stored earlier, classified now
    written: int = 0  # issues planned earlier, written now
    sent: int = 0  # messages written earlier, sent now

    def as_dict(self) -> dict:
        return {"classified": self.classified, "written": self.written, "sent": self.sent}


@dataclass
class RunReport:
    run_id: int
    as_of: dt.date
    sending: bool = False
    classifier: str = ""
    new_papers: int = 0
    digests: list[DigestResult] = field(default_factory=list)
    sources: list[SourceStatus] = field(default_factory=list)
    profiles: dict[str, list[ProfilePick]] = field(default_factory=dict)
    newsletters: list[NewsletterEntry] = field(default_factory=list)
    no_newsletter: list[NoNewsletter] = field(default_factory=list)
    resumed: Resumed = field(default_factory=Resumed)
    pages: list[Path] = field(default_factory=list)
    feeds: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    prefect: dict[str, str | int] = field(default_factory=dict)  # flow run id and task runs (the flow sets it)
    report_path: str = ""
    links: str = "none"  # readers' links to the app: signed, unsigned (no secret) or none (no [site] base_url)
    kind: str = WEEKLY_RUN  # weekly, or fetch (papercast-fetch: ingest and classify, nothing planned or sent)
    fetches: list[FetchRun] = field(default_factory=list)  # the fetch runs since the previous weekly run

    def not_done(self) -> list[str]:
        """What the run was asked to do and did not, one line each with its reason: inputs and sources that
        could not be used, messages not accepted. The next run tries each again."""
        lines = [f"{problem.source}: {problem.message}" for problem in self.errors]
        return lines + [f"{entry.reader}: {entry.reason}" for entry in self.newsletters if entry.status == FAILED]

    def exit_code(self) -> int:
        """0 when everything asked was done, 3 when the run completed with something left (not_done)."""
        return PARTLY_DONE if self.not_done() else DONE

    def delivery(self) -> dict:
        """Counts per delivery status: sent, failed, written, pending (to be tried again), skipped."""
        mode = "none" if self.kind == FETCH_RUN else "send" if self.sending else "dry-run"
        totals = {"mode": mode, "sent": 0, "failed": 0, "written": 0,
                  "pending": 0, "skipped": len(self.no_newsletter)}
        for entry in self.newsletters:
            totals[entry.status] += 1
            totals["pending"] += entry.reason.endswith(STILL_PENDING)
        return totals

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id, "as_of": self.as_of.isoformat(), "classifier": self.classifier,
            "new_papers": self.new_papers, "digests": [d.as_dict() for d in self.digests],
            "sources": [s.as_dict() for s in self.sources],
            "profiles": {pid: [p.as_dict() for p in picks] for pid, picks in self.profiles.items()},
            "newsletters": [n.as_dict() for n in self.newsletters],
            "no_newsletter": [n.as_dict() for n in self.no_newsletter], "delivery": self.delivery(),
            "resumed": self.resumed.as_dict(), "pages": [str(p) for p in self.pages],
            "feeds": [str(f) for f in self.feeds], "warnings": [w.as_dict() for w in self.warnings],
            "errors": [e.as_dict() for e in self.errors],
            "timings": {k: round(v, 3) for k, v in self.timings.items()}, "prefect": self.prefect,
            "report_path": self.report_path, "links": self.links, "kind": self.kind,
            "fetches": [run.as_dict() for run in self.fetches], "exit_code": self.exit_code(),
            "not_done": self.not_done(),
        }


def profile_listing(assignments: list[Assignment], papers: list[StoredPaper],
                    profile_ids: list[str]) -> dict[str, list[ProfilePick]]:
    """profile id -> the papers classified this run into it, best first."""
    titles = {paper.id: paper.title for paper in papers}
    listing: dict[str, list[ProfilePick]] = {pid: [] for pid in profile_ids}
    for a in sorted(assignments, key=lambda a: (-a.score, a.paper_id)):
        listing.setdefault(a.profile_id, []).append(ProfilePick(a.paper_id, titles.get(a.paper_id, ""), a.score, a.why))
    return listing


def newsletter_entries(store: Store, archive: Path, run_id: int) -> list[NewsletterEntry]:
    """Every newsletter this run wrote or tried to deliver, with its delivery as the ledger has it: the email's
    when it has one, else its first other channel's (a reader of the feed alone), and every channel's status."""
    entries: dict[str, NewsletterEntry] = {}
    statuses: dict[str, dict[str, str]] = {}
    for channel in CHANNELS:
        for issue, delivery in store.run_deliveries(run_id, channel):
            statuses.setdefault(issue.id, {})[channel] = delivery.status
            if issue.id not in entries and delivery.status != WITHDRAWN:
                entries[issue.id] = newsletter_entry(archive, issue, delivery, run_id)
    return [replace(entry, channels=tuple(statuses[entry.issue].items())) for entry in entries.values()]


def unsubscribed_readers(store: Store, run_id: int, planning: Planning) -> list[NoNewsletter]:
    """Readers who unsubscribed: before planning, or after it and before their message went out."""
    withdrawn = [issue.reader for channel in CHANNELS for issue, delivery in store.run_deliveries(run_id, channel)
                 if delivery.status == WITHDRAWN]
    return [NoNewsletter(reader, "unsubscribed") for reader in dict.fromkeys(planning.unsubscribed + withdrawn)]


def newsletter_entry(archive: Path, issue: IssueRecord, delivery: ChannelDelivery, run_id: int) -> NewsletterEntry:
    folder = archive / "newsletters" / reader_slug(issue.reader)
    status = FAILED if delivery.status == PENDING else delivery.status
    error = delivery.last_error or ("not delivered (no reason was recorded)" if status == FAILED else "")
    reason = error + (STILL_PENDING if delivery.status == PENDING else "")
    message_file = CHANNELS[delivery.channel].message_file if delivery.channel in CHANNELS else None
    eml = message_file(archive, issue.id) if message_file else None
    return NewsletterEntry(issue.reader, issue.id, tuple(issue.paper_ids), folder / f"{issue.id}.html",
                           folder / f"{issue.id}.txt", eml, delivery.ref or "", status,
                           reason, note=not issue.sections, resumed=issue.run_id != run_id)


def save_report(report: RunReport, archive: Path) -> Path:
    """Write the report under archive/reports/: one per run and latest.json (a fetch run's: fetch-*.json and
    latest-fetch.json, so latest.json stays the last weekly run's)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    prefix, latest = ("fetch", "latest-fetch.json") if report.kind == FETCH_RUN else ("run", "latest.json")
    path = archive / "reports" / f"{prefix}-{report.run_id:05d}-{stamp}.json"
    report.report_path = str(path)
    data = json.dumps(report.as_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    private_folder(path.parent)
    write_atomic(path, data, private=True)
    write_atomic(archive / "reports" / latest, data, private=True)
    return path


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


def assemble_report(store: Store, settings: Settings, run_id: int, as_of: dt.date, sending: bool,
                    outcome: RunOutcome, classifier: str, kind: str = WEEKLY_RUN) -> RunReport:
    """The run report from the stages' outcomes and, for deliveries, the ledger."""
    classified, planning = outcome.classified or Classified(), outcome.planning or Planning()
    entries = newsletter_entries(store, settings.paths.archive, run_id)
    written = {item.issue_id for item in outcome.written}
    resumed = Resumed(classified.resumed, planning.resumed,
                      sum(1 for e in entries if e.status == "sent" and e.issue not in written))
    waiting = [] if sending else [NoNewsletter(r, "an earlier issue waits to be sent (run with --send)")
                                  for r in planning.waiting]
    return RunReport(
        run_id, as_of, sending, classifier, outcome.new_papers, outcome.digests, outcome.sources,
        profile_listing(classified.assignments, classified.papers, [p.id for p in settings.profiles]),
        entries, [NoNewsletter(r, "nothing new") for r in planning.nothing_new] + waiting
        + unsubscribed_readers(store, run_id, planning), resumed,
        outcome.pages, outcome.feeds, outcome.warnings, outcome.errors, links=link_state(settings, os.environ),
        kind=kind, fetches=store.fetch_runs_before(run_id) if kind == WEEKLY_RUN else [])


class StageClock:
    """Times each stage of a run for the report: `clock("stage", fn, *args)` calls and times fn."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str, fn, *args):
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
