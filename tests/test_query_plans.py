"""The queries every run makes on tables that grow each week read through an index, never a full scan."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from papercast.store import Store

DAY = dt.date(2026, 11, 23)
CALLS = {
    "run_delivery_rows": lambda s: s.ledger.run_delivery_rows(1, "email"),
    "pending_deliveries": lambda s: s.ledger.pending_deliveries("email", ["r@example.org"]),
    "delivered_among": lambda s: s.ledger.delivered_among(["p1", "p2"]),
    "first_seq_since": lambda s: s.papers.first_seq_since(DAY),
    "seq_before_seen_since": lambda s: s.papers.seq_before_seen_since(DAY),
    "papers_seen_between": lambda s: s.papers.papers_seen_between(DAY - dt.timedelta(7), DAY),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_growing_table_is_searched_not_scanned(tmp_path, name):
    path = tmp_path / "state.sqlite"
    with Store.open(path) as store:
        statements: list[str] = []
        store.ledger.db.raw.set_trace_callback(statements.append)
        CALLS[name](store)
        store.ledger.db.raw.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    db = sqlite3.connect(path)
    plans = [row[3] for sql in reads for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
    db.close()
    assert reads and plans
    assert not [step for step in plans if step.startswith("SCAN")], plans
