"""The mailed templates are inlined once, on load: every page they render is the page that inlining
the rendered page would give (the same elements, the same styles), and a template the HTML parser
would rearrange is kept as written and inlined page by page instead."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html.parser
import shutil

import jinja2
import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.delivery.message import compose_message
from papercast.links.issue import IssueLinks
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.inline import has_style_block, inline_css, inlined_template
from papercast.newsletter.notes import render_note
from papercast.newsletter.plan import Item, NewsletterPlan, Section
from papercast.newsletter.render import make_environment, render_newsletter, shipped_templates
from papercast.settings import Reader

WHEN = dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.timezone.utc)
TITLES = ["KV-Lite: Two-Bit <Key>-Value Cache & \"Quantization\"", "O'Brien's {{ config }} {% raw %} Reasoning",
          "Zoë's “Multimodal” Agents — a Survey"]


def as_written() -> jinja2.Environment:
    """The shipped templates exactly as written: what every page was inlined from before."""
    env = make_environment()
    env.loader = jinja2.FileSystemLoader(shipped_templates())
    return env


class Events(html.parser.HTMLParser):
    """A page as its parser sees it: tags with their attributes (in any order), text, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(("start", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.seen.append(("end", tag))

    def handle_data(self, data):
        self.seen.append(("text", data))

    def handle_comment(self, data):
        self.seen.append(("comment", data))


def events(page: str) -> list[tuple]:
    parser = Events()
    parser.feed(page)
    parser.close()
    return parser.seen


def item(n: int, profile: str) -> Item:
    paper = StoredPaper(id=f"t:{n}", title=TITLES[n % 3], abstract="Long contexts & <b>caches</b>. " * (n + 3),
                        first_seen=dt.date(2026, 11, 16), first_source="digest.txt",
                        authors=("A. Author", "B. O'Author")[: n % 3], link=f"https://arxiv.org/abs/2411.0000{n}")
    return Item(paper, Assignment(paper.id, profile, 0.8, f"title mentions {profile}"))


def plans() -> list[tuple[NewsletterPlan, IssueLinks]]:
    """Newsletters with one and several sections, explore sections, vote links, tune links and a feed."""
    reader = Reader(email="ada@example.org", name="Ada <Lovelace>", profiles=["efficient-llm", "reasoning"],
                    max_papers=9)
    one = (Section("efficient-llm", "Efficient & LLM", (item(1, "efficient-llm"),)),)
    many = (*one, Section("reasoning", "Reasoning", tuple(item(n, "reasoning") for n in range(2, 6))))
    explore = (Section("reasoning", "Reasoning", (item(7, "reasoning"), item(8, "reasoning"))),)
    votes = {f"t:{n}": (f"https://papers.example.org/v?p=t:{n}&d=up", f"https://papers.example.org/v?p=t:{n}&d=down")
             for n in range(9)}
    full = IssueLinks("https://papers.example.org/u?r=1&s=2", votes, "https://papers.example.org/feed?r=1",
                      (("Efficient & LLM", "https://papers.example.org/tune?l=a"), ("Reasoning", "https://x.org/t")))
    cases = [(one, (), IssueLinks()), (many, explore, full), (many, (), IssueLinks("mailto:papers@example.org"))]
    return [(NewsletterPlan(f"issue-{n}", reader, dt.date(2026, 11, 23), sections, WHEN, more), links)
            for n, (sections, more, links) in enumerate(cases)]


@pytest.mark.parametrize("case", range(3))
def test_an_inlined_template_renders_the_page_inlining_would_give(case):
    plan, links = plans()[case]
    page = render_newsletter(make_environment(), plan, links=links).html
    written = render_newsletter(as_written(), plan, links=links).html
    assert not has_style_block(page) and has_style_block(written)
    assert 'style="' in page
    assert events(inline_css(page)) == events(inline_css(written))  # the same elements, styles and text


def test_the_nothing_new_note_is_inlined_too(tmp_path):
    settings = load_settings(write_config(tmp_path))
    note = NewsletterPlan("note", settings.readers[0], dt.date(2026, 11, 23), (), WHEN)
    page = render_note(make_environment(), settings, note, "https://papers.example.org/u?r=1").html
    written = render_note(as_written(), settings, note, "https://papers.example.org/u?r=1").html
    assert not has_style_block(page) and events(inline_css(page)) == events(inline_css(written))


def test_a_template_the_parser_would_rearrange_is_kept_and_its_pages_inlined_one_by_one(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(shipped_templates(), templates)
    source = (templates / "newsletter.html.j2").read_text(encoding="utf-8")
    moved = source.replace('<tr><td class="card">', "{% if true %}<tr>{% endif %}<td class=\"card\">", 1)
    (templates / "newsletter.html.j2").write_text(moved, encoding="utf-8")
    env = make_environment(templates)
    assert inlined_template(env, moved) is None  # a tag inside <table>, outside a cell, would move
    assert env.loader.get_source(env, "newsletter.html.j2")[0] == moved
    plan, links = plans()[1]
    rendered = render_newsletter(env, plan, links=links)
    assert has_style_block(rendered.html)
    settings = load_settings(write_config(tmp_path, extra='[smtp]\nfrom_addr = "papers@example.org"\n'))
    message = email.message_from_bytes(compose_message(rendered, settings).data, policy=email.policy.default)
    html = message.get_body(("html",)).get_content()
    assert "<style" not in html and 'class="card" style="' in html  # inlined for the message, as before


def test_templates_without_a_style_block_or_with_css_that_needs_a_page_are_kept():
    env = make_environment()
    assert inlined_template(env, "<p>{{ x }}</p>") is None
    assert inlined_template(env, "<style>p { color: {{ colour }}; }</style><p>{{ x }}</p>") is None
    assert inlined_template(env, "<style>p { color: red; }</style><p>{{ x }}</p>").endswith(
        '<p style="color: red;">{{ x }}</p></body></html>')
