"""A weekly run holds its whole week: an hf-daily source is asked for each day since the last one it fetched.

Against a loopback Daily Papers API serving real daily files (../shared/data/hf-daily): a Saturday run
ingests every paper of the week's five days, the next Saturday's run only the days after; a failed day is
asked again, a day without papers is fine. Core stages, no Prefect (tests/stages.py wires them as the flow).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import write_config
from dailyserver import daily_api
from papercast.jsonable import jsonable
from papercast.config import load_settings
from papercast.sources.daily import FIRST_DAYS, MAX_DAYS, day_url, days_to_ask
from papercast.store import Store
from papercast.store.records import EMPTY_DAY, FAILED_DAY, FETCHED_DAY, FetchDay
from stages import ingest_sources

SATURDAY, NEXT_SATURDAY = dt.date(2025, 11, 22), dt.date(2025, 11, 29)
WEEK = [dt.date(2025, 11, 17) + dt.timedelta(days=n) for n in range(5)]  # Monday to Friday
NEXT_WEEK = [day + dt.timedelta(days=7) for day in WEEK]


def day(n: int) -> dt.date:
    return SATURDAY + dt.timedelta(days=n)


def span(first: dt.date, last: dt.date) -> list[str]:
    return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def ids_of(folder: Path, days: list[dt.date]) -> set[str]:
    """The arXiv ids the real files of these days hold, read straight from the JSON."""
    return {item["paper"]["id"] for d in days for item in json.loads((folder / f"{d}.json").read_text())}


def stored_ids(store: Store) -> set[str]:
    return {row[0] for row in store.database.db.execute("SELECT arxiv_id FROM papers")}


def hf_settings(tmp_path, url: str, **options):
    extra = "".join(f"{key} = {json.dumps(value)}\n" for key, value in options.items())
    return load_settings(write_config(tmp_path, extra=f'[[sources]]\nname = "hf"\nkind = "hf-daily"\nurl = "{url}"\n'
                                                       f'timeout = 5\nretries = 0\n{extra}'))


@pytest.mark.parametrize("query, expected", [("", "?date=2025-11-17"), ("?limit=100", "?limit=100&date=2025-11-17"),
                                             ("?date=2024-01-01&x=1", "?x=1&date=2025-11-17")])
def test_each_day_is_asked_with_its_date_in_the_configured_url(query, expected):
    api = "https://hub.example/api/daily_papers"
    assert day_url(api + query, WEEK[0]) == api + expected


def test_which_days_are_asked():
    assert days_to_ask([], SATURDAY) == [day(n) for n in range(1 - FIRST_DAYS, 1)], "a first run: the last week"
    known = [FetchDay("hf", day(-6), FETCHED_DAY, 12), FetchDay("hf", day(-3), FAILED_DAY, message="HTTP 500"),
             FetchDay("hf", day(-1), FETCHED_DAY, 9), FetchDay("hf", day(0), EMPTY_DAY)]
    assert days_to_ask(known, day(7)) == [day(-3)] + [day(n) for n in range(0, 8)], \
        "from the last day that answered (asked again: its list grows), and the failed day"
    assert days_to_ask(known, day(0)) == [day(-3), day(0)]
    assert days_to_ask(known, day(100))[0] == day(100 - MAX_DAYS + 1), "after a long pause: the last month"


def test_a_saturday_run_holds_the_whole_week_and_the_next_only_the_days_after(tmp_path, hf_daily_captures):
    with daily_api(hf_daily_captures, latest=WEEK[-1].isoformat()) as api:
        settings = hf_settings(tmp_path, api.url)
        with Store.open(settings.paths.state) as store:
            _, first = ingest_sources(store, settings, SATURDAY)
            assert api.asked == span(SATURDAY - dt.timedelta(days=6), SATURDAY)
            week = ids_of(hf_daily_captures, WEEK)
            assert stored_ids(store) == week and first.new_papers == len(week) and first.errors == []
            assert sorted(d.date for d in first.digests) == WEEK, "each day's papers are dated that day"
            [status] = [jsonable(s) for s in first.sources]
            assert (status["status"], status["new"]) == ("fetched", len(week))
            assert [(d["date"], d["status"]) for d in status["days"]] == \
                [(d, "fetched" if dt.date.fromisoformat(d) in WEEK else "empty") for d in span(day(-6), day(0))]
            api.asked.clear()
            _, second = ingest_sources(store, settings, NEXT_SATURDAY)
            assert api.asked == span(SATURDAY, NEXT_SATURDAY), "from the last day fetched (again) to the run's date"
            later = ids_of(hf_daily_captures, NEXT_WEEK) - week
            assert second.new_papers == len(later) and stored_ids(store) == week | later
            assert sorted(d.date for d in second.digests) == NEXT_WEEK
    print(f"hf-daily: Saturday {SATURDAY} ingested {first.new_papers} papers of {len(WEEK)} days "
          f"({len(ids_of(hf_daily_captures, [WEEK[-1]]))} on the last day alone); "
          f"the next Saturday {second.new_papers} new, {len(api.asked)} days asked")


def test_a_failed_day_is_asked_again_and_a_day_without_a_list_is_fine(tmp_path, hf_daily_captures):
    with daily_api(hf_daily_captures, missing=404, failing={WEEK[2].isoformat()}) as api:
        settings = hf_settings(tmp_path, api.url)
        with Store.open(settings.paths.state) as store:
            _, first = ingest_sources(store, settings, SATURDAY)
            [status] = [jsonable(s) for s in first.sources]
            assert status["status"] == "partial" and status["reason"].startswith(f"{WEEK[2]}: HTTP 500")
            assert [(e.source, e.message[:8]) for e in first.errors] == [(f"hf:{WEEK[2]}", "HTTP 500")]
            assert {d["status"] for d in status["days"] if d["date"] in (str(day(-6)), str(day(0)))} == {"empty"}
            api.failing.clear()
            api.asked.clear()
            _, second = ingest_sources(store, settings, day(1))
            assert api.asked == [str(WEEK[2]), str(day(0)), str(day(1))]
            assert second.errors == [] and stored_ids(store) == ids_of(hf_daily_captures, WEEK)


def test_a_url_that_never_had_a_list_fails_by_name(tmp_path, hf_daily_captures):
    with daily_api(hf_daily_captures) as api:
        settings = hf_settings(tmp_path, api.url.replace("daily_papers", "daily_paper"))
        with Store.open(settings.paths.state) as store:
            _, outcome = ingest_sources(store, settings, SATURDAY)
    [status] = outcome.sources
    assert status.status == "failed" and len(outcome.errors) == FIRST_DAYS
    assert all("HTTP 404" in error.message for error in outcome.errors)
