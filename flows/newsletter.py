"""The weekly run: ingest → diff → classify → plan → render and write → publish.

Each task is a thin wrapper around one core function; only I/O tasks retry.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from papercast.classify import classify_papers, make_scorer
from papercast.config import Settings, load_settings
from papercast.deliver import write_newsletters
from papercast.ingest import ParsedInputs, ingest_digests, parse_inputs, read_inbox
from papercast.models import Assignment, IngestResult, StoredPaper
from papercast.personalize import PlanBatch, plan_batch
from papercast.publish import publish_archive
from papercast.render import make_environment
from papercast.report import RunReport, profile_listing, save_report
from papercast.schedule import today_in
from papercast.selection import RunSelection, select_run
from papercast.store import Store
from papercast.summary import summary_markdown

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
def write_newsletter_batch(settings: Settings, batch: PlanBatch, run_id: int) -> tuple[list[dict], list[str]]:
    when = dt.datetime.now(dt.timezone.utc)
    with Store.open(settings.paths.state) as store:
        written = write_newsletters(store, settings, make_environment(), list(batch.plans), when, run_id)
    return [item.as_dict() for item in written], list(batch.nothing_new)


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
def weekly_newsletter(config_path: str, as_of: dt.date | None = None, profiles: list[str] | None = None,
                      readers: list[str] | None = None, send: bool = False) -> dict:
    """Run the week once and return the run report as a dict.

    as_of: the run's date (default today); profiles / readers: a subset for a manual
    run (profile ids, reader emails; default all); send: send through SMTP, else dry run.
    """
    log = get_run_logger()
    settings = load_settings(config_path)
    selection = select_run(settings, profiles, readers)
    as_of = as_of or today_in(settings.schedule.timezone)
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
    report.profiles = profile_listing(assignments, ingested.new_papers, list(selection.profiles))
    report.newsletters, nothing_new = clock("plan_and_write", write_in_batches, settings, selection, as_of, run_id)
    report.no_newsletter = [{"reader": r, "reason": "nothing new"} for r in nothing_new]
    log.info("wrote %d newsletters; %d readers had nothing new", len(report.newsletters), len(nothing_new))
    report.pages, report.feeds = clock("publish", publish_site, settings)
    report.timings = clock.seconds
    save_report(report, settings.paths.archive)
    publish_run_summary(report.as_dict())
    return report.as_dict()


def write_in_batches(settings: Settings, selection: RunSelection, as_of: dt.date,
                     run_id: int) -> tuple[list[dict], list[str]]:
    """Plan and write newsletters in reader batches submitted to the task runner; results in reader order."""
    log = get_run_logger()
    up_to_seq = find_paper_horizon(settings)
    reader_batches = batches(list(selection.readers), BATCH_SIZE)
    futures = [write_newsletter_batch.submit(
                   settings, plan_reader_batch.submit(settings, selection, group, as_of, up_to_seq), run_id)
               for group in reader_batches]
    newsletters, nothing_new = [], []
    for done, future in enumerate(futures, 1):
        written, idle = future.result()
        newsletters += written
        nothing_new += idle
        log.info("readers %d/%d done: %d newsletters written so far",
                 min(done * BATCH_SIZE, len(selection.readers)), len(selection.readers), len(newsletters))
    return newsletters, nothing_new


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
