"""Opening the state: one SQLite file, WAL mode, migrated forward, its failures as one-line errors.

A locked state (another process holds a write transaction), a damaged or truncated file and
a state from a newer papercast each become a StateError naming the file; the state is never
silently replaced by a fresh one.

The state holds every reader's address, subscription and votes: it and its WAL and SHM files are
0600, and its folder 0700 when papercast made it or it holds nothing but the state's own files (a
folder shared with other files keeps its mode). Each open tightens what an older papercast left open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from papercast.errors import StateBusyError, StateError, StorageError
from papercast.files import PRIVATE_FOLDER_MODE, PRIVATE_MODE, tighten
from papercast.store import schema

DEFAULT_BUSY_SECONDS = 30.0


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Connection:
    """The sqlite3 connection, with every database error turned into a StateError naming the file."""

    def __init__(self, raw: sqlite3.Connection, path: Path, busy_seconds: float):
        self.raw, self.path, self.busy_seconds = raw, path, busy_seconds

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        with self.translated():
            return self.raw.execute(sql, parameters)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        with self.translated():
            return self.raw.executemany(sql, rows)

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "disk is full" in str(exc):
                raise StorageError(
                    "no space left on the device for the state database",
                    source=str(self.path),
                    hint="free some space and run again: the last step was rolled back",
                ) from None
            if "locked" in str(exc) or "busy" in str(exc):
                raise StateBusyError(
                    f"the state database is locked by another process (waited {self.busy_seconds:g} s)",
                    source=str(self.path),
                    hint="finish or close the program holding it "
                    "(e.g. an sqlite3 shell inside a transaction), then run again",
                ) from None
            raise damaged(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from None

    def close(self) -> None:
        self.raw.close()


def damaged(path: Path, exc: Exception) -> StateError:
    return StateError(
        f"cannot use state database: {exc}",
        source=str(path),
        hint="restore it from a backup, or move it away to start afresh",
    )


class Database:
    """The connection and its transactions; the tables' queries live in the repositories (Repository)."""

    def __init__(self, connection: Connection, path: Path):
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> Database:
        refuse_empty_file(path)
        try:
            state_folder(path)
            raw = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
            private_state_files(path)  # before any data, so the WAL and SHM files are made 0600 too
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open state database: {exc}", source=str(path)) from None
        raw.row_factory = sqlite3.Row
        store = cls(Connection(raw, path, busy_seconds), path)
        try:
            store.db.execute("PRAGMA journal_mode=WAL")
            private_state_files(path)
            store._migrate()
            store.db.execute("PRAGMA foreign_keys=ON")
        except BaseException:
            raw.close()
            raise
        return store

    def wait_at_most(self, seconds: float) -> None:
        """From now on, wait at most `seconds` for another process's write lock (then StateBusyError)."""
        self.db.busy_seconds = seconds
        self.db.execute(f"PRAGMA busy_timeout = {max(1, int(seconds * 1000))}")

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.raw.rollback()
            raise
        self.db.execute("COMMIT")

    def check(self) -> None:
        """Read every page once (PRAGMA quick_check) and take the write lock once: a damaged file,
        or a lock another process holds longer than busy_seconds, is an error now, not mid-run."""
        problems = [row[0] for row in self.db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise damaged(self.path, Exception("; ".join(problems)))
        with self.transaction():
            pass

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise StateError(
                f"state schema {version} is newer than this papercast ({schema.SCHEMA_VERSION})",
                source=str(self.path),
                hint="upgrade papercast",
            )
        if version == schema.SCHEMA_VERSION:
            return
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another opener may have migrated meanwhile
            if version == schema.SCHEMA_VERSION:
                return
            for statement in migration_statements(version):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


def migration_statements(version: int) -> list[str]:
    """A new state gets the current schema; an older one the steps after its version."""
    script = (
        schema.SCHEMA
        if version == 0
        else "".join(schema.MIGRATIONS[step] for step in sorted(schema.MIGRATIONS) if step > version)
    )
    return [statement for statement in script.split(";") if statement.strip()]


STATE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")  # the state's own files (.lock: papercast/lock.py)


def state_folder(path: Path) -> None:
    """The state's folder: made 0700; an existing one tightened when it holds only the state's files."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    elif folder.stat().st_mode & 0o077 and all(
        entry.name in {path.name + s for s in STATE_SUFFIXES} for entry in os.scandir(folder)
    ):
        tighten(folder, PRIVATE_FOLDER_MODE)


def private_state_files(path: Path) -> None:
    for suffix in STATE_SUFFIXES[:3]:
        with contextlib.suppress(FileNotFoundError):
            tighten(path.with_name(path.name + suffix), PRIVATE_MODE)


def refuse_empty_file(path: Path) -> None:
    """SQLite takes an empty file for a new database: a truncated state would start afresh unnoticed."""
    if path.is_file() and path.stat().st_size == 0 and not path.with_name(path.name + "-wal").exists():
        raise StateError(
            "state file is empty: it was truncated or is not a papercast state",
            source=str(path),
            hint="restore it from a backup, or delete it to start afresh",
        )


class Repository:
    """A few tables of the state and the queries on them; all repositories of a Store share its Database
    (one connection: a transaction of one repository is every repository's)."""

    def __init__(self, database: Database):
        self.database = database

    @property
    def db(self) -> Connection:
        return self.database.db

    @property
    def path(self) -> Path:
        return self.database.path

    def transaction(self) -> contextlib.AbstractContextManager[Connection]:
        return self.database.transaction()
