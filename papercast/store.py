"""The state store: the one module that reads and writes the SQLite file.

Every step that writes runs in one transaction (BEGIN IMMEDIATE ... COMMIT),
so a crash leaves either all of a step or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Iterator

from papercast.errors import StateError
from papercast.models import Assignment, Digest, DigestResult, Paper, StoredPaper

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digests (
    content_hash TEXT PRIMARY KEY, source TEXT NOT NULL, date TEXT NOT NULL,
    format TEXT NOT NULL, papers INTEGER NOT NULL, new INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id), ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    title_key TEXT NOT NULL UNIQUE, arxiv_id TEXT UNIQUE, title TEXT NOT NULL,
    abstract TEXT NOT NULL, authors TEXT NOT NULL DEFAULT '[]', link TEXT,
    categories TEXT NOT NULL DEFAULT '[]', first_seen TEXT NOT NULL,
    first_source TEXT NOT NULL, first_run INTEGER REFERENCES runs(id));
CREATE TABLE IF NOT EXISTS assignments (
    paper_id TEXT NOT NULL REFERENCES papers(id), profile_id TEXT NOT NULL,
    score REAL NOT NULL, why TEXT NOT NULL, PRIMARY KEY (paper_id, profile_id));
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY, reader TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
    date TEXT NOT NULL, status TEXT NOT NULL, message_id TEXT NOT NULL,
    subject TEXT NOT NULL, html_path TEXT, text_path TEXT, eml_path TEXT,
    created_at TEXT NOT NULL, sent_at TEXT);
CREATE TABLE IF NOT EXISTS deliveries (
    reader TEXT NOT NULL, paper_id TEXT NOT NULL REFERENCES papers(id),
    issue_id TEXT NOT NULL REFERENCES issues(id), PRIMARY KEY (reader, paper_id));
CREATE TABLE IF NOT EXISTS reader_cursors (
    reader TEXT PRIMARY KEY, paper_seq INTEGER NOT NULL);
"""
# Forward migrations, applied in order on open: version -> SQL statements.
# Numbers are reserved per feature so parallel work does not collide:
# 2 sources (fetch state), 3 delivery (ledger), 4 relevance (vector cache).
# 3, the delivery ledger: an issue is 'written' (dry run), 'rendered' (waiting to be sent),
# 'sent' (the server accepted it) or 'failed' (permanently rejected); it keeps its papers and
# the reader's cursor so deliveries and the cursor are recorded only when it is sent.
LEDGER_V3 = """
ALTER TABLE issues ADD COLUMN papers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE issues ADD COLUMN cursor INTEGER;
ALTER TABLE issues ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN last_error TEXT;
CREATE INDEX IF NOT EXISTS issues_reader_status ON issues (reader, status);
"""
# 4, the relevance vector cache: each paper's embedding per model, keyed by a hash of the
# text it was computed from, so a paper is embedded once (and again only if its text changes).
VECTORS_V4 = """
CREATE TABLE IF NOT EXISTS paper_vectors (
    paper_id TEXT NOT NULL, model TEXT NOT NULL, text_hash TEXT NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (paper_id, model));
"""
# 2, sources: per fetched source, the validators (ETag, Last-Modified) of the copy last
# ingested, so an unchanged feed costs one conditional request, and how its last fetch went.
FETCH_STATE_V2 = """
CREATE TABLE IF NOT EXISTS fetch_state (
    source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, last_modified TEXT,
    status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', checked_at TEXT NOT NULL);
"""
MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: FETCH_STATE_V2, 3: LEDGER_V3, 4: VECTORS_V4}
SCHEMA_VERSION = max(MIGRATIONS)
PAPER_COLUMNS = "id, title, abstract, first_seen, first_source, arxiv_id, authors, link, categories"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """Open with `Store.open(path)`; use as a context manager to close it."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> "Store":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            store = cls(connection, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StateError(f"cannot open state database: {exc}", source=str(path)) from None
        return store

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(f"state schema {version} is newer than this papercast ({SCHEMA_VERSION})",
                             source=str(self.path), hint="upgrade papercast")
        pending = sorted(v for v in MIGRATIONS if v > version)
        if pending:
            with self.transaction() as db:
                for step in pending:
                    for statement in MIGRATIONS[step].split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- runs -------------------------------------------------------------

    def start_run(self, as_of: dt.date) -> int:
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO runs (as_of, started_at) VALUES (?, ?)",
                                (as_of.isoformat(), now_iso()))
            return int(cursor.lastrowid)

    # -- ingest: the diff against everything seen before -------------------

    def has_digest(self, content_hash: str) -> bool:
        row = self.db.execute("SELECT 1 FROM digests WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def ingest_digest(self, digest: Digest, run_id: int) -> tuple[DigestResult, list[StoredPaper]]:
        """Record a digest and its papers in one transaction; return the papers never seen before."""
        with self.transaction() as db:
            if self.has_digest(digest.content_hash):
                return DigestResult(digest.source, digest.date, len(digest.papers), 0, skipped=True), []
            new = [self._add_paper(paper, digest, run_id) for paper in digest.papers]
            new = [paper for paper in new if paper is not None]
            db.execute("INSERT INTO digests VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (digest.content_hash, digest.source, digest.date.isoformat(), digest.format,
                        len(digest.papers), len(new), run_id, now_iso()))
        return DigestResult(digest.source, digest.date, len(digest.papers), len(new)), new

    def _add_paper(self, paper: Paper, digest: Digest, run_id: int) -> StoredPaper | None:
        existing = self._find_paper(paper)
        if existing is not None:
            self._merge_paper(existing, paper, digest)
            return None
        self.db.execute(
            "INSERT INTO papers (id, title_key, arxiv_id, title, abstract, authors, link, categories,"
            " first_seen, first_source, first_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (paper.id, self._free_title_key(paper), paper.arxiv_id, paper.title, paper.abstract,
             json.dumps(list(paper.authors)), paper.link, json.dumps(list(paper.categories)),
             digest.date.isoformat(), digest.source, run_id))
        return self.paper(paper.id)

    def _find_paper(self, paper: Paper) -> sqlite3.Row | None:
        """The same paper: by arXiv id when both have one, else by normalized title.

        A stored paper with the same title but another arXiv id is another paper.
        """
        if paper.arxiv_id:
            row = self.db.execute("SELECT * FROM papers WHERE arxiv_id = ?", (paper.arxiv_id,)).fetchone()
            if row is not None:
                return row
        row = self.db.execute("SELECT * FROM papers WHERE title_key = ?", (paper.title_key,)).fetchone()
        if row is not None and paper.arxiv_id and row["arxiv_id"] not in (None, paper.arxiv_id):
            return None
        return row

    def _free_title_key(self, paper: Paper) -> str:
        """The title key, suffixed with the arXiv id when another paper already has this title."""
        taken = self.db.execute("SELECT 1 FROM papers WHERE title_key = ?", (paper.title_key,)).fetchone()
        return f"{paper.title_key} #{paper.arxiv_id}" if taken and paper.arxiv_id else paper.title_key

    def _merge_paper(self, row: sqlite3.Row, paper: Paper, digest: Digest) -> None:
        """Fill in what a later source knows (id, abstract, authors, link, categories).

        first_seen never moves later; an earlier sighting moves it (and first_source) earlier.
        """
        self.db.execute(
            "UPDATE papers SET arxiv_id = COALESCE(arxiv_id, ?),"
            " abstract = CASE WHEN abstract = '' THEN ? ELSE abstract END,"
            " authors = CASE WHEN authors = '[]' THEN ? ELSE authors END,"
            " categories = CASE WHEN categories = '[]' THEN ? ELSE categories END,"
            " first_source = CASE WHEN ? < first_seen THEN ? ELSE first_source END,"
            " link = COALESCE(link, ?), first_seen = MIN(first_seen, ?) WHERE seq = ?",
            (paper.arxiv_id if not self._arxiv_taken(paper.arxiv_id) else None, paper.abstract,
             json.dumps(list(paper.authors)), json.dumps(list(paper.categories)), digest.date.isoformat(),
             digest.source, paper.link, digest.date.isoformat(), row["seq"]))

    def _arxiv_taken(self, arxiv_id: str | None) -> bool:
        if not arxiv_id:
            return True
        return self.db.execute("SELECT 1 FROM papers WHERE arxiv_id = ?", (arxiv_id,)).fetchone() is not None

    # -- fetch state: conditional GET per source ---------------------------

    def fetch_state(self, source: str) -> sqlite3.Row | None:
        """source, url, etag, last_modified, status, message, checked_at of the source's last fetch."""
        return self.db.execute("SELECT * FROM fetch_state WHERE source = ?", (source,)).fetchone()

    def record_fetch(self, source: str, url: str, status: str, message: str = "",
                     validators: tuple[str | None, str | None] | None = None) -> None:
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
                (source, url, etag, last_modified, status, message, now_iso(), keep, keep))

    # -- papers and assignments ------------------------------------------

    def paper(self, paper_id: str) -> StoredPaper:
        row = self.db.execute(f"SELECT {PAPER_COLUMNS} FROM papers WHERE id = ?", (paper_id,)).fetchone()
        if row is None:
            raise StateError(f"unknown paper {paper_id}", source=str(self.path))
        return stored_paper(row)

    def save_assignments(self, assignments: list[Assignment]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO assignments VALUES (?, ?, ?, ?)",
                           [(a.paper_id, a.profile_id, a.score, a.why) for a in assignments])

    def max_paper_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM papers").fetchone()[0])

    def assigned_since(self, profile_ids: list[str], after_seq: int, up_to_seq: int
                       ) -> list[tuple[StoredPaper, Assignment]]:
        """Assignments to these profiles of papers first stored in (after_seq, up_to_seq]."""
        marks = ",".join("?" * len(profile_ids))
        rows = self.db.execute(
            f"SELECT p.id, p.title, p.abstract, p.first_seen, p.first_source, p.arxiv_id, p.authors,"
            f" p.link, p.categories, a.profile_id, a.score, a.why FROM assignments a"
            f" JOIN papers p ON p.id = a.paper_id WHERE a.profile_id IN ({marks})"
            f" AND p.seq > ? AND p.seq <= ? ORDER BY a.score DESC, p.seq, a.profile_id",
            (*profile_ids, after_seq, up_to_seq)).fetchall()
        return [(stored_paper(r), Assignment(r["id"], r["profile_id"], r["score"], r["why"])) for r in rows]

    def editions(self) -> list[tuple[str, dt.date, StoredPaper, Assignment]]:
        """Every (profile, run date, paper, assignment), newest first: the public archive."""
        rows = self.db.execute(
            f"SELECT p.id, p.title, p.abstract, p.first_seen, p.first_source, p.arxiv_id, p.authors,"
            f" p.link, p.categories, a.profile_id, a.score, a.why, r.as_of FROM assignments a"
            f" JOIN papers p ON p.id = a.paper_id JOIN runs r ON r.id = p.first_run"
            f" ORDER BY r.as_of DESC, a.profile_id, a.score DESC, p.seq").fetchall()
        return [(r["profile_id"], dt.date.fromisoformat(r["as_of"]), stored_paper(r),
                 Assignment(r["id"], r["profile_id"], r["score"], r["why"])) for r in rows]

    # -- readers: cursors, issues, deliveries -----------------------------

    def reader_cursor(self, reader: str) -> int:
        row = self.db.execute("SELECT paper_seq FROM reader_cursors WHERE reader = ?", (reader,)).fetchone()
        return int(row[0]) if row else 0

    def delivered(self, reader: str) -> set[str]:
        rows = self.db.execute("SELECT paper_id FROM deliveries WHERE reader = ?", (reader,))
        return {row[0] for row in rows}

    def record_issue(self, issue: dict, paper_ids: list[str], cursor: int) -> None:
        """The newsletter was written: record the issue, its deliveries and the reader's cursor at once."""
        self.record_issues([(issue, paper_ids, cursor)])

    def record_issues(self, issues: list[tuple[dict, list[str], int]]) -> None:
        """Written newsletters as (issue, paper ids, cursor): all recorded in one transaction, or none."""
        created_at = now_iso()
        with self.transaction() as db:
            for issue, paper_ids, cursor in issues:
                db.execute(
                    "INSERT INTO issues (id, reader, run_id, date, status, message_id, subject, html_path,"
                    " text_path, eml_path, created_at) VALUES (:id, :reader, :run_id, :date, :status,"
                    " :message_id, :subject, :html_path, :text_path, :eml_path, :created_at)",
                    {**issue, "created_at": created_at})
                db.executemany("INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?)",
                               [(issue["reader"], paper_id, issue["id"]) for paper_id in paper_ids])
                self._advance_cursor(issue["reader"], cursor)

    def advance_cursor(self, reader: str, cursor: int) -> None:
        with self.transaction():
            self._advance_cursor(reader, cursor)

    def _advance_cursor(self, reader: str, cursor: int) -> None:
        self.db.execute(
            "INSERT INTO reader_cursors VALUES (?, ?) ON CONFLICT(reader)"
            " DO UPDATE SET paper_seq = MAX(paper_seq, excluded.paper_seq)", (reader, cursor))

    # -- the delivery ledger: rendered -> sent only once the server accepted it ----

    def record_pending_issue(self, issue: dict, paper_ids: list[str], cursor: int) -> None:
        """Rendered for sending: deliveries and the cursor wait for `mark_sent`.

        The same issue id again (a rerun on the same date with the same papers) queues a
        failed issue once more and leaves a rendered or sent one as it is.
        """
        self.record_pending_issues([(issue, paper_ids, cursor)])

    def record_pending_issues(self, issues: list[tuple[dict, list[str], int]]) -> None:
        """`record_pending_issue` for many (issue, paper ids, cursor), in one transaction."""
        created_at = now_iso()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO issues (id, reader, run_id, date, status, message_id, subject, html_path,"
                " text_path, eml_path, created_at, papers, cursor) VALUES (:id, :reader, :run_id, :date,"
                " 'rendered', :message_id, :subject, :html_path, :text_path, :eml_path, :created_at,"
                " :papers, :cursor) ON CONFLICT(id) DO UPDATE SET status = 'rendered',"
                " run_id = excluded.run_id WHERE issues.status = 'failed'",
                [{**issue, "created_at": created_at, "papers": json.dumps(paper_ids), "cursor": cursor}
                 for issue, paper_ids, cursor in issues])

    def issue(self, issue_id: str) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        if row is None:
            raise StateError(f"unknown issue {issue_id}", source=str(self.path))
        return row

    def pending_issue(self, reader: str) -> sqlite3.Row | None:
        """The reader's oldest issue that was rendered for sending and not yet accepted by the server."""
        return self.db.execute(
            "SELECT * FROM issues WHERE reader = ? AND status = 'rendered' ORDER BY created_at, id LIMIT 1",
            (reader,)).fetchone()

    def mark_sent(self, issue_id: str) -> None:
        """The server accepted the message: record sent_at, the deliveries and the cursor at once."""
        with self.transaction() as db:
            row = self.issue(issue_id)
            if row["status"] == "sent":
                return
            db.execute("UPDATE issues SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
                       " last_error = NULL WHERE id = ?", (now_iso(), issue_id))
            db.executemany("INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?)",
                           [(row["reader"], paper_id, issue_id) for paper_id in json.loads(row["papers"])])
            if row["cursor"] is not None:
                self._advance_cursor(row["reader"], row["cursor"])

    def record_send_failure(self, issue_id: str, error: str, permanent: bool) -> None:
        """A failed attempt: a permanent rejection ends the issue, a transient one leaves it queued."""
        with self.transaction() as db:
            db.execute("UPDATE issues SET attempts = attempts + 1, last_error = ?,"
                       " status = CASE WHEN ? THEN 'failed' ELSE status END"
                       " WHERE id = ? AND status = 'rendered'", (error, permanent, issue_id))


    # -- the relevance vector cache (raw bytes; the scorer owns their meaning) ----

    def cached_vectors(self, model: str, text_hashes: dict[str, str]) -> dict[str, bytes]:
        """Stored vectors of `model` for paper ids whose text hash still matches."""
        found = {}
        ids = list(text_hashes)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.db.execute(
                f"SELECT paper_id, text_hash, vector FROM paper_vectors WHERE model = ?"
                f" AND paper_id IN ({','.join('?' * len(chunk))})", (model, *chunk))
            found.update({r["paper_id"]: r["vector"] for r in rows if r["text_hash"] == text_hashes[r["paper_id"]]})
        return found

    def save_vectors(self, model: str, vectors: list[tuple[str, str, bytes]]) -> None:
        """(paper_id, text_hash, vector bytes) rows, replacing older vectors of the same model."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO paper_vectors VALUES (?, ?, ?, ?)",
                           [(paper_id, model, text_hash, blob) for paper_id, text_hash, blob in vectors])


def stored_paper(row: sqlite3.Row) -> StoredPaper:
    return StoredPaper(
        id=row["id"], title=row["title"], abstract=row["abstract"],
        first_seen=dt.date.fromisoformat(row["first_seen"]), first_source=row["first_source"],
        arxiv_id=row["arxiv_id"], authors=tuple(json.loads(row["authors"])), link=row["link"],
        categories=tuple(json.loads(row["categories"])))
