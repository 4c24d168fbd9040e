"""Readers' votes: "more like this" and "not for me" on papers of their newsletters, per profile, and the
taste models fitted to them.

The app's signed vote links write here (a second vote on the same paper in the same profile replaces
the first); the plan stage and the tune page fit each reader's taste from them (and keep the fit, with
the fingerprint of the votes it came from), and `papercast readers` counts them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from papercast.errors import StateError
from papercast.store.connection import Repository, now_iso
from papercast.store.records import StoredTaste, VoteCounts, VoteRecord

CHUNK = 500  # addresses per IN (...) query


class Votes(Repository):
    """reader_votes and reader_tastes."""

    def record_vote(self, email: str, profile_id: str, paper_id: str, liked: bool, via: str) -> tuple[VoteRecord, bool]:
        """Record a vote, replacing an earlier one on the same (profile, paper); return it and whether anything
        changed (the same vote again, say a button pressed twice, changes nothing)."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO reader_votes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(reader, profile_id, paper_id)"
                " DO UPDATE SET liked = excluded.liked, voted_at = excluded.voted_at, via = excluded.via"
                " WHERE reader_votes.liked <> excluded.liked",
                (email.lower(), profile_id, paper_id, int(liked), now_iso(), via),
            )
            changed = cursor.rowcount > 0
        return self.recorded_vote(email, profile_id, paper_id), changed

    def recorded_vote(self, email: str, profile_id: str, paper_id: str) -> VoteRecord:
        """The vote just recorded (there is one: the row was written or already said the same)."""
        found = self.vote(email, profile_id, paper_id)
        if found is None:
            raise StateError(f"the vote on {paper_id} was not recorded", source=str(self.path))
        return found

    def vote(self, email: str, profile_id: str, paper_id: str) -> VoteRecord | None:
        row = self.db.execute(
            "SELECT * FROM reader_votes WHERE reader = ? AND profile_id = ? AND paper_id = ?",
            (email.lower(), profile_id, paper_id),
        ).fetchone()
        return vote_record(row) if row else None

    def votes_of(self, emails: list[str]) -> dict[str, list[VoteRecord]]:
        """The votes of those of `emails` (as given) who voted, oldest first; readers without votes are left out."""
        by_lower = {email.lower(): email for email in emails}
        found: dict[str, list[VoteRecord]] = {}
        lowered = list(by_lower)
        for start in range(0, len(lowered), CHUNK):
            chunk = lowered[start : start + CHUNK]
            rows = self.db.execute(
                f"SELECT * FROM reader_votes WHERE reader IN ({','.join('?' * len(chunk))}) ORDER BY voted_at, rowid",
                chunk,
            )
            for row in rows:
                found.setdefault(by_lower[row["reader"]], []).append(vote_record(row))
        return found

    def vote_counts(self) -> dict[str, VoteCounts]:
        """Every reader who voted, by lower-cased address: how many of each kind."""
        rows = self.db.execute("SELECT reader, SUM(liked), SUM(1 - liked) FROM reader_votes GROUP BY reader")
        return {row[0]: VoteCounts(int(row[1]), int(row[2])) for row in rows}

    def tastes(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], StoredTaste]:
        """The taste models kept for these (reader, profile) pairs (lower-cased addresses), where there is one."""
        wanted = {(email.lower(), profile) for email, profile in keys}
        readers = sorted({email for email, _ in wanted})
        found: dict[tuple[str, str], StoredTaste] = {}
        for start in range(0, len(readers), CHUNK):
            chunk = readers[start : start + CHUNK]
            rows = self.db.execute(f"SELECT * FROM reader_tastes WHERE reader IN ({','.join('?' * len(chunk))})", chunk)
            found.update({(r["reader"], r["profile_id"]): stored_taste(r) for r in rows})
        return {key: taste for key, taste in found.items() if key in wanted}

    def save_tastes(self, tastes: list[StoredTaste]) -> None:
        """Keep freshly fitted taste models, replacing the earlier fit of the same (reader, profile)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO reader_tastes VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (t.reader, t.profile_id, t.fingerprint, t.bias, t.weights, json.dumps(t.voted), now_iso())
                    for t in tastes
                ],
            )


def stored_taste(row: sqlite3.Row) -> StoredTaste:
    voted = tuple(
        (str(paper), float(coefficient), bool(liked)) for paper, coefficient, liked in json.loads(row["voted"])
    )
    return StoredTaste(row["reader"], row["profile_id"], row["fingerprint"], row["bias"], row["weights"], voted)


def vote_record(row: sqlite3.Row) -> VoteRecord:
    return VoteRecord(
        row["reader"],
        row["profile_id"],
        row["paper_id"],
        bool(row["liked"]),
        dt.datetime.fromisoformat(row["voted_at"]),
        row["via"],
    )
