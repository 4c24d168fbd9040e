"""The links in messages: the app's signed unsubscribe URL under [site] base_url (with RFC 8058 one-click
for https), the same bytes when an issue is written again, and every paper title a link, on the real
Daily Papers captures, in the HTML and the text part."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import re
from html.parser import HTMLParser

import pytest

from conftest import AS_OF, write_config
from goldens import assert_golden
from papercast.config import load_settings
from papercast.delivery.message import MessageComposer, compose_message, unsubscribe_links
from papercast.models import Digest, Paper
from papercast.newsletter.render import make_environment, render_newsletter
from papercast.links.papers import paper_url, title_search
from papercast.sources import parse_input
from papercast.store import Store
from stages import classify, plan_and_write
from test_message import plan

SECRET = "test-secret-0123456789abcdef"
HTTPS = '[site]\nbase_url = "https://papers.example.org/"\n[smtp]\nfrom_addr = "papers@example.org"\n'
FAST = '[classify]\nbackend = "keywords"\nthreshold = 0.3\n'
ALL_PROFILES = """
[[readers]]
email = "ada@example.org"
name = "Ada Lovelace"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 40
"""


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)


def message(settings, the_plan=None) -> tuple[bytes, email.message.EmailMessage]:
    the_plan = the_plan or plan()
    rendered = render_newsletter(make_environment(), the_plan, unsubscribe_links(settings, the_plan.reader).body_link)
    raw = compose_message(rendered, settings).data
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def test_https_base_url_gives_the_apps_one_click_url_and_the_mailto(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=HTTPS))
    raw, msg = message(settings)
    app_url, mailto = [part.strip(" <>") for part in msg["List-Unsubscribe"].split(",")]
    assert re.fullmatch(r"https://papers\.example\.org/unsubscribe\?r=[a-z2-7]{16}&l=papercast\.example\.org"
                        r"&s=[A-Za-z0-9_-]{22}", app_url)
    assert mailto == "mailto:papers@example.org?subject=unsubscribe"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "ada" not in app_url and SECRET not in raw.decode("ascii")
    for part in msg.iter_parts():  # the footer links to the same page (GET asks before anything changes)
        assert app_url.replace("&", "&amp;" if part.get_content_subtype() == "html" else "&") in part.get_content()


def test_http_base_url_is_listed_but_without_one_click(tmp_path):
    settings = load_settings(write_config(tmp_path, extra='[site]\nbase_url = "http://127.0.0.1:8080"\n'))
    _, msg = message(settings)
    assert msg["List-Unsubscribe"].startswith("<http://127.0.0.1:8080/unsubscribe?r=")
    assert msg["List-Unsubscribe-Post"] is None  # RFC 8058 one-click needs https


def test_base_url_wins_over_an_operators_unsubscribe_url(tmp_path):
    extra = HTTPS + 'unsubscribe_url = "https://own.example.org/u?r={token}"\n'
    _, msg = message(load_settings(write_config(tmp_path, extra=extra)))
    assert msg["List-Unsubscribe"].startswith("<https://papers.example.org/unsubscribe?")
    assert "own.example.org" not in msg["List-Unsubscribe"]


def test_the_same_issue_is_the_same_bytes_and_another_secret_other_links(tmp_path, monkeypatch):
    settings = load_settings(write_config(tmp_path, extra=HTTPS))
    first, _ = message(settings)
    assert message(settings)[0] == first
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", "another-secret-0123456789")
    assert message(settings)[0] != first


def test_eml_with_app_links_matches_golden(tmp_path):
    raw, _ = message(load_settings(write_config(tmp_path, extra=HTTPS)))
    assert_golden("newsletter-web.eml", raw.decode("ascii").replace("\r\n", "\n"), [(r"={10,}[0-9]+==", "=BOUNDARY==")])


def test_a_dry_run_without_the_secret_writes_unsigned_links_and_sending_refuses(tmp_path, monkeypatch):
    from papercast.errors import ConfigError

    monkeypatch.delenv("PAPERCAST_WEB_SECRET")
    settings = load_settings(write_config(tmp_path, extra=HTTPS))
    _, msg = message(settings)
    assert "&s=unsigned>" in msg["List-Unsubscribe"]
    the_plan = plan()
    rendered = render_newsletter(make_environment(), the_plan, "")
    with pytest.raises(ConfigError, match="PAPERCAST_WEB_SECRET is not set"):
        MessageComposer(settings).compose(rendered, sending=True)


class Anchors(HTMLParser):
    """Each h3.paper-title's text, and the href of the <a> that holds all of it."""

    def __init__(self):
        super().__init__()
        self.titles: list[tuple[str, str | None]] = []
        self.in_title = self.in_link = False
        self.href, self.text, self.outside = None, "", ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h3" and "paper-title" in (attrs.get("class") or ""):
            self.in_title, self.href, self.text, self.outside = True, None, "", ""
        elif tag == "a" and self.in_title:
            self.in_link, self.href = True, attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False
        elif tag == "h3" and self.in_title:
            self.in_title = False
            self.titles.append((self.text, self.href if not self.outside.strip() else None))

    def handle_data(self, data):
        if self.in_link:
            self.text += data
        elif self.in_title:
            self.outside += data


