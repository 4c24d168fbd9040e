"""Build the email for one newsletter: multipart/alternative, text first, then HTML.

Every header value is made single-line before it is set, so paper text cannot inject
headers; non-ASCII names and subjects are RFC 2047 encoded by the email package.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

from papercast.config import Reader, Settings, Smtp
from papercast.render import RenderedNewsletter, inline_css, one_line

# Headers whose value is a list of <URI>s: folded only between items, never encoded,
# so a long https URL stays one clickable token for mail clients.
URI_LIST_HEADERS = frozenset({"list-unsubscribe"})


class NewsletterPolicy(email.policy.EmailPolicy):
    """The SMTP policy (CRLF, 78-column folding), except for URI-list headers."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() in URI_LIST_HEADERS:
            items = re.findall(r"<[^<>\s]*>", str(value))
            return f"{name}: " + f",{self.linesep} ".join(items) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in URI_LIST_HEADERS:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


@dataclass(frozen=True)
class Unsubscribe:
    """How a reader leaves the list: a mailto always, an https one-click URL when configured."""

    mailto: str
    https: str | None

    @property
    def body_link(self) -> str:
        return self.https or self.mailto

    @property
    def header(self) -> str:
        return ", ".join(f"<{uri}>" for uri in (self.https, self.mailto) if uri)


def message_id(issue_id: str, from_addr: str) -> str:
    """Stable per (reader, issue): a rerun of the same issue carries the same Message-ID."""
    domain = from_addr.rsplit("@", 1)[-1]
    return f"<{issue_id}@{domain}>"


def list_address(smtp: Smtp) -> str:
    """The list's identifier (RFC 2919): configured, or papercast.<sender's domain>."""
    return smtp.list_id or f"papercast.{smtp.from_addr.rsplit('@', 1)[-1]}"


def list_id(settings: Settings) -> str:
    return f"papercast newsletter <{list_address(settings.smtp)}>"


def reader_token(list_addr: str, email_addr: str) -> str:
    """A stable opaque name for a reader on a list, for unsubscribe URLs (not a secret)."""
    return hashlib.sha256(f"{list_addr}\n{email_addr.lower()}".encode()).hexdigest()[:24]


def unsubscribe_links(smtp: Smtp, reader: Reader) -> Unsubscribe:
    mailto = f"mailto:{smtp.from_addr}?subject=unsubscribe"
    if not smtp.unsubscribe_url:
        return Unsubscribe(mailto, None)
    list_addr = list_address(smtp)
    https = smtp.unsubscribe_url.format(
        list=urllib.parse.quote(list_addr, safe=""),
        token=reader_token(list_addr, reader.email),
        email=urllib.parse.quote(reader.email, safe="@"))
    return Unsubscribe(mailto, https)


def address(name: str, addr: str) -> Address:
    username, _, domain = addr.partition("@")
    return Address(display_name=one_line(name), username=username, domain=domain)


def build_message(rendered: RenderedNewsletter, settings: Settings, when: dt.datetime) -> EmailMessage:
    """The complete message, ready to be written to the outbox and sent as it is."""
    smtp = settings.smtp
    reader = rendered.plan.reader
    unsubscribe = unsubscribe_links(smtp, reader)
    msg = EmailMessage(policy=NewsletterPolicy(linesep="\r\n"))
    msg["Subject"] = one_line(rendered.subject)
    msg["From"] = address(smtp.from_name, smtp.from_addr)
    msg["To"] = address(reader.name, reader.email)
    if smtp.reply_to:
        msg["Reply-To"] = one_line(smtp.reply_to)
    msg["Date"] = email.utils.format_datetime(when)
    msg["Message-ID"] = message_id(rendered.plan.issue_id, smtp.from_addr)
    msg["List-Id"] = list_id(settings)
    msg["List-Unsubscribe"] = unsubscribe.header
    if unsubscribe.https:  # RFC 8058: one-click needs an https URI to POST to
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(rendered.text)
    msg.add_alternative(inline_css(rendered.html), subtype="html")
    return msg
