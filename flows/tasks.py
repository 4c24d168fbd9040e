"""The tasks of both flows, one per stage: each opens the state the run's settings name, calls one core
function and closes it. Only I/O retries (SMTP here, the inbox and the feeds in ingest.py).

The flows pass the run (its settings, selection, date, whether it sends) and whatever may be large (plans,
outcomes, the report) `as_is`: Prefect then takes them as they are, instead of walking 10,000 readers
looking for futures in them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TypeVar, cast

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

from papercast.delivery.channels import Channel
from papercast.delivery.send import SendResult, defer_deliveries, send_batch
from papercast.delivery.write import WrittenIssue, record_written
from papercast.newsletter.plan import Planning, plan_issues
from papercast.newsletter.render import make_environment
from papercast.preflight import PreparedRun
from papercast.relevance.backlog import Classified, classify_backlog
from papercast.relevance.progress import ProgressLines
from papercast.relevance.registry import backend_name
from papercast.report import RunOutcome, RunReport, assemble_report, save_report
from papercast.site.publish import Published, publish_archive
from papercast.store import Store
from papercast.store.records import WEEKLY_RUN
from papercast.summary import summary_markdown

T = TypeVar("T")


def as_is(value: T) -> T:
    """`value` for a task argument, taken as it is (Prefect's `quote`): not walked for futures. Typed as the
    value, which is what the task receives."""
    return cast(T, quote(value))


@task(cache_policy=NO_CACHE)
def start_run(run: PreparedRun, kind: str = WEEKLY_RUN) -> int:
    with Store.of(run.settings) as store:
        return store.runs.start_run(run.as_of, kind)


@task(cache_policy=NO_CACHE)
def classify_owed_papers(run: PreparedRun, run_id: int) -> Classified:
    with Store.of(run.settings) as store:
        return classify_backlog(store, run.settings, run_id, on_progress=ProgressLines())  # long backlogs: stderr


@task(cache_policy=NO_CACHE)
def plan_reader_issues(run: PreparedRun, run_id: int, now: dt.datetime) -> Planning:
    with Store.of(run.settings) as store:
        return plan_issues(store, run.settings, run.selection, run.as_of, run_id, now)


@task(cache_policy=NO_CACHE)
def record_written_issues(run: PreparedRun, written: list[WrittenIssue], run_id: int) -> None:
    with Store.of(run.settings) as store:
        record_written(store.ledger, written, run_id)


# I/O, but SMTP retries are the sender's own ([smtp] retries): a channel that is down ends the batch without
# raising, so this task's retry only covers an unexpected failure and never multiplies the SMTP ones
@task(cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def send_issue_batch(run: PreparedRun, channel: Channel, issue_ids: list[str], run_id: int) -> list[SendResult]:
    with Store.of(run.settings) as store:
        return send_batch(store, channel, issue_ids, run_id)


@task(cache_policy=NO_CACHE)
def defer_unsent(run: PreparedRun, channel: str, issue_ids: list[str], reason: str, run_id: int) -> None:
    with Store.of(run.settings) as store:
        defer_deliveries(store.ledger, channel, issue_ids, reason, run_id)


@task(cache_policy=NO_CACHE)
def publish_site(run: PreparedRun) -> Published:
    with Store.of(run.settings) as store:
        return publish_archive(store.classification, run.settings, make_environment(), everything=False)


@task(cache_policy=NO_CACHE)
def assemble_run_report(
    run: PreparedRun, run_id: int, outcome: RunOutcome, timings: dict[str, float], kind: str = WEEKLY_RUN
) -> RunReport:
    """The run's report, saved under archive/reports/ (with the flow run's id)."""
    with Store.of(run.settings) as store:
        report = assemble_report(
            store, run.settings, run_id, run.as_of, run.send, outcome, backend_name(run.settings), kind
        )
    context = FlowRunContext.get()
    prefect = {"flow_run_id": str(context.flow_run.id)} if context and context.flow_run else {}
    return save_report(replace(report, timings=timings, prefect=prefect), run.settings.paths.archive)


@task(cache_policy=NO_CACHE)
def publish_run_summary(report: RunReport) -> None:
    create_markdown_artifact(
        summary_markdown(report),
        key=f"papercast-{report.kind}-summary",
        description=f"papercast {report.kind} run {report.run_id} as of {report.as_of}",
    )
