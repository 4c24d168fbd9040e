"""Parser for RSS 2.0, RSS 1.0/RDF and Atom feeds, arXiv listings included (through feedparser).

arXiv listings: the id (without version) comes from the link or guid; entries that only
announce a new version of an older paper (`announce_type` replace / replace-cross, or the
old "UPDATED" titles) are skipped; a cross-list is kept once. Abstracts arrive as HTML and
leave as plain text. Entries without a title are dropped, entries without a date take the
feed's date; each of these becomes a warning naming the source.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

import feedparser
from dateutil import parser as dateparser

from papercast.errors import SourceError
from papercast.identity import find_arxiv_id
from papercast.models import Digest, Paper, Problem
from papercast.sources.detect import head
from papercast.sources.html_text import html_to_text

REPLACEMENT_TYPES = {"replace", "replace-cross"}
ARXIV_TITLE_SUFFIX = re.compile(r"\s*\(arXiv:[^)]*\)\s*$")
ARXIV_ABSTRACT_PREFIX = re.compile(r"^arXiv:\S+\s+Announce Type:\s*\S+\s*(Abstract:\s*)?", re.IGNORECASE)
BENIGN_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")
FEED_ROOT = re.compile(r"<(rss|feed|(\w+:)?RDF)[\s>]")


def detect(text: str) -> bool:
    """RSS 2.0, RSS 1.0/RDF or Atom: markup whose root is a feed's."""
    start = head(text)
    return start.startswith("<") and FEED_ROOT.search(start) is not None


def parse(data: bytes, text: str, source: str, as_of: dt.date) -> Digest:
    """Feeds get the bytes, so their XML encoding declaration counts."""
    return parse_feed(data, source, as_of)


def parse_feed(data: bytes, source: str, as_of: dt.date) -> Digest:
    """Parse one feed document into a Digest; its date is the newest entry's, else `as_of`."""
    parsed = read_feed_document(data, source)
    warnings = bozo_warnings(parsed, source)
    channel = channel_date(parsed.feed)
    papers, untitled = read_entries(parsed.entries)
    warnings += entry_problems(source, papers, untitled, channel)
    if not parsed.entries:
        warnings.append(Problem(source, "feed holds no entries"))
    dates = [paper.published for paper in papers if paper.published]
    date = min(max(dates) if dates else channel or as_of, as_of)
    return Digest(
        source=source,
        date=date,
        papers=tuple(papers),
        format=f"feed-{parsed.version or 'xml'}",
        warnings=tuple(warnings),
    )


def read_feed_document(data: bytes, source: str):
    """feedparser's view of the bytes; a broken encoding declaration is this file's error, not a crash."""
    try:
        return feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except (UnicodeError, LookupError) as exc:
        raise SourceError(f"feed with an unusable character encoding: {exc}", source=source) from None


def bozo_warnings(parsed, source: str) -> list[Problem]:
    """A broken document with nothing readable is an error; otherwise a warning."""
    if not parsed.get("bozo"):
        return []
    problem = parsed.get("bozo_exception")
    if type(problem).__name__ in BENIGN_BOZO:
        return [Problem(source, f"feed encoding or content type is off ({problem}); read anyway")]
    if not any(entry.get("title") for entry in parsed.entries):
        raise SourceError(f"malformed feed: {problem}", source=source)
    return [Problem(source, f"malformed feed ({problem}); kept the {len(parsed.entries)} entries that could be read")]


def read_entries(entries) -> tuple[list[Paper], list[str]]:
    """Papers in feed order, each arXiv id once, replacements skipped; and the untitled entries."""
    papers: list[Paper] = []
    untitled: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        if is_replacement(entry):
            continue
        paper = entry_paper(entry)
        if paper is None:
            untitled.append(entry.get("link") or entry.get("id") or f"entry {len(papers) + len(untitled) + 1}")
        elif (paper.arxiv_id or paper.title_key) not in seen:
            seen.add(paper.arxiv_id or paper.title_key)
            papers.append(paper)
    return papers, untitled


