"""The weekly run: ingest → diff → classify → plan → render and write → publish.

Each task is a thin wrapper around one core function; only I/O tasks retry.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from papercast.relevance.registry import backend_name, make_scorer
from papercast.relevance.classify import classify_papers
from papercast.config import Settings, Source, load_settings
from papercast.delivery.deliver import apply_send_results, delivery_totals, send_issues, unsent_results, write_newsletters
from papercast.errors import DeliveryError
from papercast.sources.fetch import FetchOutcome, failed_fetch, fetch_feed, is_transient
from papercast.sources.ingest import ParsedInputs, ingest_digests, parse_inputs, read_inbox
from papercast.lock import holding_run_lock
from papercast.models import Assignment, IngestResult, StoredPaper
from papercast.newsletter.plan import PlanBatch, plan_batch
from papercast.site.publish import publish_archive
from papercast.newsletter.notes import write_notes
from papercast.newsletter.render import make_environment
from papercast.report import RunReport, profile_listing, save_report
from papercast.schedule import today_in
from papercast.newsletter.selection import RunSelection, narrowed_to, select_run
from papercast.sources.limits import InputLimits
from papercast.delivery.smtp import SmtpSender, smtp_password
from papercast.sources.status import (fetch_problems, fetched_inputs, known_validators, record_fetches,
                                     source_statuses)
from papercast.store import Store
from papercast.summary import summary_markdown

BATCH_SIZE = 1000  # readers per plan/write task: fewer tasks, less Prefect overhead per reader
IN_FLIGHT_BATCHES = 3  # reader batches planned/written at once (see write_in_batches)


@task(cache_policy=NO_CACHE)
def start_run(settings: Settings, as_of: dt.date) -> int:
    with Store.open(settings.paths.state) as store:
        return store.start_run(as_of)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_inbox_files(settings: Settings):
    return read_inbox(settings)


@task(cache_policy=NO_CACHE)  # retries, delay and timeout per source: see fetch_all_sources
def fetch_source(settings: Settings, source: Source) -> FetchOutcome:
    with Store.open(settings.paths.state) as store:
        known = known_validators(store, source.name, source.url)
    return fetch_feed(source, known)


def retry_if_transient(task, task_run, state) -> bool:
    return is_transient(state.result(raise_on_failure=False))


@task(cache_policy=NO_CACHE)
def record_fetch_states(settings: Settings, outcomes: list[FetchOutcome], parse_errors: list) -> None:
    if not outcomes:  # no feed sources: nothing to remember, no store to open
        return
    with Store.open(settings.paths.state) as store:
        record_fetches(store, outcomes, parse_errors)


def fetch_all_sources(settings: Settings) -> list[FetchOutcome]:
    """Fetch every feed and hf-daily source at once; one that still fails after its retries is reported."""
    remote = [source for source in settings.sources if source.kind in ("feed", "hf-daily")]
    futures = [fetch_source.with_options(retries=s.retries, retry_delay_seconds=s.retry_delay,
                                         retry_condition_fn=retry_if_transient,
                                         timeout_seconds=s.timeout * 2 + 5).submit(settings, s)
               for s in remote]
    for future in futures:
        future.wait()
    return [future.result() if future.state.is_completed()
            else failed_fetch(source, future.state.result(raise_on_failure=False))
            for source, future in zip(remote, futures)]


@task(cache_policy=NO_CACHE)
def parse_digests(files, as_of: dt.date, limits: InputLimits) -> ParsedInputs:
    return parse_inputs(files, as_of, limits)


@task(cache_policy=NO_CACHE)
def ingest_new_papers(settings: Settings, parsed: ParsedInputs, run_id: int) -> IngestResult:
    with Store.open(settings.paths.state) as store:
        return ingest_digests(store, parsed.digests, run_id)


@task(cache_policy=NO_CACHE)
def classify_new_papers(settings: Settings, papers: list[StoredPaper]) -> list[Assignment]:
    with Store.open(settings.paths.state) as store:
        scorer = make_scorer(settings, cache=store) if papers else None
        assignments = classify_papers(papers, settings.profiles, scorer, settings.classify.threshold)
        store.save_assignments(assignments)
    return assignments


@task(cache_policy=NO_CACHE)
def find_paper_horizon(settings: Settings) -> int:
    """The last stored paper this run plans for, so every batch plans against the same papers."""
    with Store.open(settings.paths.state) as store:
        return store.max_paper_seq()


@task(cache_policy=NO_CACHE)
def plan_reader_batch(settings: Settings, selection: RunSelection, readers: list,
                      as_of: dt.date, up_to_seq: int) -> PlanBatch:
    with Store.open(settings.paths.state) as store:
        return plan_batch(store, settings, selection, readers, as_of, up_to_seq)


@task(cache_policy=NO_CACHE)
def write_newsletter_batch(settings: Settings, batch: PlanBatch, run_id: int,
                           sending: bool = False) -> tuple[list[dict], list[str]]:
    when = dt.datetime.now(dt.timezone.utc)
    with Store.open(settings.paths.state) as store:
        written = write_newsletters(store, settings, make_environment(), list(batch.plans), when, run_id, sending)
    return [item.as_dict() for item in written], list(batch.nothing_new)


@task(cache_policy=NO_CACHE)
def write_note_batch(settings: Settings, batch: PlanBatch, as_of: dt.date, run_id: int,
                     sending: bool = False) -> list[dict]:
    """The short "nothing new" note for the batch's readers with nothing new ([schedule] nothing_new = "note")."""
    idle = set(batch.nothing_new)
    readers = [reader for reader in settings.readers if reader.email in idle]
    when = dt.datetime.now(dt.timezone.utc)
    with Store.open(settings.paths.state) as store:
        written = write_notes(store, settings, make_environment(), readers, as_of, when, run_id, sending)
    return [{**item.as_dict(), "note": True} for item in written]


