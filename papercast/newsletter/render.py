"""Turn plans into pages: Jinja2 templates, autoescaped, strict about undefined names.

One render feeds the email, the archive and the feeds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from papercast.errors import RenderError
from papercast.links.issue import IssueLinks
from papercast.links.papers import paper_url
from papercast.newsletter.inline import InliningLoader
from papercast.newsletter.plan import NewsletterPlan

EXCERPT_CHARS = 320
FILTER_CACHE_SIZE = 8192  # excerpts a batch's newsletters share


@dataclass(frozen=True)
class RenderedNewsletter:
    plan: NewsletterPlan
    subject: str
    html: str
    text: str


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def one_line(text: str) -> str:
    """Collapse all whitespace, CR and LF included, to single spaces."""
    return " ".join(str(text).split())


def shipped_templates() -> Path:
    """The templates installed with papercast (the repository's templates/ folder)."""
    return Path(str(resources.files("papercast.templates")))


def make_environment(templates: Path | None = None) -> jinja2.Environment:
    """Templates from `templates`, or the shipped ones; the mailed pages with their CSS inlined."""
    templates = templates or shipped_templates()
    if not templates.is_dir():
        raise RenderError("templates folder not found", source=str(templates))
    env = jinja2.Environment(
        loader=InliningLoader(templates),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "xml.j2", "html")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run: no stat of the file per render
    )
    # The same papers recur in many readers' newsletters: their excerpts are wrapped once per environment.
    env.filters["excerpt"] = memoized(excerpt)
    env.filters["wordwrap"] = memoized(env.filters["wordwrap"])
    env.filters["one_line"] = one_line
    env.filters["paper_url"] = memoized(paper_url)  # where a paper's title links to (papercast/links/papers.py)
    return env


def memoized(text_filter: Callable, size: int = FILTER_CACHE_SIZE) -> Callable:
    """A pure filter that remembers its last `size` results (argument types kept apart, so
    markup and plain text never share one); Jinja's pass_environment marks are kept."""
    return functools.lru_cache(maxsize=size, typed=True)(text_filter)


def render_template(env: jinja2.Environment, name: str, **context) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"{type(exc).__name__}: {exc}", source=name) from None


def newsletter_subject(plan: NewsletterPlan) -> str:
    count = len(plan.paper_ids)
    noun = "paper" if count == 1 else "papers"
    return one_line(f"papercast {plan.date.isoformat()}: {count} new {noun} for you")


def render_newsletter(
    env: jinja2.Environment, plan: NewsletterPlan, unsubscribe_url: str = "", links: IssueLinks | None = None
) -> RenderedNewsletter:
    """The reader's newsletter as HTML (for the archive) and plain text, with its unsubscribe link and,
    when given, the reader's vote links on each paper and their private feed."""
    subject = newsletter_subject(plan)
    links = links or IssueLinks(unsubscribe_url)
    context = {
        "plan": plan,
        "reader": plan.reader,
        "subject": subject,
        "unsubscribe_url": links.unsubscribe,
        "votes": links.votes,
        "feed_url": links.feed,
        "tune": links.tune,
    }
    html = render_template(env, "newsletter.html.j2", **context)
    text = render_template(env, "newsletter.txt.j2", **context)
    return RenderedNewsletter(plan, subject, html, text)
