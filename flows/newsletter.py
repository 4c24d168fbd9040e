"""The weekly run, as Prefect sees it: ingest -> classify -> plan -> write -> send -> publish.

Each task calls one core function; only I/O tasks (inbox, feeds, SMTP) retry. Every stage first
finishes what an interrupted run left (docs/reliability.md). Only this process writes the state.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from papercast.config import Settings, Source
from papercast.delivery.send import send_batch
from papercast.delivery.write import WrittenIssue, channels_for, for_workers, record_written, write_batch
from papercast.faults import checkpoint
from papercast.newsletter.plan import NewsletterPlan, plan_issues
from papercast.newsletter.render import make_environment
from papercast.preflight import PreparedRun, preflight
from papercast.relevance.backlog import classify_backlog
from papercast.relevance.registry import backend_name
from papercast.report import RunOutcome, StageClock, assemble_report, save_report
from papercast.site.publish import publish_archive
from papercast.sources.fetch import FetchOutcome, failed_fetch, fetch_feed, is_transient
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
from papercast.sources.limits import InputLimits
from papercast.sources.status import fetch_problems, fetched_inputs, known_validators, record_fetches, source_statuses
from papercast.store import Store
from papercast.summary import summary_markdown

BATCH_SIZE = 1000  # readers per write task: fewer tasks, less Prefect overhead per reader


def state_task(fn, **options):
    """A task that opens the settings' state and calls `fn(store, *args)`; arguments are quoted (they
    hold no futures: Prefect need not walk 10,000 readers looking for some)."""
    def in_state(settings: Settings, *args):
        with Store.of(settings) as store:
            return fn(store, *args)
    stored = task(in_state, name=fn.__name__, cache_policy=NO_CACHE, **options)
    return lambda *args, **kwargs: stored(*map(quote, args), **kwargs)


start_run = state_task(Store.start_run)
ingest_new_papers = state_task(ingest_digests)
record_fetch_states = state_task(record_fetches)
classify_owed_papers = state_task(classify_backlog)
plan_reader_issues = state_task(plan_issues)
record_written_issues = state_task(record_written)
send_issue_batch = state_task(send_batch, retries=2, retry_delay_seconds=5)  # I/O: SMTP
publish_site = state_task(publish_archive)
read_inbox_files = task(read_inbox, retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)  # I/O
parse_digests = task(parse_inputs, cache_policy=NO_CACHE)
write_issue_batch = task(write_batch, cache_policy=NO_CACHE)  # pure: files only, never the state


@flow(name="papercast-weekly", log_prints=False)
def weekly_newsletter(config_path: str, as_of: dt.date | None = None, profiles: list[str] | None = None,
                      readers: list[str] | None = None, send: bool = False, batch_size: int = BATCH_SIZE) -> dict:
    """Run the week once and return the run report. as_of: the run's date (default: today in the
    schedule's time zone); profiles / readers: a subset (ids, emails); send: SMTP, else a dry run
    to the outbox; batch_size: readers per write task."""
    with preflight(config_path, as_of, profiles, readers, send) as run:
        return run_week(run, batch_size)


def run_week(run: PreparedRun, batch_size: int) -> dict:
    settings, outcome, clock = run.settings, RunOutcome(), StageClock()
    run_id = start_run(settings, run.as_of)
    clock("ingest", ingest_week, run, run_id, outcome)
    outcome.classified = clock("classify", classify_owed_papers, settings, settings, run_id)
    now = dt.datetime.now(dt.timezone.utc)
    outcome.planning = clock("plan", plan_reader_issues, settings, settings, run.selection, run.as_of, run_id, now)
    outcome.written = clock("write", write_in_batches, run, outcome.planning.to_write, run_id, batch_size)
    if run.send:
        clock("send", send_pending, run, run_id)
    published = clock("publish", publish_site, settings, settings, make_environment())
    outcome.pages, outcome.feeds = published.pages, published.feeds
    report = assemble_run_report(quote(run), run_id, quote(outcome), clock)
    publish_run_summary(quote(report))
    return report


def ingest_week(run: PreparedRun, run_id: int, outcome: RunOutcome) -> None:
    settings = run.settings
    files, outcome.errors = read_inbox_files(settings)
    fetched = fetch_all_sources(settings)
    parsed = parse_digests(files + fetched_inputs(fetched), run.as_of, InputLimits.from_config(settings.limits))
    ingested = ingest_new_papers(settings, parsed.digests, run_id)
    if fetched:
        record_fetch_states(settings, fetched, parsed.errors)
    outcome.errors += fetch_problems(fetched) + parsed.errors
    outcome.warnings, outcome.digests, outcome.new_papers = parsed.warnings, ingested.digests, len(ingested.new_papers)
    outcome.sources = source_statuses(fetched, parsed.errors, ingested.digests)
    get_run_logger().info("ingested %d digests, %d new papers", len(ingested.digests), outcome.new_papers)


@task(cache_policy=NO_CACHE)  # retries, delay and timeout per source: see fetch_all_sources
def fetch_source(settings: Settings, source: Source) -> FetchOutcome:
    with Store.of(settings) as store:
        return fetch_feed(source, known_validators(store, source.name, source.url))


def fetch_all_sources(settings: Settings) -> list[FetchOutcome]:
    """Fetch every feed and hf-daily source at once; one that still fails after its retries is reported."""
    remote = [source for source in settings.sources if source.kind in ("feed", "hf-daily")]
    futures = [fetch_source.with_options(
        retries=s.retries, retry_delay_seconds=s.retry_delay, timeout_seconds=s.timeout * 2 + 5,
        retry_condition_fn=lambda t, r, state: is_transient(state.result(raise_on_failure=False)),
    ).submit(settings, s) for s in remote]
    return [future.result() if future.wait() or future.state.is_completed()
            else failed_fetch(source, future.state.result(raise_on_failure=False))
            for source, future in zip(remote, futures)]


def write_in_batches(run: PreparedRun, plans: list[NewsletterPlan], run_id: int, size: int) -> list[WrittenIssue]:
    """Write tasks over batches of readers, each recorded here as it comes back. Threads: one batch
    at a time (more, or writing while recording, contend for the GIL and the file system);
    processes and Dask take them all, arguments unquoted (quoted ones reach them as tuples)."""
    threads = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)
    ship, window = (quote, 1) if threads else ((lambda value: value), len(plans))
    batches, in_flight, written = deque(plans[i:i + size] for i in range(0, len(plans), size)), deque(), []
    writer = ship(for_workers(run.settings))
    while batches or in_flight:
        while batches and len(in_flight) < window:
            in_flight.append(write_issue_batch.submit(ship(batches.popleft()), writer, run.send))
        batch = list(in_flight.popleft().result().issues)
        record_written_issues(run.settings, batch, run_id)
        written += batch
        get_run_logger().info("%d of %d issues written", len(written), len(plans))
    checkpoint("write.done")
    return written


def send_pending(run: PreparedRun, run_id: int) -> None:
    """Every delivery still pending for the run's readers, batch after batch, so rate limits hold."""
    size, emails = run.settings.smtp.batch_size, [reader.email for reader in run.selection.readers]
    for channel in channels_for(run.settings):
        with Store.of(run.settings) as store:
            ids = [issue.id for issue in store.pending_deliveries(channel.name, emails)]
        for start in range(0, len(ids), size):
            state = send_issue_batch(run.settings, channel, ids[start:start + size], run_id, return_state=True)
            if state.is_failed():  # the channel is down: the rest stays pending for the next run
                get_run_logger().warning("sending on %s stopped: %s", channel.name, state.message)
                break


@task(cache_policy=NO_CACHE)
def assemble_run_report(run: PreparedRun, run_id: int, outcome: RunOutcome, clock: StageClock) -> dict:
    with Store.of(run.settings) as store:
        report = assemble_report(store, run.settings, run_id, run.as_of, run.send, outcome, backend_name(run.settings))
    report.timings, report.prefect = clock.seconds, {"flow_run_id": str(FlowRunContext.get().flow_run.id)}
    save_report(report, run.settings.paths.archive)
    return report.as_dict()


@task(cache_policy=NO_CACHE)
def publish_run_summary(report: dict) -> None:
    create_markdown_artifact(summary_markdown(report), key="papercast-run-summary",
                             description=f"papercast run {report['run_id']} as of {report['as_of']}")