@task(retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def send_newsletter_batch(settings: Settings, issue_ids: list[str]) -> list[dict]:
    """I/O: one SMTP connection for the batch; what the server accepted is never sent again."""
    password = smtp_password(settings.smtp, os.environ)
    with Store.open(settings.paths.state) as store, SmtpSender(settings.smtp, password) as sender:
        return [result.as_dict() for result in send_issues(store, sender, issue_ids)]


def send_newsletters(settings: Settings, newsletters: list[dict]) -> list[dict]:
    """The send stage: batches one after another, so the rate limit holds for the whole run;
    a batch the server never took stays queued for the next run."""
    results: list[dict] = []
    queued = [entry for entry in newsletters if entry["status"] == "rendered"]
    for batch in batches(queued, settings.smtp.batch_size):
        try:
            results += send_newsletter_batch(settings, [entry["issue"] for entry in batch])
        except DeliveryError as exc:
            results += unsent_results(batch, exc.message)
    return results


@task(cache_policy=NO_CACHE)
def publish_run_summary(report: dict) -> None:
    create_markdown_artifact(summary_markdown(report), key="papercast-run-summary",
                             description=f"papercast run {report['run_id']} as of {report['as_of']}")


@task(cache_policy=NO_CACHE)
def publish_site(settings: Settings) -> tuple[list[str], list[str]]:
    """Archive pages and feeds, as absolute paths."""
    with Store.open(settings.paths.state) as store:
        published = publish_archive(store, settings, make_environment())
    return [str(path) for path in published.pages], [str(path) for path in published.feeds]


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="papercast-weekly", log_prints=False)
@holding_run_lock  # one run at a time per state: a second waits ([limits] lock_wait_seconds) or refuses
def weekly_newsletter(config_path: str, as_of: dt.date | None = None, profiles: list[str] | None = None,
                      readers: list[str] | None = None, send: bool = False,
                      batch_size: int = BATCH_SIZE) -> dict:
    """Run the week once and return the run report as a dict.

    as_of: the run's date (default: today in the schedule's time zone); profiles / readers:
    a subset for a manual run (profile ids, reader emails; default all); send: send through
    SMTP, else dry run; batch_size: readers per planning/writing task.
    """
    log = get_run_logger()
    settings = load_settings(config_path)
    if send:
        smtp_password(settings.smtp, os.environ)  # a missing password stops the run before anything else
    selection = select_run(settings, profiles, readers)
    as_of = as_of or today_in(settings.schedule.timezone)
    clock = Clock()
    run_id = start_run(settings, as_of)
    report = RunReport(run_id=run_id, as_of=as_of, classifier=backend_name(settings))
    files, report.errors = clock("read", read_inbox_files, settings)
    fetched = clock("fetch", fetch_all_sources, settings)
    files += fetched_inputs(fetched)
    parsed = clock("parse", parse_digests, files, as_of, InputLimits.from_config(settings.limits))
    report.errors += fetch_problems(fetched) + parsed.errors
    report.warnings = parsed.warnings
    ingested = clock("ingest", ingest_new_papers, settings, parsed, run_id)
    report.digests, report.new_papers = ingested.digests, len(ingested.new_papers)
    report.sources = source_statuses(fetched, parsed.errors, ingested.digests)
    record_fetch_states(settings, fetched, parsed.errors)
    log.info("ingested %d digests, %d new papers", len(ingested.digests), report.new_papers)
    assignments = clock("classify", classify_new_papers, settings, ingested.new_papers)
    report.profiles = profile_listing(assignments, ingested.new_papers, [p.id for p in settings.profiles])
    report.newsletters, nothing_new = clock("plan_and_write", write_in_batches, settings, selection, as_of, run_id,
                                             batch_size, send)
    report.no_newsletter = [{"reader": r, "status": "skipped", "reason": "nothing new"} for r in nothing_new]
    log.info("wrote %d newsletters; %d readers had nothing new", len(report.newsletters), len(nothing_new))
    if send:
        sent = clock("send", send_newsletters, settings, report.newsletters)
        report.newsletters = apply_send_results(report.newsletters, sent)
    report.delivery = delivery_totals(report.newsletters, report.no_newsletter, send)
    report.pages, report.feeds = clock("publish", publish_site, settings)
    report.timings = clock.seconds
    save_report(report, settings.paths.archive)
    publish_run_summary(report.as_dict())
    return report.as_dict()


