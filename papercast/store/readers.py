"""The readers' own say: who unsubscribed (or came back), and the withdrawal of what they were still owed.

The app's signed links and `papercast readers` write here; the plan and send stages read it, so a
reader who unsubscribed gets nothing from the next run on, not even an issue that was waiting to be
sent. A resubscribed reader picks up where they left off: their cursor never moved for a withdrawn
issue, so its papers are still theirs to get.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from papercast.store.connection import now_iso
from papercast.store.records import PENDING, PLANNED, SENT, SUBSCRIBED, UNSUBSCRIBED, WITHDRAWN, WRITTEN, Subscription

ONE_CLICK, PAGE, CLI = "one-click", "page", "cli"  # how a change came in


class ReaderTables:
    """Mixed into Store: reader_subscriptions, and withdrawing unsubscribed readers' unfinished issues."""

    def subscription(self, email: str) -> Subscription:
        row = self.db.execute("SELECT * FROM reader_subscriptions WHERE reader = ?", (email.lower(),)).fetchone()
        return subscription(row) if row else Subscription(email.lower())

    def subscriptions(self) -> dict[str, Subscription]:
        """Every reader whose subscription ever changed, by lower-cased address."""
        rows = self.db.execute("SELECT * FROM reader_subscriptions ORDER BY reader")
        return {row["reader"]: subscription(row) for row in rows}

    def unsubscribed(self, emails: list[str]) -> set[str]:
        """Those of `emails` (as given) who are unsubscribed now."""
        found: set[str] = set()
        for start in range(0, len(emails), 500):
            chunk = [email.lower() for email in emails[start:start + 500]]
            rows = self.db.execute(f"SELECT reader FROM reader_subscriptions WHERE status = 'unsubscribed'"
                                   f" AND reader IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return {email for email in emails if email.lower() in found}

    def set_subscribed(self, email: str, subscribed: bool, via: str) -> tuple[Subscription, bool]:
        """Record an unsubscribe or resubscribe; return the reader's subscription and whether it changed.
        Doing it twice changes nothing (a mail provider may repeat a one-click POST)."""
        status = SUBSCRIBED if subscribed else UNSUBSCRIBED
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO reader_subscriptions VALUES (?, ?, ?, ?) ON CONFLICT(reader) DO UPDATE SET"
                " status = excluded.status, since = excluded.since, via = excluded.via"
                " WHERE reader_subscriptions.status <> excluded.status", (email.lower(), status, now_iso(), via))
            changed = cursor.rowcount > 0
        return self.subscription(email), changed

    def withdraw_unfinished(self, emails: list[str], run_id: int) -> list[str]:
        """Withdraw every planned or written issue of these readers (see withdraw_issues)."""
        ids: list[str] = []
        for start in range(0, len(emails), 500):
            chunk = emails[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM issues WHERE status IN (?, ?) AND reader IN ({marks})"
                                   f" ORDER BY created_at, id", (PLANNED, WRITTEN, *chunk))
            ids += [row[0] for row in rows]
        return self.withdraw_issues(ids, run_id) if ids else []

    def withdraw_issues(self, issue_ids: list[str], run_id: int) -> list[str]:
        """Withdraw these unfinished issues, in one transaction: pending deliveries become withdrawn
        (recorded under `run_id`, for its report), and an issue no channel delivered is withdrawn.
        Returns the ids withdrawn."""
        withdrawn = []
        with self.transaction() as db:
            for issue_id in issue_ids:
                db.execute("UPDATE channel_deliveries SET status = ?, updated_at = ?, run_id = ?"
                           " WHERE issue_id = ? AND status = ?", (WITHDRAWN, now_iso(), run_id, issue_id, PENDING))
                if self._delivered_anywhere(issue_id):  # another channel delivered it: settled as done
                    self._settle(issue_id)
                cursor = db.execute("UPDATE issues SET status = ?, settled_at = ?, run_id = ? WHERE id = ?"
                                    " AND status IN (?, ?)", (WITHDRAWN, now_iso(), run_id, issue_id, PLANNED, WRITTEN))
                if cursor.rowcount:
                    withdrawn.append(issue_id)
        return withdrawn

    def _delivered_anywhere(self, issue_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM channel_deliveries WHERE issue_id = ? AND status IN (?, ?)",
                               (issue_id, SENT, WRITTEN)).fetchone() is not None


def subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(row["reader"], row["status"], dt.datetime.fromisoformat(row["since"]), row["via"])
