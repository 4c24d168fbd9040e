"""Build the email for one newsletter: multipart/alternative, text first, then HTML."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
from email.headerregistry import Address
from email.message import EmailMessage

from papercast.config import Settings
from papercast.render import RenderedNewsletter, inline_css, one_line


def message_id(issue_id: str, from_addr: str) -> str:
    """Stable per (reader, issue): a rerun of the same issue carries the same Message-ID."""
    domain = from_addr.rsplit("@", 1)[-1]
    return f"<{issue_id}@{domain}>"


def list_id(settings: Settings) -> str:
    domain = settings.smtp.from_addr.rsplit("@", 1)[-1]
    return f"papercast newsletter <papercast.{domain}>"


def address(name: str, addr: str) -> Address:
    username, _, domain = addr.partition("@")
    return Address(display_name=one_line(name), username=username, domain=domain)


def build_message(rendered: RenderedNewsletter, settings: Settings, when: dt.datetime) -> EmailMessage:
    """The complete message; every header value is single-line, so paper text cannot inject headers."""
    smtp = settings.smtp
    reader = rendered.plan.reader
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = one_line(rendered.subject)
    msg["From"] = address(smtp.from_name, smtp.from_addr)
    msg["To"] = address(reader.name, reader.email)
    if smtp.reply_to:
        msg["Reply-To"] = smtp.reply_to
    msg["Date"] = email.utils.format_datetime(when)
    msg["Message-ID"] = message_id(rendered.plan.issue_id, smtp.from_addr)
    msg["List-Id"] = list_id(settings)
    msg["List-Unsubscribe"] = f"<mailto:{smtp.from_addr}?subject=unsubscribe>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(rendered.text)
    msg.add_alternative(inline_css(rendered.html), subtype="html")
    return msg
