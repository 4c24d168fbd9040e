"""The weekly schedule: a Prefect deployment of the weekly flow with the config's cron and time zone.

`papercast serve` runs it in this process with Prefect's `serve`; an operator
can instead `prefect deploy` the same flow to a work pool with prefect.yaml.
The schedule is attached here, at deployment time, never inside the flow.
"""

from __future__ import annotations

from prefect.schedules import Cron

from papercast.flows.newsletter import weekly_newsletter
from papercast.flows.runners import shared_prefect_api
from papercast.config import Settings

DEPLOYMENT_NAME = "weekly"


def weekly_schedule(settings: Settings) -> Cron:
    """A cron in the configured IANA zone: Prefect keeps local wall-clock time across DST changes."""
    return Cron(settings.schedule.cron, timezone=settings.schedule.timezone)


def weekly_deployment(settings: Settings):
    """The deployment `papercast serve` runs: the flow, its schedule and its default parameters."""
    return weekly_newsletter.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[weekly_schedule(settings)],
        parameters={"config_path": str(settings.source_file)},
        description=f"Weekly papercast newsletters from {settings.source_file}",
        tags=["papercast"],
    )


def serve_weekly(settings: Settings) -> None:
    """Serve the weekly deployment until interrupted (Ctrl-C).

    Each scheduled run is a subprocess: it reports to PREFECT_API_URL, or to one
    temporary server started here; that one stops with the command, so there is
    no schedule left to pause on shutdown.
    """
    from prefect import serve

    with shared_prefect_api() as (_, temporary):
        serve(weekly_deployment(settings), print_starting_message=True, pause_on_shutdown=not temporary)
