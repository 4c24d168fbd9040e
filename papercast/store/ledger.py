"""The delivery ledger: issues and their channel deliveries, what each reader got.

An issue is planned (papers chosen), then written (files in place, a delivery row per channel),
then settled: done once no channel is pending and one delivered it, failed when none did.
Settling records the reader's deliveries and cursor in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from papercast.errors import StateError
from papercast.models import Assignment
from papercast.store.connection import Repository, now_iso
from papercast.store.records import (
    DONE,
    FAILED,
    PENDING,
    PLANNED,
    SENT,
    WITHDRAWN,
    WRITTEN,
    ChannelDelivery,
    IssueRecord,
    IssueSection,
    RunDelivery,
)

UNFINISHED = (PLANNED, WRITTEN)


class Ledger(Repository):
    """issues, channel_deliveries, deliveries and reader_cursors: each reader's issues from planned to settled,
    and what each reader got; withdrawing the unfinished issues of readers who unsubscribed."""

    def reader_cursor(self, reader: str) -> int | None:
        """The last paper seq the reader's newsletters covered; None for a reader never served."""
        row = self.db.execute("SELECT paper_seq FROM reader_cursors WHERE reader = ?", (reader,)).fetchone()
        return int(row[0]) if row else None

    def delivered(self, reader: str) -> set[str]:
        rows = self.db.execute("SELECT paper_id FROM deliveries WHERE reader = ?", (reader,))
        return {row[0] for row in rows}

    def delivered_among(self, paper_ids: list[str]) -> dict[str, set[str]]:
        """reader -> which of these papers they got: the deliveries of a window's papers, not every one ever made."""
        found: dict[str, set[str]] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT reader, paper_id FROM deliveries WHERE paper_id IN ({','.join('?' * len(chunk))})", chunk
            )
            for reader, paper_id in rows:
                found.setdefault(reader, set()).add(paper_id)
        return found

    # -- issues ------------------------------------------------------------

    def issue(self, issue_id: str) -> IssueRecord:
        return issue_record(self.issue_row(issue_id, "*"))

    def issue_row(self, issue_id: str, columns: str) -> sqlite3.Row:
        """These columns of the issue's row (an unknown issue is a StateError)."""
        row = self.db.execute(f"SELECT {columns} FROM issues WHERE id = ?", (issue_id,)).fetchone()
        if row is None:
            raise StateError(f"unknown issue {issue_id}", source=str(self.path))
        return row

    def has_issue(self, issue_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM issues WHERE id = ?", (issue_id,)).fetchone() is not None

    def unfinished_issues(self, readers: list[str]) -> dict[str, IssueRecord]:
        """Each reader's oldest issue that is planned or written but not yet settled."""
        found: dict[str, IssueRecord] = {}
        for start in range(0, len(readers), 500):
            chunk = readers[start : start + 500]
            rows = self.db.execute(
                f"SELECT * FROM issues WHERE status IN ('planned', 'written') AND reader IN"
                f" ({','.join('?' * len(chunk))}) ORDER BY created_at DESC, id DESC",
                chunk,
            )
            found.update((row["reader"], issue_record(row)) for row in rows)
        return found

    def record_planned(self, issues: list[IssueRecord], run_id: int, joined: dict[str, int] | None = None) -> None:
        """Planned issues, in one transaction. An issue id already in the ledger is left as it is,
        unless it failed or was withdrawn (its reader unsubscribed, then came back): the same papers
        for the same reader and date are then tried once more.
        `joined` gives readers seen for the first time their starting cursor."""
        created = now_iso()
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO reader_cursors VALUES (?, ?)", list((joined or {}).items()))
            db.executemany(
                "INSERT INTO issues (id, reader, run_id, date, status, created_at, papers, cursor, sections,"
                " planned_at, explore) VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
                " SET status = 'planned', run_id = excluded.run_id WHERE issues.status IN ('failed', 'withdrawn')",
                [
                    (
                        i.id,
                        i.reader,
                        run_id,
                        i.date.isoformat(),
                        created,
                        json.dumps(i.paper_ids),
                        i.cursor,
                        sections_json(i.sections),
                        i.planned_at.isoformat(),
                        explore_json(i.explore),
                    )
                    for i in issues
                ],
            )

    def record_written(self, written: list[tuple[str, str, list[ChannelDelivery]]], run_id: int) -> None:
        """(issue id, subject, a delivery per channel) for written issues, in one transaction;
        an issue that no channel still waits for is settled at once."""
        now = now_iso()
        with self.transaction() as db:
            for issue_id, subject, channels in written:
                db.execute(
                    "UPDATE issues SET status = 'written', subject = ? WHERE id = ? AND status = 'planned'",
                    (subject, issue_id),
                )
                db.executemany(
                    "INSERT INTO channel_deliveries (issue_id, channel, status, ref, updated_at, run_id)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(issue_id, channel) DO UPDATE SET"
                    " status = excluded.status, run_id = excluded.run_id, last_error = NULL"
                    " WHERE channel_deliveries.status IN ('failed', 'withdrawn')",
                    [(issue_id, c.channel, c.status, c.ref, now, run_id) for c in channels],
                )
                self._settle(issue_id)

    # -- channel deliveries -------------------------------------------------

    def channel_deliveries(self, issue_id: str) -> list[ChannelDelivery]:
        rows = self.db.execute("SELECT * FROM channel_deliveries WHERE issue_id = ? ORDER BY channel", (issue_id,))
        return [channel_delivery(row) for row in rows]

    def pending_deliveries(self, channel: str, readers: list[str]) -> list[IssueRecord]:
        """Issues of these readers whose delivery on `channel` is still pending, oldest first."""
        wanted = set(readers)
        rows = self.db.execute(
            "SELECT i.* FROM channel_deliveries d JOIN issues i ON i.id = d.issue_id"
            " WHERE d.channel = ? AND d.status = 'pending' ORDER BY i.created_at, i.id",
            (channel,),
        ).fetchall()
        return [issue_record(row) for row in rows if row["reader"] in wanted]

    def pending_for(self, channel: str, issue_ids: list[str]) -> list[tuple[IssueRecord, ChannelDelivery]]:
        """These issues' deliveries on `channel` that are pending right now, in the order given."""
        found: dict[str, tuple[IssueRecord, ChannelDelivery]] = {}
        for start in range(0, len(issue_ids), 500):
            chunk = issue_ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT i.*, d.status AS delivery_status, d.ref, d.attempts, d.last_error"
                f" FROM channel_deliveries d JOIN issues i ON i.id = d.issue_id WHERE d.channel = ?"
                f" AND d.status = 'pending' AND d.issue_id IN ({','.join('?' * len(chunk))})",
                (channel, *chunk),
            )
            found.update((row["id"], (issue_record(row), joined_delivery(row, channel))) for row in rows)
        return [found[issue_id] for issue_id in issue_ids if issue_id in found]

    def mark_delivered(self, issue_id: str, channel: str, run_id: int) -> None:
        """The channel delivered the issue (the server accepted it): settle it in the same transaction."""
        with self.transaction() as db:
            db.execute(
                "UPDATE channel_deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL,"
                " updated_at = ?, run_id = ? WHERE issue_id = ? AND channel = ? AND status = 'pending'",
                (now_iso(), run_id, issue_id, channel),
            )
            self._settle(issue_id)

    def record_delivery_failure(self, issue_id: str, channel: str, error: str, permanent: bool, run_id: int) -> None:
        """A failed attempt: a permanent rejection ends this channel's delivery, a transient one keeps it pending."""
        with self.transaction() as db:
            db.execute(
                "UPDATE channel_deliveries SET attempts = attempts + 1, last_error = ?, updated_at = ?,"
                " run_id = ?, status = CASE WHEN ? THEN 'failed' ELSE status END"
                " WHERE issue_id = ? AND channel = ? AND status = 'pending'",
                (error, now_iso(), run_id, permanent, issue_id, channel),
            )
            self._settle(issue_id)

    def note_undelivered(self, issue_ids: list[str], channel: str, reason: str, run_id: int) -> None:
        """Pending deliveries this run could not make (the channel is down): the reason, still pending."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE channel_deliveries SET last_error = ?, updated_at = ?, run_id = ?"
                " WHERE issue_id = ? AND channel = ? AND status = 'pending'",
                [(reason, now_iso(), run_id, issue_id, channel) for issue_id in issue_ids],
            )

    def run_delivery_rows(self, run_id: int, channel: str) -> list[RunDelivery]:
        """Deliveries on `channel` this run wrote or tried, in the order the issues were created: what the report
        needs of each, without reading the issue's plan (its sections)."""
        rows = self.db.execute(
            "SELECT i.id, i.reader, i.run_id, i.papers, i.explore, COALESCE(i.sections, '[]') = '[]' AS note,"
            " d.status, d.ref, d.attempts, d.last_error FROM channel_deliveries d JOIN issues i ON i.id = d.issue_id"
            " WHERE d.run_id = ? AND d.channel = ? ORDER BY i.created_at, i.id",
            (run_id, channel),
        ).fetchall()
        return [run_delivery(row, channel) for row in rows]

    def delivered_on(self, reader: str, channel: str, limit: int) -> list[IssueRecord]:
        """The reader's latest `limit` issues that `channel` delivered (sent or written), newest first."""
        rows = self.db.execute(
            "SELECT i.* FROM channel_deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.reader = ?"
            " AND d.channel = ? AND d.status IN (?, ?) ORDER BY i.planned_at DESC, i.id DESC LIMIT ?",
            (reader, channel, SENT, WRITTEN, limit),
        ).fetchall()
        return [issue_record(row) for row in rows]

    def withdraw_unfinished(self, emails: list[str], run_id: int) -> list[str]:
        """Withdraw every planned or written issue of these readers (see withdraw_issues)."""
        ids: list[str] = []
        for start in range(0, len(emails), 500):
            chunk = emails[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id FROM issues WHERE status IN (?, ?) AND reader IN ({marks}) ORDER BY created_at, id",
                (PLANNED, WRITTEN, *chunk),
            )
            ids += [row[0] for row in rows]
        return self.withdraw_issues(ids, run_id) if ids else []

    def withdraw_issues(self, issue_ids: list[str], run_id: int) -> list[str]:
        """Withdraw these unfinished issues, in one transaction: pending deliveries become withdrawn
        (recorded under `run_id`, for its report), and an issue no channel delivered is withdrawn.
        Returns the ids withdrawn."""
        withdrawn = []
        with self.transaction() as db:
            for issue_id in issue_ids:
                db.execute(
                    "UPDATE channel_deliveries SET status = ?, updated_at = ?, run_id = ?"
                    " WHERE issue_id = ? AND status = ?",
                    (WITHDRAWN, now_iso(), run_id, issue_id, PENDING),
                )
                if self._delivered_anywhere(issue_id):  # another channel delivered it: settled as done
                    self._settle(issue_id)
                cursor = db.execute(
                    "UPDATE issues SET status = ?, settled_at = ?, run_id = ? WHERE id = ? AND status IN (?, ?)",
                    (WITHDRAWN, now_iso(), run_id, issue_id, PLANNED, WRITTEN),
                )
                if cursor.rowcount:
                    withdrawn.append(issue_id)
        return withdrawn

    def _delivered_anywhere(self, issue_id: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM channel_deliveries WHERE issue_id = ? AND status IN (?, ?)", (issue_id, SENT, WRITTEN)
            ).fetchone()
            is not None
        )

    def _settle(self, issue_id: str) -> None:
        """Inside a transaction: done (deliveries and cursor recorded) or failed, once nothing is pending."""
        statuses = [
            row[0] for row in self.db.execute("SELECT status FROM channel_deliveries WHERE issue_id = ?", (issue_id,))
        ]
        issue = self.issue_row(issue_id, "reader, status, cursor, papers")
        if not statuses or PENDING in statuses or issue["status"] != WRITTEN:
            return
        delivered = SENT in statuses or WRITTEN in statuses
        self.db.execute(
            "UPDATE issues SET status = ?, settled_at = ? WHERE id = ?",
            (DONE if delivered else FAILED, now_iso(), issue_id),
        )
        if delivered:  # the papers column holds the plan's paper ids (its sections' items, in order)
            self.db.executemany(
                "INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?)",
                [(issue["reader"], paper_id, issue_id) for paper_id in json.loads(issue["papers"])],
            )
            if issue["cursor"] is not None:
                self.advance_cursor(issue["reader"], issue["cursor"])

    def advance_cursor(self, reader: str, cursor: int) -> None:
        self.db.execute(
            "INSERT INTO reader_cursors VALUES (?, ?) ON CONFLICT(reader)"
            " DO UPDATE SET paper_seq = MAX(paper_seq, excluded.paper_seq)",
            (reader, cursor),
        )


