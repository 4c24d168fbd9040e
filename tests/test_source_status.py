"""Per-source report entries and what the store remembers after each kind of fetch."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.jsonable import jsonable
from papercast.settings import Source
from papercast.errors import SourceError
from papercast.sources.fetch import FetchOutcome, Validators, failed_fetch
from papercast.models import DigestResult, Problem
from papercast.sources.status import (fetch_problems, fetched_inputs, known_validators, record_fetches,
                                     source_statuses)
from papercast.store import Store

URL = "https://feeds.example/rss/cs.CL"
SOURCE = Source(name="cl", kind="feed", url=URL)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as opened:
        yield opened


def fetched(name: str = "cl", etag: str = '"new"') -> FetchOutcome:
    return FetchOutcome(name, "feed", URL, "fetched", data=b"<rss/>", validators=Validators(etag, None),
                        http_status=200)


def test_report_entries_per_status():
    outcomes = [fetched("cl"), fetched("bad"), FetchOutcome("hf", "hf-daily", URL, "not-modified"),
                failed_fetch(Source(name="lab", kind="feed", url=URL), SourceError("HTTP 500 Server Error"))]
    digests = [DigestResult("cl", dt.date(2026, 11, 20), 3, 2), DigestResult("inbox/a.txt", dt.date(2026, 11, 20), 9, 9)]
    entries = source_statuses(outcomes, [Problem("bad", "malformed feed: junk")], digests)
    assert [(e["name"], e["status"], e["entries"], e["new"], e.get("reason")) for e in
            (jsonable(entry) for entry in entries)] == [
        ("cl", "fetched", 3, 2, None), ("bad", "failed", 0, 0, "malformed feed: junk"),
        ("hf", "not-modified", 0, 0, None), ("lab", "failed", 0, 0, "HTTP 500 Server Error")]
    assert [jsonable(p) for p in fetch_problems(outcomes)] == [{"source": "lab", "message": "HTTP 500 Server Error"}]
    assert [f.source for f in fetched_inputs(outcomes)] == ["cl", "bad"]


def test_validators_are_remembered_only_for_an_ingested_body(store):
    store.fetches.record_fetch("cl", URL, "fetched", validators=('"old"', None))
    store.fetches.record_fetch("bad", URL, "fetched", validators=('"old"', None))
    record_fetches(store.fetches, [fetched("cl"), fetched("bad")], [Problem("bad", "malformed feed: junk")])
    assert known_validators(store.fetches, "cl", URL) == Validators('"new"', None)
    assert known_validators(store.fetches, "bad", URL) == Validators('"old"', None)
    assert (store.fetches.fetch_state("bad").status, store.fetches.fetch_state("bad").message) == ("failed", "malformed feed: junk")


def test_a_failed_fetch_keeps_the_validators_and_a_changed_url_drops_them(store):
    store.fetches.record_fetch("cl", URL, "fetched", validators=('"v1"', None))
    record_fetches(store.fetches, [failed_fetch(SOURCE, TimeoutError("slow"))], [])
    assert store.fetches.fetch_state("cl").message == "TimeoutError: slow"
    assert known_validators(store.fetches, "cl", URL) == Validators('"v1"', None)
    assert known_validators(store.fetches, "cl", "https://elsewhere.example/rss") == Validators()


def test_days_of_an_hf_daily_source_settle_into_one_entry_with_each_day():
    from papercast.sources.daily import FetchRequest
    from papercast.sources.status import settle_fetches

    source = Source(name="hf", kind="hf-daily", url="https://hub.example/api/daily_papers")
    days = [dt.date(2025, 11, 17) + dt.timedelta(days=n) for n in range(5)]
    requests = [FetchRequest(source, day) for day in days]
    outcomes = [FetchOutcome("hf", "hf-daily", source.url, "fetched", data=b"[...]", day=days[0]),
                FetchOutcome("hf", "hf-daily", source.url, "fetched", data=b"[]", day=days[1]),
                FetchOutcome("hf", "hf-daily", source.url, "failed", reason="HTTP 404 Not Found", http_status=404,
                             day=days[2]),
                FetchOutcome("hf", "hf-daily", source.url, "failed", reason="HTTP 503 Unavailable", http_status=503,
                             day=days[3]),
                FetchOutcome("hf", "hf-daily", source.url, "fetched", data=b"{", day=days[4])]
    digests = [DigestResult("hf:2025-11-17", days[0], 12, 10)]
    parse_errors = [Problem("hf:2025-11-21", "not valid JSON")]
    [status], errors, settled = settle_fetches(requests, outcomes, parse_errors, ["hf:2025-11-18"], digests)
    assert [(d.day.day, d.status, d.entries) for d in settled] == [
        (17, "fetched", 12), (18, "empty", 0), (19, "empty", 0), (20, "failed", 0), (21, "failed", 0)]
    entry = jsonable(status)
    assert (entry["status"], entry["entries"], entry["new"]) == ("partial", 12, 10)
    assert entry["reason"] == "2025-11-20: HTTP 503 Unavailable; 2025-11-21: not valid JSON (asked again by the next run)"
    assert [jsonable(e) for e in errors] == [{"source": "hf:2025-11-20", "message": "HTTP 503 Unavailable"}]
    never = [FetchOutcome("hf", "hf-daily", source.url, "failed", reason="HTTP 404", http_status=404, day=d)
             for d in days]
    [status], errors, _ = settle_fetches(requests, never, [], [], [])
    assert status.status == "failed" and len(errors) == 5, "no list ever: a wrong url, not five empty days"
