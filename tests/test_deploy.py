"""The weekly deployment: the configured cron and time zone reach Prefect, and DST neither shifts nor doubles a run."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import PROJECT, write_config
from papercast.config import load_settings
from papercast.settings import FETCH_DEFAULT

BERLIN = ZoneInfo("Europe/Berlin")


def schedule_config(tmp_path, cron: str, timezone: str = "Europe/Berlin"):
    return load_settings(write_config(tmp_path, extra=f'[schedule]\ncron = "{cron}"\ntimezone = "{timezone}"'))


def prefect_run_times(cron: str, timezone: str, start: dt.datetime, count: int) -> list[dt.datetime]:
    """The run times Prefect's scheduler service computes for this schedule."""
    from prefect.server.schemas.schedules import CronSchedule

    dates = asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=count, start=start))
    return [date.astimezone(ZoneInfo(timezone)) for date in dates]


@pytest.mark.parametrize("cron, timezone", [("0 7 * * MON", "Europe/Berlin"), ("15 18 * * FRI", "America/New_York")])
def test_deployment_carries_the_configured_cron_and_time_zone(tmp_path, cron, timezone):
    from papercast.flows.deploy import weekly_deployment

    settings = schedule_config(tmp_path, cron, timezone)
    deployment = weekly_deployment(settings)
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (cron, timezone)
    assert schedule.active
    assert deployment.parameters == {"config_path": str(settings.source_file), "send": False}
    assert deployment.entrypoint == "papercast.flows.newsletter.weekly_newsletter"  # works from any folder


def test_deployment_registered_on_a_prefect_server_keeps_cron_and_zone(tmp_path, prefect_harness):
    from prefect.client.orchestration import get_client

    from papercast.flows.deploy import weekly_deployment

    deployment_id = weekly_deployment(schedule_config(tmp_path, "0 7 * * MON")).apply()

    async def read():
        async with get_client() as client:
            return await client.read_deployment(deployment_id)

    stored = asyncio.run(read())
    assert [(s.schedule.cron, s.schedule.timezone) for s in stored.schedules] == [("0 7 * * MON", "Europe/Berlin")]
    assert set(stored.parameter_openapi_schema["properties"]) == {"config_path", "as_of", "profiles", "readers",
                                                                  "send", "batch_size"}


def test_weekly_run_stays_at_seven_local_time_across_both_dst_changes():
    runs = prefect_run_times("0 7 * * MON", "Europe/Berlin", dt.datetime(2026, 3, 1, tzinfo=BERLIN), 40)
    assert {(r.hour, r.minute, r.strftime("%a")) for r in runs} == {(7, 0, "Mon")}
    assert all((b.date() - a.date()).days == 7 for a, b in zip(runs, runs[1:]))
    offsets = {r.utcoffset() for r in runs}
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}, "the span should cross both DST changes"


@pytest.mark.parametrize("start", [dt.datetime(2026, 3, 20, tzinfo=BERLIN), dt.datetime(2026, 10, 18, tzinfo=BERLIN)])
def test_a_run_in_the_changing_hour_happens_exactly_once_that_week(start):
    """02:30 does not exist on 29 March 2026 in Berlin and happens twice on 25 October 2026."""
    runs = prefect_run_times("30 2 * * SUN", "Europe/Berlin", start, 4)
    weeks = [r.isocalendar()[:2] for r in runs]
    assert len(set(weeks)) == len(weeks) == 4, runs
    assert all(dt.timedelta(days=6) < b - a < dt.timedelta(days=8) for a, b in zip(runs, runs[1:])), runs


def test_prefect_yaml_matches_the_config_and_the_flow_parameters():
    from importlib.metadata import version

    from prefect.flows import load_flow_from_entrypoint

    settings = load_settings(PROJECT / "config" / "papercast.toml")
    spec = yaml.safe_load((PROJECT / "prefect.yaml").read_text(encoding="utf-8"))
    assert spec["prefect-version"] == version("prefect")
    weekly, daily = spec["deployments"]
    [schedule] = weekly["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == (settings.schedule.cron, settings.schedule.timezone)
    assert daily["schedules"][0]["cron"] == FETCH_DEFAULT and daily["schedules"][0]["timezone"] == schedule["timezone"]
    for deployment, name in ((weekly, "papercast-weekly"), (daily, "papercast-fetch")):
        assert ":" not in deployment["entrypoint"], "a module path: works after pip install, from any folder"
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name == name and set(deployment["parameters"]) <= set(inspect.signature(flow.fn).parameters)
        assert deployment["parameters"]["config_path"] == "{{ $PAPERCAST_CONFIG }}"


def test_the_fetch_deployment_runs_daily_when_a_feed_needs_it_and_follows_the_config(tmp_path):
    from papercast.flows.deploy import fetch_deployment

    feed = '[[sources]]\nname = "cl"\nkind = "feed"\nurl = "https://feeds.example/cl"\n'
    assert fetch_deployment(schedule_config(tmp_path, "0 7 * * MON")) is None, "no feed: no fetch schedule"
    with_feed = load_settings(write_config(tmp_path, extra='[schedule]\ntimezone = "Europe/Berlin"\n' + feed))
    [schedule] = fetch_deployment(with_feed).schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (FETCH_DEFAULT, "Europe/Berlin")
    hourly = load_settings(write_config(tmp_path, extra='[schedule]\nfetch = "0 * * * *"\n'))
    assert fetch_deployment(hourly).schedules[0].schedule.cron == "0 * * * *"
    off = load_settings(write_config(tmp_path, extra='[schedule]\nfetch = "off"\n' + feed))
    assert fetch_deployment(off) is None


def test_scheduled_runs_send_with_the_flag_or_the_config():
    from papercast.flows.deploy import weekly_deployment

    settings = load_settings(PROJECT / "config" / "papercast.toml")
    assert weekly_deployment(settings).parameters["send"] is False
    assert weekly_deployment(settings, send=True).parameters["send"] is True
    sending = settings.model_copy(update={"schedule": settings.schedule.model_copy(update={"send": True})})
    assert weekly_deployment(sending).parameters["send"] is True


def test_prefect_deploy_registers_both_deployments_from_prefect_yaml(tmp_path, prefect_server):
    """What an operator with a work pool types: the module entrypoints and PAPERCAST_CONFIG reach the server."""
    config = write_config(tmp_path)
    env = {**prefect_server, "PAPERCAST_CONFIG": str(config), "PREFECT_CLI_PROMPT": "false"}
    prefect = [sys.executable, "-m", "prefect"]
    for command in (["work-pool", "create", "papercast", "--type", "process"], ["deploy", "--all"]):
        done = subprocess.run(prefect + command, env=env, cwd=PROJECT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    code = ("import asyncio, json\nfrom prefect.client.orchestration import get_client\n"
            "async def main():\n    async with get_client() as c:\n"
            "        return [[d.name, d.entrypoint, d.parameters] for d in await c.read_deployments()]\n"
            "print(json.dumps(asyncio.run(main())))")
    listed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert sorted(map(tuple, json.loads(listed.stdout))) == [
        ("daily", "papercast.flows.fetch.fetch_papers", {"config_path": str(config)}),
        ("weekly", "papercast.flows.newsletter.weekly_newsletter", {"config_path": str(config)})]
