"""A channel: each issue POSTed as JSON to a URL (`[webhook] url`), say a chat bot's or a CMS's.

One module with a channel class (`papercast.delivery.channels.Channel`) and its config section; the
registry line that adds it:

    ChannelKind("webhook", WebhookChannel, "webhook", Webhook),   # in CHANNELS, papercast/delivery/registry.py

A dry run records the issue as written and posts nothing; with --send it waits as pending until the
server took it (2xx). A 4xx refuses that one issue for good; no answer at all, or a 5xx, means the
channel is down: the issue and the rest wait for the next run.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

from pydantic import Field

from papercast.delivery.channels import MessageRejected, Prepared
from papercast.errors import DeliveryError
from papercast.newsletter.render import RenderedNewsletter
from papercast.settings import Section, Settings
from papercast.store.records import PENDING, WRITTEN, ChannelDelivery, IssueRecord

NAME = "webhook"
HINT = "check [webhook] url and the server behind it"


class Webhook(Section):
    """[webhook]: where issues are posted."""

    url: str = Field(pattern=r"^https?://\S+$")
    timeout: float = Field(default=10.0, gt=0)


class WebhookChannel:
    name = NAME

    def __init__(self, settings: Settings):
        self.config = settings.section(Webhook)

    def prepare(self, rendered: RenderedNewsletter, sending: bool) -> Prepared:
        """Nothing to write: the ledger holds the issue, and the sender posts it from there."""
        return Prepared((), ChannelDelivery(rendered.plan.issue_id, NAME, PENDING if sending else WRITTEN))

    @contextlib.contextmanager
    def sender(self) -> Iterator[WebhookSender]:
        yield WebhookSender(self.config)


class WebhookSender:
    def __init__(self, config: Webhook):
        self.config = config

    def send(self, issue: IssueRecord, delivery: ChannelDelivery) -> None:
        request = urllib.request.Request(self.config.url, data=json.dumps(issue_json(issue)).encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout):
                return
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500:
                raise MessageRejected(f"HTTP {exc.code} from {self.config.url}", source=NAME, hint=HINT) from None
            raise DeliveryError(f"HTTP {exc.code} from {self.config.url}", source=NAME, hint=HINT) from None
        except OSError as exc:
            raise DeliveryError(f"cannot post to {self.config.url}: {exc}", source=NAME, hint=HINT) from None


def issue_json(issue: IssueRecord) -> dict:
    return {"issue": issue.id, "reader": issue.reader, "date": issue.date.isoformat(),
            "sections": [{"profile": section.profile_id, "title": section.title,
                          "papers": [{"id": item.paper_id, "score": item.score, "why": item.why}
                                     for item in section.items]} for section in issue.sections]}
