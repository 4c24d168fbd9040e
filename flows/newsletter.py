"""The weekly run: ingest → diff → classify → plan → render and write → publish.

Each task is a thin wrapper around one core function; only I/O tasks retry.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from papercast.classify import classify_papers, make_scorer
from papercast.config import Settings, load_settings
from papercast.deliver import write_newsletters
from papercast.ingest import ParsedInputs, ingest_digests, parse_inputs, read_inbox
from papercast.models import Assignment, IngestResult, StoredPaper
from papercast.personalize import NewsletterPlan, plan_newsletters
from papercast.publish import publish_archive
from papercast.render import make_environment
from papercast.report import RunReport, profile_listing, save_report
from papercast.store import Store

BATCH_SIZE = 200


@task(cache_policy=NO_CACHE)
def start_run(settings: Settings, as_of: dt.date) -> int:
    with Store.open(settings.paths.state) as store:
        return store.start_run(as_of)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_inbox_files(settings: Settings):
    return read_inbox(settings)


@task(cache_policy=NO_CACHE)
def parse_digests(files, as_of: dt.date) -> ParsedInputs:
    return parse_inputs(files, as_of)


@task(cache_policy=NO_CACHE)
def ingest_new_papers(settings: Settings, parsed: ParsedInputs, run_id: int) -> IngestResult:
    with Store.open(settings.paths.state) as store:
        return ingest_digests(store, parsed.digests, run_id)


@task(cache_policy=NO_CACHE)
def classify_new_papers(settings: Settings, papers: list[StoredPaper]) -> list[Assignment]:
    assignments = classify_papers(papers, settings.profiles, make_scorer(settings),
                                  settings.classify.threshold)
    with Store.open(settings.paths.state) as store:
        store.save_assignments(assignments)
    return assignments


@task(cache_policy=NO_CACHE)
def plan_reader_newsletters(settings: Settings, as_of: dt.date):
    with Store.open(settings.paths.state) as store:
        return plan_newsletters(store, settings, as_of)


@task(cache_policy=NO_CACHE)
def write_newsletter_batch(settings: Settings, plans: list[NewsletterPlan], run_id: int) -> list[dict]:
    when = dt.datetime.now(dt.timezone.utc)
    with Store.open(settings.paths.state) as store:
        written = write_newsletters(store, settings, make_environment(), plans, when, run_id)
    return [item.as_dict() for item in written]


@task(cache_policy=NO_CACHE)
def publish_site(settings: Settings) -> list[str]:
    with Store.open(settings.paths.state) as store:
        return [str(path) for path in publish_archive(store, settings, make_environment())]


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="papercast-weekly", log_prints=False)
def weekly_newsletter(config_path: str, as_of: dt.date | None = None) -> dict:
    """Run the whole week once and return the run report as a dict."""
    log = get_run_logger()
    settings = load_settings(config_path)
    as_of = as_of or dt.date.today()
    clock = Clock()
    run_id = start_run(settings, as_of)
    report = RunReport(run_id=run_id, as_of=as_of, classifier=make_scorer(settings).name)
    files, report.errors = clock("read", read_inbox_files, settings)
    parsed = clock("parse", parse_digests, files, as_of)
    report.errors += parsed.errors
    report.warnings = parsed.warnings
    ingested = clock("ingest", ingest_new_papers, settings, parsed, run_id)
    report.digests, report.new_papers = ingested.digests, len(ingested.new_papers)
    log.info("ingested %d digests, %d new papers", len(ingested.digests), report.new_papers)
    assignments = clock("classify", classify_new_papers, settings, ingested.new_papers)
    report.profiles = profile_listing(assignments, ingested.new_papers, [p.id for p in settings.profiles])
    plans, nothing_new = clock("plan", plan_reader_newsletters, settings, as_of)
    report.no_newsletter = [{"reader": r, "reason": "nothing new"} for r in nothing_new]
    for batch in batches(plans, BATCH_SIZE):
        report.newsletters += clock("write", write_newsletter_batch, settings, batch, run_id)
    log.info("wrote %d newsletters; %d readers had nothing new", len(report.newsletters), len(nothing_new))
    report.pages = clock("publish", publish_site, settings)
    report.timings = clock.seconds
    save_report(report, settings.paths.archive)
    return report.as_dict()


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
