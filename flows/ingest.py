"""The ingest stage, shared by the weekly run and the fetch run: read the inbox, fetch every source (each
feed once, each hf-daily source day by day), parse, diff against the store, remember how each fetch went.

Only the fetches retry (I/O): one task per GET, with the source's retries, delay and timeout.
"""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from papercast.settings import Settings
from papercast.report import RunOutcome
from papercast.sources.daily import FetchRequest, with_day
from papercast.sources.fetch import FetchOutcome, failed_fetch, fetch_feed, is_transient
from papercast.sources.ingest import ingest_digests, parse_inputs, plan_fetches, read_inbox
from papercast.sources.limits import InputLimits
from papercast.sources.status import fetched_inputs, record_fetches, settle_fetches
from papercast.flows.tasks import state_task

ingest_new_papers = state_task(ingest_digests)
record_fetch_states = state_task(record_fetches)
plan_source_fetches = state_task(plan_fetches)
read_inbox_files = task(read_inbox, retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)  # I/O
parse_digests = task(parse_inputs, cache_policy=NO_CACHE)


def ingest_sources(settings: Settings, as_of: dt.date, run_id: int, outcome: RunOutcome) -> None:
    """Every input of this run, parsed and ingested; the outcome collects digests, sources and problems."""
    files, outcome.errors = read_inbox_files(settings)
    requests = plan_source_fetches(settings, settings, as_of)
    fetched = fetch_all_sources(requests)
    parsed = parse_digests(files + fetched_inputs(fetched), as_of, InputLimits.from_config(settings.limits))
    ingested = ingest_new_papers(settings, parsed.digests, run_id)
    outcome.sources, problems, days = settle_fetches(requests, fetched, parsed.errors, parsed.empty,
                                                     ingested.digests)
    if fetched:
        record_fetch_states(settings, fetched, parsed.errors, days, run_id)
    outcome.errors += problems + parsed.errors
    outcome.warnings, outcome.digests, outcome.new_papers = parsed.warnings, ingested.digests, len(ingested.new_papers)
    get_run_logger().info("ingested %d digests, %d new papers", len(ingested.digests), outcome.new_papers)


@task(cache_policy=NO_CACHE)  # retries, delay and timeout per source: see fetch_all_sources
def fetch_source(request: FetchRequest) -> FetchOutcome:
    return with_day(fetch_feed(request.target, request.validators), request)


def fetch_all_sources(requests: list[FetchRequest]) -> list[FetchOutcome]:
    """Every GET at once; one that still fails after its source's retries is reported."""
    futures = [fetch_source.with_options(
        retries=r.source.retries, retry_delay_seconds=r.source.retry_delay, timeout_seconds=r.source.timeout * 2 + 5,
        task_run_name=f"fetch_source-{r.source.name}" + (f"-{r.day.isoformat()}" if r.day else ""),
        retry_condition_fn=lambda t, run, state: is_transient(state.result(raise_on_failure=False)),
    ).submit(r) for r in requests]
    return [future.result() if future.wait() or future.state.is_completed()
            else with_day(failed_fetch(r.target, future.state.result(raise_on_failure=False)), r)
            for r, future in zip(requests, futures)]
