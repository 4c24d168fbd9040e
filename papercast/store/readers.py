"""The readers' own say: who unsubscribed (or came back), and the withdrawal of what they were still owed.

The app's signed links and `papercast readers` write here; the plan and send stages read it, so a
reader who unsubscribed gets nothing from the next run on, not even an issue that was waiting to be
sent. A resubscribed reader picks up where they left off: their cursor never moved for a withdrawn
issue, so its papers are still theirs to get.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from papercast.store.connection import Repository, now_iso
from papercast.store.records import SUBSCRIBED, UNSUBSCRIBED, Subscription

ONE_CLICK, PAGE, CLI = "one-click", "page", "cli"  # how a change came in


class Subscriptions(Repository):
    """reader_subscriptions: who unsubscribed (or came back), since when and how. Withdrawing what an
    unsubscribed reader was still owed is the ledger's (Ledger.withdraw_unfinished)."""

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
            chunk = [email.lower() for email in emails[start : start + 500]]
            rows = self.db.execute(
                f"SELECT reader FROM reader_subscriptions WHERE status = 'unsubscribed'"
                f" AND reader IN ({','.join('?' * len(chunk))})",
                chunk,
            )
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
                " WHERE reader_subscriptions.status <> excluded.status",
                (email.lower(), status, now_iso(), via),
            )
            changed = cursor.rowcount > 0
        return self.subscription(email), changed


def subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(row["reader"], row["status"], dt.datetime.fromisoformat(row["since"]), row["via"])
