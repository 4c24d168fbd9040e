"""How an issue reaches a reader: one small interface per channel (email today).

A channel prepares what an issue needs on its way out (the email channel: a complete message
in the outbox) and, if it has a send step, delivers what is still pending. The flow never
names a channel: it asks `channels_for` and loops over what it gets.
"""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from papercast.errors import DeliveryError
from papercast.newsletter.render import RenderedNewsletter
from papercast.store.records import ChannelDelivery, IssueRecord


@dataclass(frozen=True)
class Prepared:
    """What one channel needs for one issue: files to write (durably), and its delivery row."""

    files: tuple[tuple[Path, bytes], ...]
    delivery: ChannelDelivery


class MessageRejected(DeliveryError):
    """The channel refused one issue; `permanent` when trying again cannot help (an SMTP 5xx reply), else it
    stays pending for the next run (retries ran out on a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = True, source: str | None = None, hint: str | None = None):
        super().__init__(message, source=source, hint=hint)
        self.permanent = permanent


class Sender(Protocol):
    """Delivers one issue; raises MessageRejected (one issue refused) or DeliveryError (channel down)."""

    def send(self, issue: IssueRecord, delivery: ChannelDelivery) -> None: ...


class Channel(Protocol):
    name: str

    def prepare(self, rendered: RenderedNewsletter, sending: bool) -> Prepared: ...

    def sender(self) -> AbstractContextManager[Sender | None]:
        """A sender for pending deliveries; it gives None when preparing already delivered the issue."""


def no_sender() -> contextlib.nullcontext[None]:
    return contextlib.nullcontext(None)
