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

from papercast.flows.ingest import ingest_sources
from papercast.flows.tasks import as_is, assemble_run_report, classify_owed_papers, publish_run_summary, start_run
from papercast.preflight import preflight
from papercast.report import RunOutcome, RunReport, StageClock
from papercast.store.records import FETCH_RUN


@flow(name="papercast-fetch", log_prints=False)
def fetch_papers(config_path: str, as_of: dt.date | None = None) -> RunReport:
    """Fetch and classify once; returns the fetch run's report. as_of: the run's date (default: today in the
    schedule's time zone): an hf-daily source is asked for the days up to it."""
    with preflight(config_path, as_of, send=False) as run:
        outcome, clock = RunOutcome(), StageClock()
        run_id = start_run(as_is(run), FETCH_RUN)
        with clock.stage("ingest"):
            ingest_sources(run, run_id, outcome)
        with clock.stage("classify"):
            outcome.classified = classify_owed_papers(as_is(run), run_id)
        report = assemble_run_report(as_is(run), run_id, as_is(outcome), clock.rounded(), FETCH_RUN)
        publish_run_summary(as_is(report))
        return report
