"""Parser for the Hugging Face daily-papers JSON: a list of objects, each with a `paper`.

`paper` holds `id` (the arXiv id), `title`, `summary`, `authors` (objects with `name`) and
`publishedAt`; the outer object's `publishedAt` is when the paper reached the daily list,
and is the date used. Entries without a title are dropped with a warning.
"""

from __future__ import annotations

import datetime as dt
import json

from dateutil import parser as dateparser

from papercast.errors import SourceError
from papercast.identity import find_arxiv_id
from papercast.models import Digest, Paper, Problem
from papercast.sources.detect import head
from papercast.sources.html_text import html_to_text

PAPER_PAGE = "https://arxiv.org/abs/{id}"  # the paper itself, whichever list brought it


def looks_like_hf_json(value: object) -> bool:
    """A list whose objects carry a `paper` object (an empty list counts)."""
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("paper"), dict) for item in value
    )


def detect(text: str) -> bool:
    """JSON: checked in depth by the parser (JSON of another shape is this format's error, not another's)."""
    return head(text).startswith(("[", "{"))


def parse(data: bytes, text: str, source: str, as_of: dt.date) -> Digest:
    return parse_hf_json(text, source, as_of)


def parse_hf_json(text: str, source: str, as_of: dt.date) -> Digest:
    """Parse the daily-papers JSON into a Digest; its date is the newest entry's, else `as_of`."""
    items = load_items(text, source)
    papers, seen, untitled = [], set(), 0
    for item in items:
        paper = item_paper(item)
        if paper is None:
            untitled += 1
        elif (paper.arxiv_id or paper.title_key) not in seen:
            seen.add(paper.arxiv_id or paper.title_key)
            papers.append(paper)
    dates = [p.published for p in papers if p.published]
    return Digest(
        source=source,
        date=min(max(dates), as_of) if dates else as_of,
        papers=tuple(papers),
        format="hf-json",
        warnings=tuple(item_problems(source, len(items), untitled)),
    )


def load_items(text: str, source: str) -> list[dict]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"not valid JSON: {exc}", source=source) from None
    if not looks_like_hf_json(value):
        raise SourceError(
            "JSON, but not the Hugging Face daily-papers list (expected a list of objects each holding a 'paper')",
            source=source,
        )
    return value


def item_problems(source: str, total: int, untitled: int) -> list[Problem]:
    problems = []
    if total == 0:
        problems.append(Problem(source, "daily-papers list is empty"))
    if untitled:
        problems.append(Problem(source, f"skipped {untitled} daily-papers entry(s) without a title"))
    return problems


def item_paper(item: dict) -> Paper | None:
    paper = item["paper"]
    title = html_to_text(str(paper.get("title") or item.get("title") or ""))
    if not title:
        return None
    arxiv_id = find_arxiv_id(str(paper.get("id") or ""))
    return Paper(
        title=title,
        abstract=html_to_text(str(paper.get("summary") or item.get("summary") or "")),
        arxiv_id=arxiv_id,
        authors=author_names(paper.get("authors")),
        link=PAPER_PAGE.format(id=arxiv_id) if arxiv_id else None,
        published=iso_date(item.get("publishedAt") or paper.get("publishedAt")),
    )


def author_names(authors: object) -> tuple[str, ...]:
    if not isinstance(authors, list):
        return ()
    names = (a.get("name") if isinstance(a, dict) else a for a in authors)
    return tuple(str(name).strip() for name in names if name and str(name).strip())


def iso_date(text: object) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dateparser.isoparse(text).date()
    except ValueError:
        return None
