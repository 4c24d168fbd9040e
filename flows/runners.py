"""Running the weekly flow from the CLI: which Prefect API, which task runner, and no lost records.

`dask` starts a local cluster of worker processes; `dask://HOST:PORT` joins an existing Dask
scheduler. Workers report their task runs to the same Prefect API as this process
(PREFECT_API_URL, exported for them). After the flow, the command flushes Prefect's log and
event queues and waits (bounded) until the API holds every task run of the flow in a final
state, so a temporary server is never stopped before its records are in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    PREFECT_UI_URL,
    temporary_settings,
)
from prefect.utilities.annotations import quote

from papercast.flows.newsletter import weekly_newsletter
from papercast.flows.quoting import report_quoted
from papercast.flows.server import UI_URL, TemporaryServer, export_api, launchable
from papercast.report import RunReport

if TYPE_CHECKING:  # the server module is heavy (about 1.8 s): imported only when it is used
    from prefect.server.api.server import SubprocessASGIServer

RECORDS_WAIT_SECONDS = 15.0
PAGE = 200  # task runs per API request (the server's default limit)


def task_runner_for(runner: str, workers: int | None = None):
    """The Prefect task runner for `default` (threads), `processes` (one process per core), `dask`
    or `dask://HOST:PORT`; None: the flow's default."""
    if runner == "default":
        return None
    if runner == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers or os.cpu_count() or 2)
    from prefect_dask import DaskTaskRunner

    if runner == "dask":
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or os.cpu_count() or 2,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return DaskTaskRunner(address=runner.removeprefix("dask://"))


@contextlib.contextmanager
def using_api(server: TemporaryServer | None) -> Iterator[None]:
    """Prefect in this process talks to `server` (already exported to child processes), once it answers."""
    if server is None:
        yield
        return
    server.wait_ready(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_UI_URL: os.environ.get(UI_URL, "")}):
        yield


@contextlib.contextmanager
def shared_prefect_api() -> Iterator[tuple[str, bool]]:
    """The API every process of a long-running command uses, and whether it is a temporary server:
    PREFECT_API_URL when set, else one temporary server started here for all of them."""
    configured = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if configured:
        yield configured, False
        return
    server: TemporaryServer | SubprocessASGIServer
    if not launchable():  # a Prefect we do not know: its own start
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()
    else:
        server = TemporaryServer(services=True).start()  # its scheduler creates the scheduled runs
    exported = export_api(server.api_url)
    try:
        with (
            using_api(server if isinstance(server, TemporaryServer) else None),
            temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_UI_URL: os.environ[UI_URL]}),
        ):
            yield server.api_url, True
    finally:
        for name in exported:
            os.environ.pop(name, None)
        server.stop()


def hide_prefect_tracebacks() -> None:
    """Console handlers print Prefect's log lines but not the tracebacks (the API still gets them)."""
    import prefect.main  # noqa: F401  (sets up Prefect's logging, once per process)

    for handler in logging.getLogger().handlers:
        handler.addFilter(TracebackOff())


class TracebackOff(logging.Filter):
    """Runs after the API handlers of Prefect's loggers (they sit on the child loggers), so the
    records they send keep their tracebacks; the console line loses it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("prefect"):
            record.exc_info, record.exc_text = None, None
        return True


def run_weekly(
    config_path: str,
    as_of: dt.date | None = None,
    profiles: list[str] | None = None,
    readers: list[str] | None = None,
    send: bool = False,
    runner: str = "default",
    batch_size: int | None = None,
    server: TemporaryServer | None = None,
) -> RunReport:
    """One run of the weekly flow on the chosen task runner; returns the run report."""
    task_runner = task_runner_for(runner)
    flow = weekly_newsletter if task_runner is None else weekly_newsletter.with_options(task_runner=task_runner)
    extra = {"batch_size": batch_size} if batch_size else {}

    def run() -> RunReport:
        with report_quoted():
            return unquoted(flow(config_path, as_of, profiles, readers, send, **extra))

    return run_flow(run, server)


def unquoted(report: RunReport) -> RunReport:
    """The report a flow returned `quoted` (Prefect's quote), as it is."""
    return report.unwrap() if isinstance(report, quote) else report


def run_fetch(config_path: str, as_of: dt.date | None = None, server: TemporaryServer | None = None) -> RunReport:
    """One fetch run (ingest and classify); returns its report."""
    from papercast.flows.fetch import fetch_papers

    return run_flow(lambda: fetch_papers(config_path, as_of), server)


def run_flow(start: Callable[[], RunReport], server: TemporaryServer | None) -> RunReport:
    """Start a flow and return its report, once the API (a temporary server: every record) has it all."""
    with using_api(server):
        try:
            report = start()
        finally:
            flush_to_api()
        if server is not None:  # a running server keeps what it was sent; a temporary one must have it all
            task_runs = wait_for_task_runs(str(report.prefect["flow_run_id"]), RECORDS_WAIT_SECONDS)
            report = replace(report, prefect={**report.prefect, "task_runs": task_runs})
    return report


def flush_to_api() -> None:
    """Send the logs and events Prefect still holds while the temporary server still listens."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=5)


def wait_for_task_runs(flow_run_id: str, seconds: float, settle: float = 1.0) -> int:
    """Until the API holds the flow run's task runs, all final and their number unchanged for
    `settle` seconds (bounded by `seconds`): Prefect records them from events sent in the
    background, and a temporary server stopped too early would lose some. Returns how many."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    wanted = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    deadline, seen, stable_since = time.monotonic() + seconds, -1, time.monotonic()
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = all_task_runs(client, wanted)
            if len(runs) != seen or not all(run.state is not None and run.state.is_final() for run in runs):
                seen, stable_since = len(runs), time.monotonic()
            elif time.monotonic() - stable_since >= settle:
                break
            time.sleep(0.1)
    return seen


def all_task_runs(client, wanted) -> list:
    runs, offset = [], 0
    while page := client.read_task_runs(flow_run_filter=wanted, limit=PAGE, offset=offset):
        runs += page
        offset += PAGE
        if len(page) < PAGE:
            break
    return runs
