"""The papers of the state: the digests ingested (by content hash) and each paper once, with its first sighting."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from papercast.errors import StateError
from papercast.models import Digest, DigestResult, Paper, StoredPaper
from papercast.store.connection import Repository, now_iso

PAPER_COLUMNS = (
    "p.seq, p.id, p.title, p.abstract, p.first_seen, p.first_source, p.arxiv_id, p.authors,"
    " p.link, p.categories, p.first_run"
)


class Papers(Repository):
    """digests and papers: the diff against everything seen before, and the papers by id, seq and date."""

    # -- ingest: the diff against everything seen before -------------------

    def has_digest(self, content_hash: str) -> bool:
        row = self.db.execute("SELECT 1 FROM digests WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def ingested(self, content_hash: str) -> tuple[dt.date, int] | None:
        """The date and paper count of the digest with these bytes, if one was ingested."""
        row = self.db.execute("SELECT date, papers FROM digests WHERE content_hash = ?", (content_hash,)).fetchone()
        return None if row is None else (dt.date.fromisoformat(row[0]), int(row[1]))

    def ingest_digest(self, digest: Digest, run_id: int) -> tuple[DigestResult, list[StoredPaper]]:
        """Record a digest and its papers in one transaction; return the papers never seen before."""
        with self.transaction() as db:
            if self.has_digest(digest.content_hash):
                return DigestResult(digest.source, digest.date, len(digest.papers), 0, skipped=True), []
            added = [self._add_paper(paper, digest, run_id) for paper in digest.papers]
            new = [paper for paper in added if paper is not None]
            db.execute(
                "INSERT INTO digests VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    digest.content_hash,
                    digest.source,
                    digest.date.isoformat(),
                    digest.format,
                    len(digest.papers),
                    len(new),
                    run_id,
                    now_iso(),
                ),
            )
        return DigestResult(digest.source, digest.date, len(digest.papers), len(new)), new

    def _add_paper(self, paper: Paper, digest: Digest, run_id: int) -> StoredPaper | None:
        existing = self._find_paper(paper)
        if existing is not None:
            self._merge_paper(existing, paper, digest)
            return None
        self.db.execute(
            "INSERT INTO papers (id, title_key, arxiv_id, title, abstract, authors, link, categories,"
            " first_seen, first_source, first_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                paper.id,
                self._free_title_key(paper),
                paper.arxiv_id,
                paper.title,
                paper.abstract,
                json.dumps(list(paper.authors)),
                paper.link,
                json.dumps(list(paper.categories)),
                digest.date.isoformat(),
                digest.source,
                run_id,
            ),
        )
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
            (
                paper.arxiv_id if not self._arxiv_taken(paper.arxiv_id) else None,
                paper.abstract,
                json.dumps(list(paper.authors)),
                json.dumps(list(paper.categories)),
                digest.date.isoformat(),
                digest.source,
                paper.link,
                digest.date.isoformat(),
                row["seq"],
            ),
        )

    def _arxiv_taken(self, arxiv_id: str | None) -> bool:
        if not arxiv_id:
            return True
        return self.db.execute("SELECT 1 FROM papers WHERE arxiv_id = ?", (arxiv_id,)).fetchone() is not None

    # -- papers --------------------------------------------------------------

    def paper(self, paper_id: str) -> StoredPaper:
        row = self.db.execute(f"SELECT {PAPER_COLUMNS} FROM papers p WHERE id = ?", (paper_id,)).fetchone()
        if row is None:
            raise StateError(f"unknown paper {paper_id}", source=str(self.path))
        return stored_paper(row)

    def papers(self, paper_ids: list[str]) -> dict[str, StoredPaper]:
        found: dict[str, StoredPaper] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT {PAPER_COLUMNS} FROM papers p WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update((row["id"], stored_paper(row)) for row in rows)
        return found

    def max_paper_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM papers").fetchone()[0])

    def first_seq_since(self, day: dt.date) -> int:
        """The last seq of papers stored by runs dated before `day` (a new reader's starting point)."""
        row = self.db.execute(
            "SELECT COALESCE(MAX(p.seq), 0) FROM papers p JOIN runs r ON r.id = p.first_run WHERE r.as_of < ?",
            (day.isoformat(),),
        ).fetchone()
        return int(row[0])

    def seq_before_seen_since(self, day: dt.date) -> int:
        """One before the first paper (by seq) first seen on or after `day`; the last seq when none is
        (a new reader's starting point: with `seen_since`, only what was listed from that day on)."""
        row = self.db.execute(
            "SELECT MIN(seq) FROM papers INDEXED BY papers_first_seen WHERE first_seen >= ?", (day.isoformat(),)
        ).fetchone()
        return int(row[0]) - 1 if row[0] is not None else self.max_paper_seq()

    def papers_after(self, seq: int, limit: int) -> list[StoredPaper]:
        """The next `limit` papers stored after `seq`, in the order they were stored."""
        rows = self.db.execute(
            f"SELECT {PAPER_COLUMNS} FROM papers p WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        ).fetchall()
        return [stored_paper(row) for row in rows]

    def count_after(self, seq: int) -> int:
        """How many papers are stored after `seq` (what a classify stage owes, for its progress)."""
        return int(self.db.execute("SELECT COUNT(*) FROM papers WHERE seq > ?", (seq,)).fetchone()[0])

    def papers_between(self, after_seq: int, up_to_seq: int) -> list[StoredPaper]:
        """Every paper stored in (after_seq, up_to_seq], in the order they were stored (readers' candidates)."""
        rows = self.db.execute(
            f"SELECT {PAPER_COLUMNS} FROM papers p WHERE seq > ? AND seq <= ? ORDER BY seq", (after_seq, up_to_seq)
        ).fetchall()
        return [stored_paper(row) for row in rows]

    def papers_seen_between(self, first: dt.date, last: dt.date) -> list[StoredPaper]:
        """Papers first seen from `first` to `last` (both included), in the order they were stored;
        for `papercast preview`, which scores them against one profile."""
        rows = self.db.execute(
            f"SELECT {PAPER_COLUMNS} FROM papers p WHERE first_seen BETWEEN ? AND ? ORDER BY seq",
            (first.isoformat(), last.isoformat()),
        ).fetchall()
        return [stored_paper(row) for row in rows]

    def latest_first_seen(self) -> dt.date | None:
        """When the most recently published paper was first seen (None: no paper stored yet)."""
        row = self.db.execute("SELECT MAX(first_seen) FROM papers").fetchone()
        return dt.date.fromisoformat(row[0]) if row[0] else None


def stored_paper(row: sqlite3.Row) -> StoredPaper:
    return StoredPaper(
        id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        first_seen=dt.date.fromisoformat(row["first_seen"]),
        first_source=row["first_source"],
        arxiv_id=row["arxiv_id"],
        authors=tuple(json.loads(row["authors"])),
        link=row["link"],
        categories=tuple(json.loads(row["categories"])),
        seq=row["seq"],
        first_run=row["first_run"],
    )
