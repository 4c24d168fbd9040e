"""The fetching side of the state: each source's last fetch, and the days asked of hf-daily sources.

A feed's validators (ETag, Last-Modified) make an unchanged feed cost a 304; an hf-daily source's
days say where the next run starts asking (`papercast/sources/daily.py`).
"""

from __future__ import annotations

import datetime as dt

from papercast.store.connection import Repository, now_iso
from papercast.store.records import FetchDay, FetchState


class Fetches(Repository):
    """fetch_state and fetch_days."""

    # -- fetch state: conditional GET per source ---------------------------

    def fetch_state(self, source: str) -> FetchState | None:
        row = self.db.execute("SELECT * FROM fetch_state WHERE source = ?", (source,)).fetchone()
        return FetchState(**dict(row)) if row is not None else None

    def record_fetch(
        self,
        source: str,
        url: str,
        status: str,
        message: str = "",
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """How a fetch went. `validators` (etag, last_modified) replace the stored ones;
        None keeps them, unless the url changed (they belonged to the old url)."""
        keep = validators is None
        etag, last_modified = validators or (None, None)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO fetch_state VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET"
                " etag = CASE WHEN ? AND url = excluded.url THEN etag ELSE excluded.etag END,"
                " last_modified = CASE WHEN ? AND url = excluded.url THEN last_modified"
                " ELSE excluded.last_modified END, url = excluded.url, status = excluded.status,"
                " message = excluded.message, checked_at = excluded.checked_at",
                (source, url, etag, last_modified, status, message, now_iso(), keep, keep),
            )

    # -- the days asked of hf-daily sources -------------------------------

    def fetch_days(self, source: str) -> list[FetchDay]:
        """Every day asked of the source, oldest first, as its last answer left it."""
        rows = self.db.execute("SELECT * FROM fetch_days WHERE source = ? ORDER BY day", (source,))
        return [
            FetchDay(row["source"], dt.date.fromisoformat(row["day"]), row["status"], row["entries"], row["message"])
            for row in rows
        ]

    def record_fetch_days(self, days: list[FetchDay], run_id: int | None) -> None:
        """How each day asked went, in one transaction (a day asked again takes its latest answer)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO fetch_days VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source, day) DO UPDATE SET"
                " status = excluded.status, entries = excluded.entries, message = excluded.message,"
                " run_id = excluded.run_id, checked_at = excluded.checked_at",
                [(d.source, d.day.isoformat(), d.status, d.entries, d.message, run_id, now_iso()) for d in days],
            )
