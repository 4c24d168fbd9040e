"""The state store: the one place that reads and writes papercast's SQLite state.

`Store.open(path)` gives the whole store; its tables are described in `schema.py`, the
records it hands out in `records.py`. Every write runs in one transaction.
"""

from __future__ import annotations

from papercast.store.connection import Database
from papercast.store.fetches import FetchTables
from papercast.store.ledger import LedgerTables
from papercast.store.papers import PaperTables
from papercast.store.readers import ReaderTables
from papercast.store.schema import MIGRATIONS, SCHEMA_VERSION
from papercast.store.votes import VoteTables

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]


class Store(PaperTables, FetchTables, LedgerTables, ReaderTables, VoteTables, Database):
    """Open with `Store.open(path)` or `Store.of(settings)`; use as a context manager to close it."""

    @classmethod
    def of(cls, settings) -> "Store":
        """The state named in the settings' [paths] state, waiting [limits] state_busy_seconds for a lock."""
        return cls.open(settings.paths.state, settings.limits.state_busy_seconds)
