"""The weekly run, as Prefect sees it: ingest -> classify -> plan -> write -> send -> publish.

Each task calls one core function (flows/tasks.py); only I/O tasks (inbox, feeds, SMTP) retry. Every
stage first finishes what an interrupted run left (docs/reliability.md). Only this process writes the state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from papercast.delivery.pool import WritePool, worth_a_pool
from papercast.delivery.registry import channels_for
from papercast.delivery.write import WrittenBatch, WrittenIssue, for_workers, write_batch
from papercast.faults import checkpoint
from papercast.flows.ingest import ingest_sources
from papercast.flows.quoting import quoted_report_wanted
from papercast.flows.tasks import (
    as_is,
    assemble_run_report,
    classify_owed_papers,
    defer_unsent,
    plan_reader_issues,
    publish_run_summary,
    publish_site,
    record_written_issues,
    send_issue_batch,
    start_run,
)
from papercast.heap import frozen_heap
from papercast.newsletter.plan import NewsletterPlan
from papercast.preflight import PreparedRun, preflight
from papercast.report import RunOutcome, RunReport, StageClock
from papercast.settings import Settings
from papercast.store import Store

BATCH_SIZE = 1000  # readers per write task: fewer tasks, less Prefect overhead per reader


@flow(name="papercast-weekly", log_prints=False)
def weekly_newsletter(
    config_path: str,
    as_of: dt.date | None = None,
    profiles: list[str] | None = None,
    readers: list[str] | None = None,
    send: bool | None = None,
    batch_size: int = BATCH_SIZE,
) -> RunReport:
    """Run the week once and return the run report. as_of: the run's date (default: today in the
    schedule's time zone); profiles / readers: a subset (ids, emails); send: SMTP, else a dry run
    to the outbox (default: [schedule] send in the config); batch_size: readers per write task.
    Called within `report_quoted()`, the report comes back in Prefect's `quote`."""
    with preflight(config_path, as_of, profiles, readers, send) as run:
        report = run_week(run, batch_size)
        return as_is(report) if quoted_report_wanted() else report


def run_week(run: PreparedRun, batch_size: int) -> RunReport:
    outcome, clock = RunOutcome(), StageClock()
    run_id = start_run(as_is(run))
    with timed(clock, "ingest"):
        ingest_sources(run, run_id, outcome)
    with timed(clock, "classify"):
        outcome.classified = classify_owed_papers(as_is(run), run_id)
    with timed(clock, "plan"):
        outcome.planning = plan_reader_issues(as_is(run), run_id, dt.datetime.now(dt.UTC))
    with timed(clock, "write"):
        outcome.written = write_in_batches(run, outcome.planning.to_write, run_id, batch_size)
    if run.send:
        with timed(clock, "send"):
            send_pending(run, run_id)
    with timed(clock, "publish"):
        published = publish_site(as_is(run))
    outcome.pages, outcome.feeds = published.pages, published.feeds
    with frozen_heap():
        report = assemble_run_report(as_is(run), run_id, as_is(outcome), clock.rounded())
    publish_run_summary(as_is(report))
    return report


@contextlib.contextmanager
def timed(clock: StageClock, name: str) -> Iterator[None]:
    """A stage of the run: timed for the report, with what existed before it left out of garbage collections."""
    with clock.stage(name), frozen_heap():
        yield


@task(name="write_batch", cache_policy=NO_CACHE)
def write_issue_batch(
    plans: list[NewsletterPlan], settings: Settings, sending: bool, pool: WritePool | None = None
) -> WrittenBatch:
    """Pure: writes files only, never the state (a worker may run it without one). `pool`: the run's
    writer processes (threads runner), else this process writes."""
    return pool.write(plans) if pool else write_batch(plans, settings, sending)


def write_in_batches(run: PreparedRun, plans: list[NewsletterPlan], run_id: int, size: int) -> list[WrittenIssue]:
    """Write tasks over batches of readers, each recorded here as it comes back. Threads: the batches go
    to one writer process per core when there are enough of them (papercast/delivery/pool.py), the next
    one while this process records the last; else one batch at a time (more contend for the GIL).
    Processes and Dask take them all, arguments unquoted (quoted ones reach them as tuples)."""
    context = FlowRunContext.get()
    threads = context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)
    workers = worth_a_pool(len(plans), run.settings.limits.write_processes) if threads else 0
    writer = for_workers(run.settings)
    with WritePool(writer, run.send, workers) if workers else contextlib.nullcontext() as pool:
        ship: Callable[[Any], Any] = as_is if threads else (lambda value: value)
        window = 2 if pool else 1 if threads else len(plans)
        batches = deque(plans[i : i + size] for i in range(0, len(plans), size))
        in_flight: deque[PrefectFuture[WrittenBatch]] = deque()
        written: list[WrittenIssue] = []
        while batches or in_flight:
            while batches and len(in_flight) < window:
                batch_plans = ship(batches.popleft())
                in_flight.append(write_issue_batch.submit(batch_plans, ship(writer), run.send, ship(pool)))
            batch: WrittenBatch = in_flight.popleft().result()
            record_written_issues(as_is(run), as_is(list(batch.issues)), run_id)
            written += batch.issues
            get_run_logger().info("%d of %d issues written", len(written), len(plans))
    checkpoint("write.done")
    return written


def send_pending(run: PreparedRun, run_id: int) -> None:
    """Every delivery still pending for the run's readers, batch after batch, so rate limits hold."""
    size, emails = run.settings.smtp.batch_size, [reader.email for reader in run.selection.readers]
    for channel in channels_for(run.settings):
        with Store.of(run.settings) as store:
            ids = [issue.id for issue in store.ledger.pending_deliveries(channel.name, emails)]
        for start in range(0, len(ids), size):
            stopped = send_one_batch(run, channel, ids[start : start + size], run_id)
            if stopped:  # the channel is down: the rest stays pending for the next run, with the reason
                defer_unsent(as_is(run), channel.name, ids[start + size :], stopped, run_id)
                get_run_logger().warning("sending on %s stopped: %s", channel.name, stopped)
                break


def send_one_batch(run: PreparedRun, channel, ids: list[str], run_id: int) -> str:
    """ "" when the channel took the batch, else why it is down."""
    state = send_issue_batch(as_is(run), as_is(channel), ids, run_id, return_state=True)
    if state.is_failed():
        return state.message or "the send task failed"
    return next((result.reason for result in state.result() if result.channel_down), "")
