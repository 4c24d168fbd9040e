"""The state store: the diff, idempotent digests, transactions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from papercast.models import Digest, Paper
from papercast.store import SCHEMA_VERSION, Store

ABSTRACT = "An abstract long enough to be one."


def digest(day: int, titles: list[str], content_hash: str | None = None) -> Digest:
    papers = tuple(Paper(title=t, abstract=ABSTRACT) for t in titles)
    return Digest(source=f"d{day}.txt", date=dt.date(2026, 3, day), papers=papers,
                  content_hash=content_hash or f"hash-{day}")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "state" / "papercast.sqlite") as opened:
        yield opened


def test_new_store_carries_the_schema_version(store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_only_papers_never_seen_before_are_new(store):
    run = store.start_run(dt.date(2026, 3, 20))
    first, new1 = store.ingest_digest(digest(12, ["A", "B", "C"]), run)
    second, new2 = store.ingest_digest(digest(14, ["b", "C.", "D"]), run)
    assert (first.new, [p.title for p in new1]) == (3, ["A", "B", "C"])
    assert (second.papers, second.new, [p.title for p in new2]) == (3, 1, ["D"])
    assert store.paper(new1[1].id).first_seen == dt.date(2026, 3, 12)


def test_the_same_content_again_is_a_no_op(store):
    run = store.start_run(dt.date(2026, 3, 20))
    store.ingest_digest(digest(12, ["A", "B"]), run)
    again, new = store.ingest_digest(digest(12, ["A", "B"]), run)
    assert again.skipped and again.new == 0 and new == []
    assert store.db.execute("SELECT COUNT(*) FROM digests").fetchone()[0] == 1


def test_first_seen_never_moves_later_and_an_older_sighting_moves_it_earlier(store):
    run = store.start_run(dt.date(2026, 3, 20))
    _, [paper] = store.ingest_digest(digest(14, ["A"]), run)
    store.ingest_digest(digest(20, ["A"]), run)
    assert store.paper(paper.id).first_seen == dt.date(2026, 3, 14)
    store.ingest_digest(digest(12, ["A"]), run)
    assert store.paper(paper.id).first_seen == dt.date(2026, 3, 12)


def test_a_failing_digest_leaves_nothing_behind(store):
    run = store.start_run(dt.date(2026, 3, 20))
    bad = dataclasses.replace(digest(12, ["A", "B"]), date=None)  # fails at the digest row, after the papers
    with pytest.raises((sqlite3.Error, AttributeError)):
        store.ingest_digest(bad, run)
    assert store.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == 0
    result, new = store.ingest_digest(digest(12, ["A", "B"]), run)
    assert result.new == 2 and len(new) == 2


def test_record_issue_marks_deliveries_and_moves_the_cursor_together(store):
    run = store.start_run(dt.date(2026, 3, 20))
    _, new = store.ingest_digest(digest(12, ["A", "B"]), run)
    issue = {"id": "i1", "reader": "r@example.org", "run_id": run, "date": "2026-03-20", "status": "written",
             "message_id": "<i1@example.org>", "subject": "s", "html_path": None, "text_path": None,
             "eml_path": None}
    store.record_issue(issue, [new[0].id], cursor=2)
    assert store.delivered("r@example.org") == {new[0].id}
    assert store.reader_cursor("r@example.org") == 2
    with pytest.raises(sqlite3.IntegrityError):
        store.record_issue(issue, [new[1].id], cursor=5)
    assert store.delivered("r@example.org") == {new[0].id} and store.reader_cursor("r@example.org") == 2