def write_in_batches(settings: Settings, selection: RunSelection, as_of: dt.date, run_id: int,
                     batch_size: int, sending: bool = False) -> tuple[list[dict], list[str]]:
    """Plan and write newsletters in reader batches submitted to the task runner; results in reader order.

    A few batches are in flight at a time: enough to keep each Dask worker busy, few enough
    that writers do not queue on the state file's single write lock.
    """
    up_to_seq = find_paper_horizon(settings)
    groups = batches(list(selection.readers), max(1, batch_size))
    results = BatchResults(get_run_logger(), len(selection.readers))
    with_notes = settings.schedule.nothing_new == "note"
    in_flight: deque = deque()
    for group in groups:
        config, chosen = light_arguments(*narrowed_to(settings, selection, group))
        plan = plan_reader_batch.submit(config, chosen, group, as_of, up_to_seq)
        notes = write_note_batch.submit(config, plan, as_of, run_id, sending) if with_notes else None
        in_flight.append((len(group), write_newsletter_batch.submit(config, plan, run_id, sending), notes))
        if len(in_flight) >= IN_FLIGHT_BATCHES:
            results.add(*in_flight.popleft())
    while in_flight:
        results.add(*in_flight.popleft())
    return results.newsletters + results.notes, results.still_idle()


def light_arguments(*values):
    """quote() under the thread runner, else Prefect walks every reader in these arguments looking
    for futures, for every task; Dask pickles arguments anyway (and fails on quoted ones)."""
    threads = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)
    return tuple(quote(value) for value in values) if threads else values


class BatchResults:
    """Collects the batches' newsletters, notes and idle readers in submission order, logging progress."""

    def __init__(self, log, readers: int):
        self.log, self.readers, self.done = log, readers, 0
        self.newsletters: list[dict] = []
        self.notes: list[dict] = []
        self.nothing_new: list[str] = []

    def add(self, size: int, written_future, notes_future) -> None:
        written, idle = written_future.result()
        self.newsletters += written
        self.nothing_new += idle
        self.notes += notes_future.result() if notes_future is not None else []
        self.done += size
        self.log.info("readers %d/%d done: %d newsletters written so far", self.done, self.readers,
                      len(self.newsletters))

    def still_idle(self) -> list[str]:
        """Readers with nothing new who did not get a note either."""
        noted = {note["reader"] for note in self.notes}
        return [reader for reader in self.nothing_new if reader not in noted]


class Clock:
    """Times each stage of the flow for the report."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str, fn, *args):
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
