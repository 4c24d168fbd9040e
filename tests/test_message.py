"""The email: structure, standard headers, encoding, and paper text that cannot inject anything."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy

import pytest

from goldens import assert_golden
from papercast.config import load_settings
from papercast.settings import Reader
from papercast.delivery.message import compose_message, reader_token, unsubscribe_links
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.plan import Item, NewsletterPlan, Section
from papercast.newsletter.render import make_environment, render_newsletter

from conftest import write_config

WHEN = dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.timezone.utc)
UNSUBSCRIBE = 'unsubscribe_url = "https://example.org/unsubscribe?list={list}&reader={token}"'


def plan(title: str = "KV-Lite: Two-Bit Key-Value Cache Quantization", name: str = "Ada Lovelace",
         email_addr: str = "ada@example.org") -> NewsletterPlan:
    reader = Reader(email=email_addr, name=name, profiles=["efficient-llm"], max_papers=5)
    paper = StoredPaper(id="t:1", title=title, abstract="Serving long documents is dominated by the KV cache.",
                        first_seen=dt.date(2026, 11, 16), first_source="digest.txt",
                        link="https://arxiv.org/abs/2411.00001")
    item = Item(paper, Assignment("t:1", "efficient-llm", 0.86, "title mentions quantization"))
    return NewsletterPlan("2026-11-23-ada-abc123-0000", reader, dt.date(2026, 11, 23),
                          (Section("efficient-llm", "Efficient LLM inference", (item,)),), WHEN)


def settings_for(tmp_path, smtp_extra: str = UNSUBSCRIBE):
    smtp = f'[smtp]\nfrom_addr = "papers@example.org"\nfrom_name = "Papercast Wöchentlich"\n{smtp_extra}\n'
    return load_settings(write_config(tmp_path, extra=smtp))


def build(settings, the_plan: NewsletterPlan) -> tuple[bytes, email.message.EmailMessage]:
    link = unsubscribe_links(settings, the_plan.reader).body_link
    rendered = render_newsletter(make_environment(), the_plan, unsubscribe_url=link)
    raw = compose_message(rendered, settings).data
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def test_multipart_alternative_text_first_then_inlined_html(tmp_path):
    _, msg = build(settings_for(tmp_path), plan())
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    html = parts[1].get_content()
    assert "<style" not in html and 'style="' in html  # css-inline moved the CSS into attributes
    assert "KV-Lite: Two-Bit Key-Value Cache Quantization" in parts[0].get_content()


def test_standard_headers_and_one_click_unsubscribe(tmp_path):
    settings = settings_for(tmp_path)
    raw, msg = build(settings, plan())
    token = reader_token("papercast.example.org", "ada@example.org")
    https = f"https://example.org/unsubscribe?list=papercast.example.org&reader={token}"
    assert msg["Message-ID"] == "<2026-11-23-ada-abc123-0000@example.org>"
    assert msg["Date"] == "Mon, 23 Nov 2026 07:30:00 +0000"
    assert msg["List-Id"] == "papercast newsletter <papercast.example.org>"
    assert msg["List-Unsubscribe"] == f"<{https}>, <mailto:papers@example.org?subject=unsubscribe>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"List-Unsubscribe: <{https}>,\r\n <mailto:".encode() in raw  # never RFC 2047-encoded
    for part in msg.iter_parts():
        assert https.replace("&", "&amp;" if part.get_content_subtype() == "html" else "&") in part.get_content()


def test_without_an_https_template_only_mailto_and_no_one_click(tmp_path):
    _, msg = build(settings_for(tmp_path, smtp_extra=""), plan())
    assert msg["List-Unsubscribe"] == "<mailto:papers@example.org?subject=unsubscribe>"
    assert msg["List-Unsubscribe-Post"] is None  # RFC 8058 one-click needs an https URI
    assert "mailto:papers@example.org?subject=unsubscribe" in msg.get_body(("plain",)).get_content()


def test_the_same_issue_gives_the_same_bytes_and_its_date_is_when_it_was_planned(tmp_path):
    settings = settings_for(tmp_path)
    raw, first = build(settings, plan())
    again, _ = build(settings, plan())
    assert again == raw, "a rerun rewrites an interrupted outbox file identically"
    later = dataclasses.replace(plan(), planned_at=WHEN + dt.timedelta(hours=5))
    _, moved = build(settings, later)
    assert moved["Message-ID"] == first["Message-ID"]
    assert (first["Date"], moved["Date"]) == ("Mon, 23 Nov 2026 07:30:00 +0000", "Mon, 23 Nov 2026 12:30:00 +0000")


def test_non_ascii_names_and_subject_are_encoded_and_round_trip(tmp_path):
    raw, msg = build(settings_for(tmp_path), plan(name="Zoë Ünal-Şahin"))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert b"=?utf-8?" in head
    assert msg["To"].addresses[0].display_name == "Zoë Ünal-Şahin"
    assert msg["From"].addresses[0].display_name == "Papercast Wöchentlich"
    assert msg["Subject"] == "papercast 2026-11-23: 1 new paper for you"


@pytest.mark.parametrize("hostile", ["Evil\r\nBcc: victim@example.net", "Evil\nX-Injected: yes\n\n<b>body</b>"])
def test_cr_lf_in_paper_titles_and_names_cannot_add_headers(tmp_path, hostile):
    raw, msg = build(settings_for(tmp_path), plan(title=hostile, name=hostile))
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"\r\nX-Injected:" not in head
    assert all(part["Bcc"] is None and part["X-Injected"] is None for part in msg.walk())
    assert "\n" not in str(msg["To"]) and "Evil" in msg["To"].addresses[0].display_name


def test_markup_in_paper_text_is_escaped_in_the_sent_html(tmp_path):
    _, msg = build(settings_for(tmp_path), plan(title='Attack <img src=x onerror="alert(1)"> <script>x()</script>'))
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_only_web_links_become_anchors(tmp_path):
    the_plan = plan()
    item = the_plan.sections[0].items[0]
    hostile = Item(item.paper.__class__(**{**item.paper.__dict__, "link": "javascript:alert(1)"}), item.assignment)
    the_plan = NewsletterPlan(the_plan.issue_id, the_plan.reader, the_plan.date,
                              (Section("efficient-llm", "Efficient LLM inference", (hostile,)),), WHEN)
    _, msg = build(settings_for(tmp_path), the_plan)
    html = msg.get_body(("html",)).get_content()
    assert "javascript:" not in html and "KV-Lite" in html


def test_eml_matches_golden(tmp_path):
    raw, _ = build(settings_for(tmp_path), plan(name="Zoë Ünal"))
    text = raw.decode("ascii").replace("\r\n", "\n")
    assert_golden("newsletter.eml", text, [(r"={10,}[0-9]+==", "=BOUNDARY==")])
