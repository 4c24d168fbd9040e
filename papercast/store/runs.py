"""Runs: each weekly or fetch run, its date and kind; the fetch runs a weekly run's report says it covers."""

from __future__ import annotations

import datetime as dt

from papercast.store.connection import Repository, now_iso
from papercast.store.records import FETCH_RUN, WEEKLY_RUN, FetchRun


class Runs(Repository):
    """runs."""

    def start_run(self, as_of: dt.date, kind: str = WEEKLY_RUN) -> int:
        """A new run of this kind: weekly (the newsletter run) or fetch (ingest and classify only)."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (as_of, started_at, kind) VALUES (?, ?, ?)", (as_of.isoformat(), now_iso(), kind)
            )
            return int(cursor.lastrowid or 0)  # an INSERT always sets it

    def fetch_runs_before(self, run_id: int) -> list[FetchRun]:
        """The fetch runs since the weekly run before `run_id`: the ones whose papers it covers."""
        rows = self.db.execute(
            "SELECT r.id, r.as_of, r.started_at,"
            " (SELECT COUNT(*) FROM digests d WHERE d.run_id = r.id) AS digests,"
            " (SELECT COUNT(*) FROM papers p WHERE p.first_run = r.id) AS new_papers FROM runs r"
            " WHERE r.kind = ? AND r.id < ? AND r.id > (SELECT COALESCE(MAX(w.id), 0) FROM runs w"
            " WHERE w.kind <> ? AND w.id < ?) ORDER BY r.id",
            (FETCH_RUN, run_id, FETCH_RUN, run_id),
        ).fetchall()
        return [
            FetchRun(
                row["id"], dt.date.fromisoformat(row["as_of"]), row["started_at"], row["digests"], row["new_papers"]
            )
            for row in rows
        ]
