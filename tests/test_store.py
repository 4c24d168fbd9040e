"""The state store: the diff, idempotent digests, transactions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from papercast.models import Assignment, Digest, Paper
from papercast.store import SCHEMA_VERSION, Store
from papercast.store.records import ChannelDelivery, IssueRecord, IssueSection

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
    assert store.database.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_only_papers_never_seen_before_are_new(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    first, new1 = store.papers.ingest_digest(digest(12, ["A", "B", "C"]), run)
    second, new2 = store.papers.ingest_digest(digest(14, ["b", "C.", "D"]), run)
    assert (first.new, [p.title for p in new1]) == (3, ["A", "B", "C"])
    assert (second.papers, second.new, [p.title for p in new2]) == (3, 1, ["D"])
    assert store.papers.paper(new1[1].id).first_seen == dt.date(2026, 3, 12)


def test_the_same_content_again_is_a_no_op(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    store.papers.ingest_digest(digest(12, ["A", "B"]), run)
    again, new = store.papers.ingest_digest(digest(12, ["A", "B"]), run)
    assert again.skipped and again.new == 0 and new == []
    assert store.database.db.execute("SELECT COUNT(*) FROM digests").fetchone()[0] == 1


def test_first_seen_never_moves_later_and_an_older_sighting_moves_it_earlier(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    _, [paper] = store.papers.ingest_digest(digest(14, ["A"]), run)
    store.papers.ingest_digest(digest(20, ["A"]), run)
    assert store.papers.paper(paper.id).first_seen == dt.date(2026, 3, 14)
    store.papers.ingest_digest(digest(12, ["A"]), run)
    assert store.papers.paper(paper.id).first_seen == dt.date(2026, 3, 12)


def test_a_failing_digest_leaves_nothing_behind(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    bad = dataclasses.replace(digest(12, ["A", "B"]), date=None)  # fails at the digest row, after the papers
    with pytest.raises((sqlite3.Error, AttributeError)):
        store.papers.ingest_digest(bad, run)
    assert store.database.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == 0
    result, new = store.papers.ingest_digest(digest(12, ["A", "B"]), run)
    assert result.new == 2 and len(new) == 2


def issue(issue_id: str, paper_ids: list[str], cursor: int | None) -> IssueRecord:
    items = tuple(Assignment(pid, "p", 0.9, "why") for pid in paper_ids)
    return IssueRecord(issue_id, "r@example.org", dt.date(2026, 3, 20), "planned",
                       (IssueSection("p", "P", items),), cursor, dt.datetime(2026, 3, 20, 7, tzinfo=dt.timezone.utc))


def test_an_issue_counts_as_delivered_only_when_settled_and_moves_the_cursor_with_it(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    _, new = store.papers.ingest_digest(digest(12, ["A", "B", "C"]), run)
    store.ledger.record_planned([issue("i1", [new[0].id], 2)], run)
    assert store.ledger.issue("i1").status == "planned" and store.ledger.delivered("r@example.org") == set()
    store.ledger.record_written([("i1", "s", [ChannelDelivery("i1", "email", "written", "<i1@x>")])], run)
    assert store.ledger.issue("i1").status == "done"  # a dry run: written is delivered
    assert store.ledger.delivered("r@example.org") == {new[0].id} and store.ledger.reader_cursor("r@example.org") == 2

    store.ledger.record_planned([issue("i2", [new[1].id], 3)], run)
    store.ledger.record_written([("i2", "s", [ChannelDelivery("i2", "email", "pending", "<i2@x>")])], run)
    assert store.ledger.issue("i2").status == "written" and new[1].id not in store.ledger.delivered("r@example.org")
    assert [i.id for i in store.ledger.pending_deliveries("email", ["r@example.org"])] == ["i2"]
    store.ledger.mark_delivered("i2", "email", run)
    assert store.ledger.issue("i2").status == "done" and store.ledger.reader_cursor("r@example.org") == 3
    assert store.ledger.pending_deliveries("email", ["r@example.org"]) == []


def test_a_permanent_failure_settles_the_issue_as_failed_and_delivers_nothing(store):
    run = store.runs.start_run(dt.date(2026, 3, 20))
    _, new = store.papers.ingest_digest(digest(12, ["A"]), run)
    store.ledger.record_planned([issue("i1", [new[0].id], 1)], run)
    store.ledger.record_written([("i1", "s", [ChannelDelivery("i1", "email", "pending", "<i1@x>")])], run)
    store.ledger.record_delivery_failure("i1", "email", "421 busy", False, run)
    assert store.ledger.issue("i1").status == "written"  # transient: still pending
    store.ledger.record_delivery_failure("i1", "email", "550 no such user", True, run)
    assert store.ledger.issue("i1").status == "failed" and store.ledger.delivered("r@example.org") == set()
    assert store.ledger.reader_cursor("r@example.org") is None
