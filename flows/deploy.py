"""The schedules: Prefect deployments of the weekly flow (the config's cron and time zone) and, when feeds
need it, of the fetch flow ([schedule] fetch, in the same zone).

`papercast serve` runs them in this process with Prefect's `serve`; an operator can instead
`prefect deploy` the same flows to a work pool with prefect.yaml. The schedules are attached here,
at deployment time, never inside the flows. Entrypoints are module paths, so a deployment works
from any folder once papercast is installed (no checkout needed).
"""

from __future__ import annotations

from prefect.schedules import Cron, Schedule
from prefect.types.entrypoint import EntrypointType

from papercast.flows.fetch import fetch_papers
from papercast.flows.newsletter import weekly_newsletter
from papercast.flows.runners import shared_prefect_api
from papercast.settings import Settings
from papercast.sources.registry import fetch_cron

DEPLOYMENT_NAME = "weekly"
FETCH_DEPLOYMENT_NAME = "daily"


def weekly_schedule(settings: Settings) -> Schedule:
    """A cron in the configured IANA zone: Prefect keeps local wall-clock time across DST changes."""
    return Cron(settings.schedule.cron, timezone=settings.schedule.timezone)


def weekly_deployment(settings: Settings, send: bool = False):
    """The weekly deployment: the flow, its schedule and its default parameters; scheduled runs send
    when `send` (papercast serve --send) or [schedule] send says so, else they are dry runs."""
    return weekly_newsletter.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[weekly_schedule(settings)],
        parameters={"config_path": str(settings.source_file), "send": send or settings.schedule.send},
        description=f"Weekly papercast newsletters from {settings.source_file}",
        tags=["papercast"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def fetch_deployment(settings: Settings):
    """The fetch deployment on [schedule] fetch (ingest and classify, nothing sent), or None when off."""
    cron = fetch_cron(settings)
    if cron is None:
        return None
    return fetch_papers.to_deployment(
        name=FETCH_DEPLOYMENT_NAME,
        schedules=[Cron(cron, timezone=settings.schedule.timezone)],
        parameters={"config_path": str(settings.source_file)},
        description=f"papercast sources fetched and classified between weekly runs, from {settings.source_file}",
        tags=["papercast"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_schedules(settings: Settings, send: bool = False) -> None:
    """Serve the weekly (and fetch) deployments until interrupted (Ctrl-C).

    Each scheduled run is a subprocess: it reports to PREFECT_API_URL, or to one temporary server
    started here (with Prefect's scheduler, which creates the scheduled runs); that one stops with
    the command, so there is no schedule left to pause on shutdown.
    """
    from prefect import serve

    deployments = [d for d in (weekly_deployment(settings, send), fetch_deployment(settings)) if d is not None]
    with shared_prefect_api() as (_, temporary):
        serve(*deployments, print_starting_message=not temporary, pause_on_shutdown=not temporary)