def entry_problems(source: str, papers: list[Paper], untitled: list[str], channel: dt.date | None) -> list[Problem]:
    """Untitled entries, and undated ones when the feed itself has no date either."""
    problems = []
    if untitled:
        problems.append(
            Problem(source, f"skipped {len(untitled)} feed entry(s) without a title: {', '.join(untitled[:3])}")
        )
    undated = [paper.title for paper in papers if paper.published is None]
    if undated and channel is None:
        problems.append(
            Problem(source, f"{len(undated)} feed entry(s) without a readable date, dated with the run: {undated[0]!r}")
        )
    return problems


def is_replacement(entry) -> bool:
    """A new version of an already announced paper, in the current or the old arXiv format."""
    announce = (entry.get("arxiv_announce_type") or "").strip().lower()
    return announce in REPLACEMENT_TYPES or entry.get("title", "").rstrip().endswith("UPDATED)")


def entry_paper(entry) -> Paper | None:
    title = clean_title(entry.get("title", ""))
    if not title:
        return None
    return Paper(
        title=title,
        abstract=entry_abstract(entry),
        arxiv_id=entry_arxiv_id(entry),
        authors=entry_authors(entry),
        link=entry.get("link") or None,
        categories=entry_categories(entry),
        published=entry_date(entry),
    )


def clean_title(title: str) -> str:
    """Plain text, one line, without the old arXiv '(arXiv:... [cs.LG])' suffix."""
    return ARXIV_TITLE_SUFFIX.sub("", html_to_text(title)).rstrip(". ").strip() if title else ""


def entry_abstract(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", [])]
    html = entry.get("summary") or next((c for c in contents if c), "")
    return ARXIV_ABSTRACT_PREFIX.sub("", html_to_text(html))


def entry_arxiv_id(entry) -> str | None:
    """The arXiv id from the entry's id, link or guid, when one of them points at arXiv."""
    candidates = [entry.get("id", ""), entry.get("link", "")]
    candidates += [link.get("href", "") for link in entry.get("links", [])]
    for text in candidates:
        if "arxiv" in text.lower() or "/papers/" in text:
            found = find_arxiv_id(text)
            if found:
                return found
    return None


def entry_authors(entry) -> tuple[str, ...]:
    """Author names; arXiv's one-line 'A, B, C' creator is split, HTML links unwrapped."""
    names = [html_to_text(a.get("name", "")) for a in entry.get("authors", [])]
    if len(names) == 1 and "," in names[0]:
        names = names[0].split(",")
    return tuple(name.strip() for name in names if name.strip())


def entry_categories(entry) -> tuple[str, ...]:
    terms = (tag.get("term") or "" for tag in entry.get("tags", []))
    return tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))


def entry_date(entry) -> dt.date | None:
    """The entry's date as the feed wrote it (its own time zone), odd formats included."""
    present = set(entry.keys())  # asking feedparser for a missing `updated` raises a DeprecationWarning
    for key in ("published", "updated", "created", "dc_date"):
        found = parse_date_text(entry[key]) if key in present else None
        if found:
            return found
    for key in ("published_parsed", "updated_parsed"):
        if key in present and entry[key]:
            return dt.date(*entry[key][:3])
    return None


def parse_date_text(text: str | None) -> dt.date | None:
    """RFC 822 and ISO 8601 the fast way; anything else through python-dateutil (fuzzy last)."""
    if not text:
        return None
    for quick in (parsedate_to_datetime, dt.datetime.fromisoformat):
        try:
            return quick(text.strip()).date()
        except (TypeError, ValueError, IndexError):
            continue
    for fuzzy in (False, True):
        try:
            return dateparser.parse(text, fuzzy=fuzzy).date()
        except (ValueError, OverflowError):
            continue
    return None


def channel_date(feed) -> dt.date | None:
    """The feed's own date (arXiv's RSS 1.0 listings date only the channel)."""
    present = set(feed.keys())
    for key in ("published", "updated", "dc_date"):
        found = parse_date_text(feed[key]) if key in present else None
        if found:
            return found
    return None
