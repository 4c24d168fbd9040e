"""The channels an issue can go out on, by the name `[[readers]] channels` gives them.

Config validation (papercast/config.py), the write and send stages, the run report and the error hints
read this table; the flow names no channel. Adding a channel is one module with a class that meets
`delivery.channels.Channel` and one line here (docs/extending.md); a channel with settings of its own
declares its section and model, and the config is checked against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papercast.delivery.channels import Channel
from papercast.delivery.email import EmailChannel, outbox_path
from papercast.delivery.feed import FeedChannel
from papercast.settings import Reader, Section, Settings, Smtp


@dataclass(frozen=True)
class ChannelKind:
    """A channel: its name, how to make it for a run, its own config section (name and model; None: none),
    why it needs the reader app at [site] base_url ("": it does not), and the file of an issue the run
    report names for it (`eml`; None: none)."""

    name: str
    make: Callable[[Settings], Channel]
    section: str | None = None
    config: type[Section] | None = None
    needs_the_app: str = ""
    message_file: Callable[[Path, str], Path] | None = None


CHANNELS: dict[str, ChannelKind] = {
    kind.name: kind
    for kind in (
        ChannelKind(EmailChannel.name, EmailChannel, "smtp", Smtp, message_file=outbox_path),  # SMTP, from the outbox
        ChannelKind(FeedChannel.name, FeedChannel, needs_the_app="the app serves each reader's private feed there"),
    )
}


def channels_for(settings: Settings, reader: Reader | None = None) -> list[Channel]:
    """The channels `reader`'s issues go out on (their `channels`, in that order); without a reader, every
    channel there is (the send stage asks each one for what it still owes)."""
    return [CHANNELS[name].make(settings) for name in (reader.channels if reader else CHANNELS)]


def reader_channels(channels: list[Channel], reader: Reader) -> list[Channel]:
    """`channels_for(settings, reader)`, picked from channels built once for a whole batch."""
    by_name = {channel.name: channel for channel in channels}
    return [by_name[name] for name in reader.channels]
