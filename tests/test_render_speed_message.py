"""The fast message composer writes exactly the bytes the email package writes for the same newsletter.

The reference below is how papercast built its messages with `EmailMessage` before the
composer, given the composer's MIME boundary (derived from the issue id) so the bytes compare.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email.message import EmailMessage

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.settings import Reader
from papercast.delivery.message import (MessageComposer, NewsletterPolicy, address, list_id, message_id,
                               unsubscribe_links)
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.plan import Item, NewsletterPlan, Section
from papercast.delivery.message import email_html
from papercast.newsletter.render import RenderedNewsletter, make_environment, one_line, render_newsletter

WHEN = dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.timezone.utc)
LONG_ASCII = "A line far longer than seventy-eight characters, " * 3
LONG_CJK = "长文本的摘要内容" * 20
TEXTS = {
    "short ascii (7bit)": "Hello\nthree short lines\nbye\n",
    "short non-ascii (8bit)": "Grüße\nZoë Ünal\n",
    "long line, few lines (quoted-printable)": f"Hi\n{LONG_ASCII}\n=3D and tabs\t\n",
    "long line, many lines (quoted-printable)": "\n".join([LONG_ASCII] + [f"line {n} é" for n in range(30)]),
    "long line, eleven lines (quoted-printable)": "\n".join([LONG_ASCII] * 11),
    "long non-latin lines (base64)": "\n".join([LONG_CJK] * 14),
    "mixed line endings": "one\r\ntwo\rthree\nfour" + LONG_ASCII,
    "empty": "",
}
HTMLS = {"short (7bit)": "<p>hi</p>", "styled": "<html><head><style>p { color: red; }</style></head>"
         "<body><p>" + LONG_ASCII + "</p></body></html>", "non-latin": f"<p>{LONG_CJK}</p>" * 12}


def reference_bytes(rendered: RenderedNewsletter, settings, when: dt.datetime, boundary: str) -> bytes:
    """The message as the email package builds and flattens it (papercast's former build_message)."""
    smtp = settings.smtp
    reader = rendered.plan.reader
    unsubscribe = unsubscribe_links(settings, reader)
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
    if unsubscribe.one_click:
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(rendered.text)
    msg.add_alternative(email_html(rendered.html, 78), subtype="html")
    msg.set_boundary(boundary)
    return msg.as_bytes()


def settings_for(tmp_path, smtp_extra: str = ""):
    smtp = f'[smtp]\nfrom_addr = "papers@example.org"\nfrom_name = "Papercast Wöchentlich"\n{smtp_extra}\n'
    return load_settings(write_config(tmp_path, extra=smtp))


def a_plan(name: str = "Ada Lovelace", email_addr: str = "ada@example.org", title: str = "KV-Lite") -> NewsletterPlan:
    reader = Reader(email=email_addr, name=name, profiles=["efficient-llm"], max_papers=5)
    paper = StoredPaper(id="t:1", title=title, abstract="Serving long documents is dominated by the KV cache. " * 9,
                        first_seen=dt.date(2026, 11, 16), first_source="digest.txt",
                        link="https://arxiv.org/abs/2411.00001")
    item = Item(paper, Assignment("t:1", "efficient-llm", 0.86, "title mentions quantization"))
    return NewsletterPlan("2026-11-23-ada-abc123-0000", reader, dt.date(2026, 11, 23),
                          (Section("efficient-llm", "Efficient LLM inference", (item,)),), WHEN)


def assert_same_bytes(composer: MessageComposer, rendered: RenderedNewsletter, settings) -> None:
    composed = composer.compose(rendered)
    boundary = re.search(rb'boundary="([^"]+)"', composed.data).group(1).decode()
    assert composed.data == reference_bytes(rendered, settings, WHEN, boundary)
    assert composer.compose(rendered).data == composed.data, "the same issue composes to the same bytes"
    assert composed.message_id == "<2026-11-23-ada-abc123-0000@example.org>"


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
@pytest.mark.parametrize("html", HTMLS.values(), ids=HTMLS.keys())
def test_every_body_encoding_gives_the_email_packages_bytes(tmp_path, text, html):
    settings = settings_for(tmp_path)
    rendered = RenderedNewsletter(a_plan(), "papercast 2026-11-23: 1 new paper for you", html, text)
    assert_same_bytes(MessageComposer(settings), rendered, settings)


HEADER_CASES = {
    "one-click unsubscribe": 'unsubscribe_url = "https://example.org/unsubscribe?list={list}&reader={token}"',
    "reply-to and list id": 'reply_to = "Editors <editors@example.org>"\nlist_id = "weekly.example.org"',
    "mailto only": "",
}
READERS = [("Zoë Ünal-Şahin", "zoe@example.org"), ("Evil\r\nBcc: victim@example.net", "evil@example.org"),
           ("A Very Long Display Name That Certainly Needs Folding Across Lines Ünïcödé", "long@example.org"),
           ("", "noname@example.org"), ('Quote "Me", Please', "q@example.org"),
           # the composer writes plain names and addresses itself: at its edges too
           ("Ada Lovelace", "ada.king+news@mail.example.org"), ("Dr. Ada O'Brien", "ada@example.org"),
           ("Ada  Lovelace ", "ada@example.org"), ("Ada Augusta King Countess of Lovelace Byron", "a" * 24 + "@example.org"),
           ("Plain Name", "plain" + ".x" * 40 + "@example.org"), ("Ada", "ada@xn--bcher-kva.example")]


@pytest.mark.parametrize("smtp_extra", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_headers_match_for_names_lists_and_unsubscribe_links(tmp_path, smtp_extra):
    settings = settings_for(tmp_path, smtp_extra)
    composer = MessageComposer(settings)
    env = make_environment()
    for seed, (name, addr) in enumerate(READERS):  # one composer for all: shared headers are reused
        plan = a_plan(name, addr, title=f"Paper for reader {seed} <b>é</b>")
        rendered = render_newsletter(env, plan, unsubscribe_links(settings, plan.reader).body_link)
        assert_same_bytes(composer, rendered, settings)


def test_long_non_ascii_subjects_fold_alike(tmp_path):
    settings = settings_for(tmp_path)
    subject = "papercast: " + "Ünïcödé Überschrift " * 8
    rendered = RenderedNewsletter(a_plan(), subject, "<p>x</p>", "x\n")
    assert_same_bytes(MessageComposer(settings), rendered, settings)
