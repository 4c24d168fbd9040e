"""Schedule checks at config load, and next run times in the schedule's own zone."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.schedule import next_runs, today_in


@pytest.mark.parametrize("body, key", [
    ('cron = "0 7 * *"', "schedule.cron"),
    ('cron = "61 7 * * MON"', "schedule.cron"),
    ('cron = "0 7 * * FUNDAY"', "schedule.cron"),
    ('timezone = "Europe/Atlantis"', "schedule.timezone"),
    ('timezone = "CEST"', "schedule.timezone"),
    ('nothing_new = "shout"', "schedule.nothing_new"),
])
def test_bad_schedule_is_a_config_error_naming_the_key(tmp_path, body, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(tmp_path, extra=f"[schedule]\n{body}"))
    assert f"{key}:" in caught.value.one_line() and "papercast.toml" in caught.value.one_line()


def test_schedule_defaults_and_values_load(tmp_path):
    assert load_settings(write_config(tmp_path)).schedule.cron == "0 7 * * MON"
    settings = load_settings(write_config(tmp_path, extra='[schedule]\ncron = " 0  7 * * MON "\ntimezone = "Asia/Tokyo"'))
    assert (settings.schedule.cron, settings.schedule.timezone) == ("0 7 * * MON", "Asia/Tokyo")


def test_next_runs_keep_local_time_across_dst():
    runs = next_runs("0 7 * * MON", "Europe/Berlin", dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc), 3)
    assert [r.isoformat() for r in runs] == ["2026-03-23T07:00:00+01:00", "2026-03-30T07:00:00+02:00",
                                             "2026-04-06T07:00:00+02:00"]


def test_today_is_the_date_in_the_schedule_zone():
    late_utc = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.timezone.utc)
    assert today_in("Europe/Berlin", late_utc) == dt.date(2026, 11, 23)
    assert today_in("UTC", late_utc) == dt.date(2026, 11, 22)
