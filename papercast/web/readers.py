"""`papercast readers`: every reader with their channels, votes and subscription, and unsubscribing or
resubscribing one by hand (for an unsubscribe that came by mail to the mailto address, or a reader who
asks to come back).
Runs on the state alone: no Prefect, no web server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from papercast.delivery.feed import NAME as FEED_CHANNEL
from papercast.errors import ConfigError
from papercast.links.issue import feed_url
from papercast.links.reader import TUNE, ReaderLinks
from papercast.links.signing import required_keys
from papercast.printable import printable
from papercast.settings import Reader, Settings
from papercast.store import Store
from papercast.store.readers import CLI
from papercast.store.records import Subscription, VoteCounts


@dataclass(frozen=True)
class ReaderRow:
    """One line of the listing: a configured reader, or one the state knows who left the config."""

    email: str
    name: str
    profiles: tuple[str, ...]
    subscription: Subscription
    configured: bool = True
    channels: tuple[str, ...] = ()
    votes: VoteCounts = VoteCounts()

    @property
    def vote_text(self) -> str:
        return f"votes: {self.votes.more} more like this, {self.votes.fewer} not for me"

    @property
    def status(self) -> str:
        text = self.subscription.status
        if self.subscription.since and not self.subscription.subscribed:
            text += f" since {self.subscription.since:%Y-%m-%d %H:%M} UTC ({self.subscription.via})"
        return text + ("" if self.configured else " (not in the config)")

    def as_dict(self) -> dict:
        since = self.subscription.since
        return {
            "email": self.email,
            "name": self.name,
            "profiles": list(self.profiles),
            "status": self.subscription.status,
            "since": since.isoformat() if since else None,
            "via": self.subscription.via or None,
            "configured": self.configured,
            "channels": list(self.channels),
            "votes": {"more_like_this": self.votes.more, "not_for_me": self.votes.fewer},
        }


def reader_rows(store: Store, settings: Settings) -> list[ReaderRow]:
    known, votes = store.subscriptions.subscriptions(), store.votes.vote_counts()
    rows = [
        ReaderRow(
            r.email,
            r.name,
            tuple(r.profiles),
            known.get(r.email.lower(), Subscription(r.email.lower())),
            channels=tuple(r.channels),
            votes=votes.get(r.email.lower(), VoteCounts()),
        )
        for r in settings.readers
    ]
    configured = {r.email.lower() for r in settings.readers}
    gone = sorted((set(known) | set(votes)) - configured)
    return rows + [
        ReaderRow(
            email, "", (), known.get(email, Subscription(email)), configured=False, votes=votes.get(email, VoteCounts())
        )
        for email in gone
    ]


def listing(rows: list[ReaderRow]) -> list[str]:
    """Aligned columns: address, name, profiles, channels, votes, status; one line per reader, whatever
    a name holds (control characters are shown escaped)."""
    if not rows:
        return ["no readers in the config"]
    cells = [
        (
            printable(row.email),
            printable(row.name) or "-",
            ",".join(row.profiles) or "-",
            ",".join(row.channels) or "-",
            row.vote_text,
            row.status,
        )
        for row in rows
    ]
    widths = [max(len(cell[i]) for cell in cells) for i in range(5)]
    return ["  ".join(cell[i].ljust(widths[i]) for i in range(5)) + "  " + cell[5] for cell in cells]


def configured_reader(settings: Settings, email: str) -> Reader:
    found = next((r for r in settings.readers if r.email.lower() == email.strip().lower()), None)
    if found is None:
        raise ConfigError(
            f"unknown reader {email}",
            source=str(settings.source_file),
            hint="give the address of a [[readers]] entry (papercast readers lists them)",
        )
    return found


def change_subscription(store: Store, settings: Settings, email: str, subscribed: bool) -> str:
    """Unsubscribe or resubscribe a configured reader; one line saying what happened."""
    reader = configured_reader(settings, email)
    subscription, changed = store.subscriptions.set_subscribed(reader.email, subscribed, CLI)
    row = ReaderRow(reader.email, reader.name, tuple(reader.profiles), subscription)
    return f"{reader.email}: {'now' if changed else 'already'} {row.status}"


def feed_address(settings: Settings, email: str, environ: Mapping[str, str]) -> str:
    """A configured reader's private feed URL, to pass on to a reader of the feed alone (who gets no
    newsletter to find it in). It needs the link secret, and the reader's channels must include the feed."""
    reader = configured_reader(settings, email)
    if FEED_CHANNEL not in reader.channels:
        raise ConfigError(
            f"{reader.email} gets no private feed: their channels are {', '.join(reader.channels)}",
            source=str(settings.source_file),
            hint=f'add "{FEED_CHANNEL}" to the reader\'s channels first',
        )
    links = ReaderLinks.of(settings, required_keys(settings, environ, "the feed's link is signed with it"))
    return feed_url(links, reader.email)


def tune_addresses(settings: Settings, email: str, environ: Mapping[str, str]) -> list[str]:
    """A configured reader's tune page per profile, as "<profile id>: <URL>" lines (the link secret and
    [site] base_url are needed: the page is served by the app)."""
    reader = configured_reader(settings, email)
    links = ReaderLinks.of(settings, required_keys(settings, environ, "tune links are signed with it"))
    if links.base is None:
        raise ConfigError(
            "no [site] base_url: the tune page is served by papercast web at that address",
            source=str(settings.source_file),
            hint="set [site] base_url to where readers reach papercast web",
        )
    return [f"{profile}: {links.action_url(TUNE, reader.email, profile)}" for profile in reader.profiles]
