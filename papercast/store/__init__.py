"""The state store: the one place that reads and writes papercast's SQLite state.

`Store.open(path)` (or `Store.of(settings)`) opens the state; its tables are grouped by responsibility into
repositories, each a few tables and the queries on them, and a stage is handed the ones it works with:

    runs            runs                             papers          digests, papers
    classification  profile_progress, assignments    vectors         paper_vectors
    ledger          issues, channel_deliveries, deliveries, reader_cursors
    subscriptions   reader_subscriptions             votes           reader_votes
    fetches         fetch_state, fetch_days

schema.py holds the schema and every migration; connection.py opens, migrates and runs transactions
(all repositories share one connection); records.py holds the typed records they hand out.
"""

from __future__ import annotations

from pathlib import Path

from papercast.settings import Settings
from papercast.store.classification import Classification
from papercast.store.connection import DEFAULT_BUSY_SECONDS, Database
from papercast.store.fetches import Fetches
from papercast.store.ledger import Ledger
from papercast.store.papers import Papers
from papercast.store.readers import Subscriptions
from papercast.store.runs import Runs
from papercast.store.schema import MIGRATIONS, SCHEMA_VERSION
from papercast.store.vectors import Vectors
from papercast.store.votes import Votes

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]


class Store:
    """The state, opened: a repository per responsibility. Use as a context manager to close it."""

    def __init__(self, database: Database):
        self.database = database
        self.runs = Runs(database)
        self.papers = Papers(database)
        self.classification = Classification(database)
        self.vectors = Vectors(database)
        self.ledger = Ledger(database)
        self.subscriptions = Subscriptions(database)
        self.votes = Votes(database)
        self.fetches = Fetches(database)

    @classmethod
    def open(cls, path: Path, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> Store:
        """The state at `path`, created or migrated forward; waits up to `busy_seconds` for a lock."""
        return cls(Database.open(path, busy_seconds))

    @classmethod
    def of(cls, settings: Settings) -> Store:
        """The state named in the settings' [paths] state, waiting [limits] state_busy_seconds for a lock."""
        return cls.open(settings.paths.state, settings.limits.state_busy_seconds)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.database.close()

    def check(self) -> None:
        """Read the whole state once and take the write lock once (see Database.check)."""
        self.database.check()
