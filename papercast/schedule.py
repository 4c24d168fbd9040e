"""When does the weekly run happen? Cron and time-zone checks for the config.

Prefect runs the schedule; this module only validates it at load time (so a
typo fails before anything is deployed) and answers "when is the next run?"
for people, in the schedule's own time zone, so daylight-saving changes move
neither the local hour nor the number of runs.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cronsim import CronSim, CronSimError


def check_cron(expression: str) -> str:
    """The expression, stripped, or ValueError saying what is wrong with it."""
    expression = " ".join(expression.split())
    if len(expression.split()) != 5:
        raise ValueError(
            f"{expression!r} is not a cron expression with 5 fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 7 * * MON'"
        )
    try:
        CronSim(expression, dt.datetime(2026, 1, 1))
    except CronSimError as exc:
        raise ValueError(f"{expression!r} is not a valid cron expression: {exc}") from None
    return expression


def check_timezone(name: str) -> str:
    """The IANA zone name, or ValueError naming it."""
    if name not in available_timezones():
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin' or 'UTC'")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
    return name


def next_runs(expression: str, timezone: str, after: dt.datetime, count: int) -> list[dt.datetime]:
    """The next `count` run times after `after`, as aware datetimes in the schedule's zone."""
    zone = ZoneInfo(timezone)
    start = after.astimezone(zone) if after.tzinfo else after.replace(tzinfo=zone)
    times = CronSim(expression, start)
    return [next(times) for _ in range(count)]


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """The date in the schedule's zone: a 00:30 Berlin run is dated that day, not UTC's yesterday."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(timezone)).date()
