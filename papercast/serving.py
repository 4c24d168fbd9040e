"""What `papercast serve` says once at start: what runs when, whether scheduled runs send, where they report.

An operator reads it in the service's log: the next run times in the schedule's own zone, and a dry-run
schedule says so plainly, with the two ways to make it send.
"""

from __future__ import annotations

import datetime as dt

from papercast.schedule import next_runs
from papercast.settings import Settings
from papercast.sources.registry import fetch_cron

NEXT = 3  # next run times shown per schedule


def serving_lines(settings: Settings, send: bool, now: dt.datetime, temporary: bool) -> list[str]:
    """The lines `papercast serve` prints before it starts (without the "papercast: " prefix)."""
    schedule = settings.schedule
    lines = [f"weekly run '{schedule.cron}' ({schedule.timezone}); next: {upcoming(schedule.cron, settings, now)}"]
    if send:
        lines.append(f"scheduled runs send through smtp://{settings.smtp.host}:{settings.smtp.port}")
    else:
        lines.append(
            f"scheduled runs are dry runs: messages go to {settings.paths.archive / 'outbox'}, nothing is "
            "sent; to send, start `papercast serve --send` or set [schedule] send = true"
        )
    fetch = fetch_cron(settings)
    if fetch:
        lines.append(
            f"fetch run '{fetch}' ({schedule.timezone}), sources fetched and classified "
            f"between weekly runs; next: {upcoming(fetch, settings, now)}"
        )
    if temporary:
        lines.append(
            "runs report to a temporary Prefect server that stops with this command; for a UI and runs "
            "started by hand, set PREFECT_API_URL to a running Prefect server (docs/scheduling.md)"
        )
    return lines


def upcoming(cron: str, settings: Settings, now: dt.datetime) -> str:
    return ", ".join(t.isoformat(timespec="minutes") for t in next_runs(cron, settings.schedule.timezone, now, NEXT))
