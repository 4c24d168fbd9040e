"""The fetch run, between weekly runs: fetch every source and classify what is new; nothing is planned, written,
sent or published.

Feeds such as arXiv's RSS show only their latest items, so a weekly run alone would hold only the
last day's. `papercast serve` runs this flow on [schedule] fetch (every morning by default when a
feed source exists); `papercast fetch` runs it once. The papers it stores wait, classified, for the
next weekly run, whose report lists the fetch runs it covers (`fetches`).
"""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.utilities.annotations import quote

from papercast.flows.ingest import ingest_sources
from papercast.flows.tasks import assemble_run_report, publish_run_summary, state_task
from papercast.preflight import preflight
from papercast.relevance.backlog import classify_backlog
from papercast.report import RunOutcome, StageClock
from papercast.store import Store
from papercast.store.records import FETCH_RUN

start_run = state_task(Store.start_run)
classify_owed_papers = state_task(classify_backlog)


@flow(name="papercast-fetch", log_prints=False)
def fetch_papers(config_path: str, as_of: dt.date | None = None) -> dict:
    """Fetch and classify once; returns the fetch run's report. as_of: the run's date (default: today in the
    schedule's time zone): an hf-daily source is asked for the days up to it."""
    with preflight(config_path, as_of, send=False) as run:
        outcome, clock = RunOutcome(), StageClock()
        run_id = start_run(run.settings, run.as_of, FETCH_RUN)
        clock("ingest", ingest_sources, run.settings, run.as_of, run_id, outcome)
        outcome.classified = clock("classify", classify_owed_papers, run.settings, run.settings, run_id)
        report = assemble_run_report(quote(run), run_id, quote(outcome), clock, FETCH_RUN)
        publish_run_summary(quote(report))
        return report
