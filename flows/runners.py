"""Which task runner runs the reader batches: Prefect's default threads, or Dask.

`dask` starts a local cluster of worker processes; `dask://HOST:PORT` joins an
existing Dask scheduler. Dask workers are separate processes that report their
task runs to the Prefect API: they find it through PREFECT_API_URL. When it is
unset, this module starts Prefect's temporary server once, in this process,
and points the workers at it, instead of letting each worker start its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from typing import Iterator

from prefect.settings import PREFECT_API_URL, temporary_settings

from papercast.flows.newsletter import weekly_newsletter


def task_runner_for(runner: str, workers: int | None = None):
    """The Prefect task runner for `default`, `dask` or `dask://HOST:PORT` (None: the flow's default)."""
    if runner == "default":
        return None
    from prefect_dask import DaskTaskRunner

    if runner == "dask":
        return DaskTaskRunner(cluster_kwargs={
            "n_workers": workers or os.cpu_count() or 2, "threads_per_worker": 1,
            "processes": True, "dashboard_address": None})
    return DaskTaskRunner(address=runner.removeprefix("dask://"))


@contextlib.contextmanager
def shared_prefect_api() -> Iterator[tuple[str, bool]]:
    """The API every process of this command uses, and whether it is a temporary server.

    PREFECT_API_URL when set; else Prefect's temporary server, started once here and
    exported, so child processes (Dask workers, served flow runs) use it instead of
    each starting their own.
    """
    configured = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if configured:
        yield configured, False
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url, True
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


@contextlib.contextmanager
def api_for_workers(runner: str) -> Iterator[str | None]:
    """Under Dask, workers are other processes: give them the same Prefect API as this one."""
    if runner == "default":
        yield None
        return
    with shared_prefect_api() as (url, _):
        yield url


def run_weekly(config_path: str, as_of: dt.date | None = None, profiles: list[str] | None = None,
               readers: list[str] | None = None, send: bool = False, runner: str = "default",
               batch_size: int | None = None) -> dict:
    """One run of the weekly flow on the chosen task runner; returns the run report."""
    task_runner = task_runner_for(runner)
    flow = weekly_newsletter if task_runner is None else weekly_newsletter.with_options(task_runner=task_runner)
    with api_for_workers(runner):
        extra = {"batch_size": batch_size} if batch_size else {}
        return flow(config_path, as_of, profiles, readers, send, **extra)
