"""The email channel: a complete message per issue in the outbox, sent over SMTP.

Dry run: the message is written to the outbox and counts as delivered ("written").
Sending: it waits in the outbox as "pending" until the SMTP server accepted it; a rerun sends
those very bytes, so a message the server took just before a crash goes out again with the
same Message-ID (the one window no local bookkeeping can close).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from papercast.delivery.channels import MessageRejected, Prepared
from papercast.delivery.message import MessageComposer
from papercast.delivery.smtp import SmtpSender, smtp_password
from papercast.faults import checkpoint
from papercast.newsletter.render import RenderedNewsletter
from papercast.settings import Settings
from papercast.store.records import PENDING, WRITTEN, ChannelDelivery, IssueRecord

NAME = "email"


def outbox_path(archive: Path, issue_id: str) -> Path:
    return archive / "outbox" / f"{issue_id}.eml"


class EmailChannel:
    name = NAME

    def __init__(self, settings: Settings):
        self.settings = settings
        self.composer = MessageComposer(settings)

    def prepare(self, rendered: RenderedNewsletter, sending: bool) -> Prepared:
        message = self.composer.compose(rendered, sending)
        issue_id = rendered.plan.issue_id
        delivery = ChannelDelivery(issue_id, NAME, PENDING if sending else WRITTEN, message.message_id)
        return Prepared(((outbox_path(self.settings.paths.archive, issue_id), message.data),), delivery)

    @contextlib.contextmanager
    def sender(self) -> Iterator[OutboxSender]:
        password = smtp_password(self.settings.smtp, os.environ)
        with SmtpSender(self.settings.smtp, password) as smtp:
            yield OutboxSender(self.settings.paths.archive, smtp)


class OutboxSender:
    """Sends an issue's message from the outbox, as written, to its reader."""

    def __init__(self, archive: Path, smtp: SmtpSender):
        self.archive, self.smtp = archive, smtp

    def send(self, issue: IssueRecord, delivery: ChannelDelivery) -> None:
        try:
            data = outbox_path(self.archive, issue.id).read_bytes()
        except OSError as exc:
            raise MessageRejected(f"outbox file unreadable: {exc}", permanent=True) from None
        self.smtp.send(issue.reader, data)
        checkpoint("send.accepted")
