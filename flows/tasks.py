"""Tasks both flows use: a core function on the state as a task (open the state, call it, close it), and
the run report with its summary artifact."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

from papercast.settings import Settings
from papercast.preflight import PreparedRun
from papercast.relevance.registry import backend_name
from papercast.report import RunOutcome, StageClock, assemble_report, save_report
from papercast.store import Store
from papercast.store.records import WEEKLY_RUN
from papercast.summary import summary_markdown


def state_task(fn, **options):
    """A task that opens the settings' state and calls `fn(store, *args)`; arguments are quoted (they
    hold no futures: Prefect need not walk 10,000 readers looking for some)."""
    def in_state(settings: Settings, *args):
        with Store.of(settings) as store:
            return fn(store, *args)
    stored = task(in_state, name=fn.__name__, cache_policy=NO_CACHE, **options)
    return lambda *args, **kwargs: stored(*map(quote, args), **kwargs)


@task(cache_policy=NO_CACHE)
def assemble_run_report(run: PreparedRun, run_id: int, outcome: RunOutcome, clock: StageClock,
                        kind: str = WEEKLY_RUN) -> dict:
    with Store.of(run.settings) as store:
        report = assemble_report(store, run.settings, run_id, run.as_of, run.send, outcome,
                                 backend_name(run.settings), kind)
    report.timings, report.prefect = clock.seconds, {"flow_run_id": str(FlowRunContext.get().flow_run.id)}
    save_report(report, run.settings.paths.archive)
    return report.as_dict()


@task(cache_policy=NO_CACHE)
def publish_run_summary(report: dict) -> None:
    create_markdown_artifact(summary_markdown(report), key=f"papercast-{report['kind']}-summary",
                             description=f"papercast {report['kind']} run {report['run_id']} as of {report['as_of']}")
