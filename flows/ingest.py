"""The ingest stage, shared by the weekly run and the fetch run: read the inbox, fetch every source (each
feed once, each hf-daily source day by day), parse, diff against the store, remember how each fetch went.

Only the reads retry (I/O): the inbox, and one task per GET with the source's retries, delay and timeout.
"""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from papercast.flows.tasks import as_is
from papercast.models import Digest, DigestResult, IngestResult, Problem
from papercast.preflight import PreparedRun
from papercast.report import RunOutcome
from papercast.sources.daily import FetchRequest, with_day
from papercast.sources.fetch import FetchOutcome, failed_fetch, fetch_feed, is_transient
from papercast.sources.inbox import InputFile
from papercast.sources.ingest import ParsedInputs, ingest_digests, parse_new_inputs, plan_fetches, read_inbox
from papercast.sources.limits import InputLimits
from papercast.sources.status import fetched_inputs, record_fetches, settle_fetches
from papercast.store import Store
from papercast.store.records import FetchDay


def ingest_sources(run: PreparedRun, run_id: int, outcome: RunOutcome) -> None:
    """Every input of this run, parsed and ingested; the outcome collects digests, sources and problems."""
    files, outcome.errors = read_inbox_files(as_is(run))
    requests = plan_source_fetches(as_is(run))
    fetched = fetch_all_sources(requests)
    inputs, limits = files + fetched_inputs(fetched), InputLimits.from_config(run.settings.limits)
    parsed = parse_digests(as_is(run), as_is(inputs), run.as_of, limits)
    ingested = ingest_new_papers(as_is(run), as_is(parsed.digests), run_id, as_is(parsed.known))
    outcome.sources, problems, days = settle_fetches(requests, fetched, parsed.errors, parsed.empty, ingested.digests)
    if fetched:
        record_fetch_states(as_is(run), fetched, parsed.errors, days, run_id)
    outcome.errors += problems + parsed.errors
    outcome.warnings, outcome.digests, outcome.new_papers = parsed.warnings, ingested.digests, len(ingested.new_papers)
    get_run_logger().info("ingested %d digests, %d new papers", len(ingested.digests), outcome.new_papers)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)  # I/O
def read_inbox_files(run: PreparedRun) -> tuple[list[InputFile], list[Problem]]:
    return read_inbox(run.settings)


@task(cache_policy=NO_CACHE)
def plan_source_fetches(run: PreparedRun) -> list[FetchRequest]:
    with Store.of(run.settings) as store:
        return plan_fetches(store.fetches, run.settings, run.as_of)


@task(cache_policy=NO_CACHE)
def parse_digests(run: PreparedRun, files: list[InputFile], as_of: dt.date, limits: InputLimits) -> ParsedInputs:
    with Store.of(run.settings) as store:
        return parse_new_inputs(store.papers, files, as_of, limits)


@task(cache_policy=NO_CACHE)
def ingest_new_papers(run: PreparedRun, digests: list[Digest], run_id: int, known: list[DigestResult]) -> IngestResult:
    with Store.of(run.settings) as store:
        return ingest_digests(store.papers, digests, run_id, known)


@task(cache_policy=NO_CACHE)
def record_fetch_states(
    run: PreparedRun, fetched: list[FetchOutcome], parse_errors: list[Problem], days: list[FetchDay], run_id: int
) -> None:
    with Store.of(run.settings) as store:
        record_fetches(store.fetches, fetched, parse_errors, days, run_id)


@task(cache_policy=NO_CACHE)  # retries, delay and timeout per source: see fetch_all_sources
def fetch_source(request: FetchRequest) -> FetchOutcome:
    return with_day(fetch_feed(request.target, request.validators), request)


def fetch_all_sources(requests: list[FetchRequest]) -> list[FetchOutcome]:
    """Every GET at once; one that still fails after its source's retries is reported."""
    futures = [
        fetch_source.with_options(
            retries=r.source.retries,
            retry_delay_seconds=r.source.retry_delay,
            timeout_seconds=r.source.timeout * 2 + 5,
            task_run_name=f"fetch_source-{r.source.name}" + (f"-{r.day.isoformat()}" if r.day else ""),
            retry_condition_fn=lambda t, run, state: is_transient(state.result(raise_on_failure=False)),
        ).submit(r)
        for r in requests
    ]
    return [
        future.result()
        if future.wait() or future.state.is_completed()
        else with_day(failed_fetch(r.target, future.state.result(raise_on_failure=False)), r)
        for r, future in zip(requests, futures, strict=True)
    ]