def test_every_paper_title_is_a_web_link_in_every_real_newsletter(tmp_path, shared_digests):
    settings = load_settings(write_config(tmp_path, readers=ALL_PROFILES, extra=HTTPS + FAST))
    with Store.open(settings.paths.state) as store:
        for name in sorted(path.name for path in shared_digests.glob("*.txt")):
            run = store.runs.start_run(AS_OF)
            store.papers.ingest_digest(parse_input((shared_digests / name).read_bytes(), name, AS_OF), run)
        classify(store, settings, run)
        written = plan_and_write(store, settings, AS_OF, run_id=run)
        papers = store.papers.papers(list(written[0].papers))
    msg = email.message_from_bytes(written[0].files[0].read_bytes(), policy=email.policy.default)
    anchors = Anchors()
    anchors.feed(msg.get_body(("html",)).get_content())
    assert len(anchors.titles) == len(papers) >= 20
    for text, href in anchors.titles:
        assert href and re.match(r"https?://", href), text
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    for paper in papers.values():  # no id in the page text: an arXiv title search that names the paper
        assert paper.arxiv_id is None and paper_url(paper) == title_search(paper.title)
        assert f"  {paper_url(paper)}\n" in text


def test_a_later_source_with_the_arxiv_id_turns_the_search_into_the_abstract(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=HTTPS + FAST))
    title = "Four-Bit Quantization of the KV Cache"
    with Store.open(settings.paths.state) as store:
        run = store.runs.start_run(dt.date(2026, 11, 16))
        store.papers.ingest_digest(Digest("page.txt", dt.date(2026, 11, 16), (Paper(title, "quantization"),), "h1"), run)
        before = store.papers.paper(Paper(title).id)
        feed = Paper(title, "quantization", arxiv_id="2611.01234", link="https://arxiv.org/abs/2611.01234v2")
        store.papers.ingest_digest(Digest("arxiv.rss", dt.date(2026, 11, 17), (feed,), "h2", "rss"), run)
        after = store.papers.paper(before.id)
    assert paper_url(before).startswith("https://arxiv.org/search/?query=Four-Bit+Quantization+of+the+KV+Cache")
    assert paper_url(after) == "https://arxiv.org/abs/2611.01234"


def test_tex_residue_is_left_out_of_the_search_and_odd_links_are_ignored():
    paper = dataclasses.replace(plan().sections[0].items[0].paper, title="$O(n)$ Attention with \\textbf{Bold} Ideas",
                                link="javascript:alert(1)")
    expected = "https://arxiv.org/search/?query=O%28n%29+Attention+with+textbf+Bold+Ideas&searchtype=title"
    assert paper_url(paper) == expected