def sections_json(sections: tuple[IssueSection, ...]) -> str:
    return json.dumps(
        [
            {"profile": s.profile_id, "title": s.title, "items": [[a.paper_id, a.score, a.why] for a in s.items]}
            for s in sections
        ]
    )


def sections_from_json(text: str | None) -> tuple[IssueSection, ...]:
    return tuple(
        IssueSection(
            s["profile"], s["title"], tuple(Assignment(pid, s["profile"], score, why) for pid, score, why in s["items"])
        )
        for s in json.loads(text or "[]")
    )


def explore_json(items: tuple[Assignment, ...]) -> str:
    return json.dumps([[a.paper_id, a.profile_id, a.score, a.why] for a in items])


def explore_from_json(text: str | None) -> tuple[Assignment, ...]:
    return tuple(Assignment(pid, profile, score, why) for pid, profile, score, why in json.loads(text or "[]"))


def issue_record(row: sqlite3.Row) -> IssueRecord:
    planned = row["planned_at"] or row["created_at"]
    return IssueRecord(
        row["id"],
        row["reader"],
        dt.date.fromisoformat(row["date"]),
        row["status"],
        sections_from_json(row["sections"]),
        row["cursor"],
        dt.datetime.fromisoformat(planned),
        row["run_id"],
        row["subject"],
        explore_from_json(row["explore"]),
    )


def run_delivery(row: sqlite3.Row, channel: str) -> RunDelivery:
    delivery = ChannelDelivery(row["id"], channel, row["status"], row["ref"], row["attempts"], row["last_error"])
    return RunDelivery(
        row["id"], row["reader"], row["run_id"], row["papers"], row["explore"] or "[]", bool(row["note"]), delivery
    )


def joined_delivery(row: sqlite3.Row, channel: str) -> ChannelDelivery:
    """The delivery columns of an issues-join-deliveries row."""
    return ChannelDelivery(row["id"], channel, row["delivery_status"], row["ref"], row["attempts"], row["last_error"])


def channel_delivery(row: sqlite3.Row) -> ChannelDelivery:
    return ChannelDelivery(
        row["issue_id"], row["channel"], row["status"], row["ref"], row["attempts"], row["last_error"]
    )
