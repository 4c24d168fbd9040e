"""Rendering: golden newsletters, escaping of hostile paper text, strict templates."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from goldens import assert_golden
from papercast.settings import Reader
from papercast.errors import RenderError
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.plan import Item, NewsletterPlan, Section
from papercast.newsletter.render import excerpt, make_environment, render_newsletter, render_template

HOSTILE_TITLE = "Breaking <script>alert('x')</script> {{ config }} {% raw %}"


def paper(pid: str, title: str, abstract: str, **extra) -> StoredPaper:
    return StoredPaper(id=pid, title=title, abstract=abstract, first_seen=dt.date(2026, 11, 16),
                       first_source="digest.txt", **extra)


def fixed_plan(title: str = "KV-Lite: Two-Bit Key-Value Cache Quantization") -> NewsletterPlan:
    reader = Reader(email="ada@example.org", name="Ada Lovelace", profiles=["efficient-llm", "reasoning"], max_papers=5)
    first = Item(paper("t:1", title, "Serving large language models on long documents is dominated by the memory "
                        "of the key-value cache. " * 6, authors=("A. Author", "B. Author"),
                        link="https://arxiv.org/abs/2411.00001"),
                 Assignment("t:1", "efficient-llm", 0.8647, "title mentions quantization"))
    second = Item(paper("t:2", "Step-Check: Verifying Chain-of-Thought", "Short abstract."),
                  Assignment("t:2", "reasoning", 0.6321, "title mentions chain-of-thought"))
    sections = (Section("efficient-llm", "Efficient LLM inference", (first,)),
                Section("reasoning", "Reasoning", (second,)))
    return NewsletterPlan("2026-11-23-ada-abc123-0000", reader, dt.date(2026, 11, 23), sections, 2)


def test_newsletter_html_matches_golden():
    rendered = render_newsletter(make_environment(), fixed_plan())
    assert_golden("newsletter.html", rendered.html)


def test_newsletter_text_matches_golden():
    rendered = render_newsletter(make_environment(), fixed_plan())
    assert_golden("newsletter.txt", rendered.text)


def test_hostile_paper_text_is_escaped_in_html_and_never_evaluated():
    rendered = render_newsletter(make_environment(), fixed_plan(HOSTILE_TITLE))
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in rendered.html
    assert "{{ config }}" in rendered.html and "{% raw %}" in rendered.html
    assert HOSTILE_TITLE in rendered.text  # plain text stays as written


def test_subject_is_one_line_and_counts_papers():
    rendered = render_newsletter(make_environment(), fixed_plan())
    assert rendered.subject == "papercast 2026-11-23: 2 new papers for you"


def test_strict_undefined_turns_a_template_mistake_into_a_render_error(tmp_path):
    (tmp_path / "broken.html.j2").write_text("{{ nothing_here.title }}", encoding="utf-8")
    with pytest.raises(RenderError, match="broken.html.j2"):
        render_template(make_environment(tmp_path), "broken.html.j2")


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("short text", 50, "short text"),
    ("one two three four five", 12, "one two…"),
    ("spaces   are\n folded", 50, "spaces are folded"),
])
def test_excerpt_cuts_at_word_boundaries(text, limit, expected):
    assert excerpt(text, limit) == expected


def test_environment_autoescapes_html_templates_only(tmp_path):
    (tmp_path / "a.html.j2").write_text("{{ x }}", encoding="utf-8")
    (tmp_path / "a.txt.j2").write_text("{{ x }}", encoding="utf-8")
    env = make_environment(tmp_path)
    assert env.get_template("a.html.j2").render(x="<b>") == "&lt;b&gt;"
    assert env.get_template("a.txt.j2").render(x="<b>") == "<b>"
    assert isinstance(env.undefined, type) and issubclass(env.undefined, jinja2.StrictUndefined)
