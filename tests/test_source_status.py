"""Per-source report entries and what the store remembers after each kind of fetch."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.config import Source
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
            (entry.as_dict() for entry in entries)] == [
        ("cl", "fetched", 3, 2, None), ("bad", "failed", 0, 0, "malformed feed: junk"),
        ("hf", "not-modified", 0, 0, None), ("lab", "failed", 0, 0, "HTTP 500 Server Error")]
    assert [p.as_dict() for p in fetch_problems(outcomes)] == [{"source": "lab", "message": "HTTP 500 Server Error"}]
    assert [f.source for f in fetched_inputs(outcomes)] == ["cl", "bad"]


def test_validators_are_remembered_only_for_an_ingested_body(store):
    store.record_fetch("cl", URL, "fetched", validators=('"old"', None))
    store.record_fetch("bad", URL, "fetched", validators=('"old"', None))
    record_fetches(store, [fetched("cl"), fetched("bad")], [Problem("bad", "malformed feed: junk")])
    assert known_validators(store, "cl", URL) == Validators('"new"', None)
    assert known_validators(store, "bad", URL) == Validators('"old"', None)
    assert (store.fetch_state("bad").status, store.fetch_state("bad").message) == ("failed", "malformed feed: junk")


def test_a_failed_fetch_keeps_the_validators_and_a_changed_url_drops_them(store):
    store.record_fetch("cl", URL, "fetched", validators=('"v1"', None))
    record_fetches(store, [failed_fetch(SOURCE, TimeoutError("slow"))], [])
    assert store.fetch_state("cl").message == "TimeoutError: slow"
    assert known_validators(store, "cl", URL) == Validators('"v1"', None)
    assert known_validators(store, "cl", "https://elsewhere.example/rss") == Validators()
