"""Parser for the Hugging Face Daily Papers page saved as text.

Layout: a few header lines, the page date without a year ("May 7"), then
title / abstract pairs separated by blank lines. Real captures come with CRLF,
extra header lines, missing abstracts, repeated titles and truncations: each
becomes a warning; only a file with no date line at all is refused.
"""

from __future__ import annotations

import datetime as dt
import re

from papercast.errors import SourceError
from papercast.models import Digest, Paper, Problem
from papercast.sources.detect import head

KNOWN_HEADER = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "byak and the research community",
    "daily papers",
}
DATE_LINE = re.compile(
    r"^(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})(st|nd|rd|th)?"
    r"(,?\s+(?P<year>\d{4}))?$",
    re.IGNORECASE,
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# C0 controls other than tab / line breaks (NUL from a damaged copy, form feeds, escapes): never text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONG_ABSTRACT_WORDS = 40  # titles on the real pages stay under 30 words
MIN_ABSTRACT_WORDS = 15  # a shorter line is a title unless it is the file's last
SENTENCE_END = (".", "!", "?", ")", "]", '"', "”")


def detect(text: str) -> bool:
    """Text (not markup or JSON) with a page date line near its top."""
    if head(text).startswith(("[", "{", "<")):
        return False
    return find_date_line(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) is not None


def parse(data: bytes, text: str, source: str, as_of: dt.date) -> Digest:
    return parse_daily_text(text, source, as_of)


def parse_daily_text(text: str, source: str, as_of: dt.date) -> Digest:
    """Parse a Daily Papers text capture into a Digest (warnings, never a crash)."""
    text, warnings = without_control_chars(text, source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    date_index = find_date_line(lines)
    if date_index is None:
        raise SourceError("not a Daily Papers digest: no page date line such as 'May 7' found", source=source)
    warnings += header_warnings(lines[:date_index], source)
    date = infer_date(lines[date_index].strip(), as_of, source)
    body = [line.strip() for line in lines[date_index + 1 :]]
    papers, body_warnings = pair_titles_and_abstracts(body, source)
    if not papers:
        body_warnings.append(Problem(source, "digest holds no papers"))
    return Digest(
        source=source, date=date, papers=tuple(papers), format="daily-text", warnings=tuple(warnings + body_warnings)
    )


def without_control_chars(text: str, source: str) -> tuple[str, list[Problem]]:
    cleaned, count = CONTROL_CHARS.subn("", text)
    if not count:
        return text, []
    return cleaned, [Problem(source, f"removed {count} control character(s) such as NUL: the file looks damaged")]


def find_date_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines[:60]):
        if DATE_LINE.match(line.strip()):
            return index
    return None


def header_warnings(header: list[str], source: str) -> list[Problem]:
    extra = [line.strip() for line in header if line.strip() and line.strip().lower() not in KNOWN_HEADER]
    if not extra:
        return []
    return [Problem(source, f"ignored {len(extra)} unexpected header line(s), first: {extra[0][:60]!r}")]


def infer_date(text: str, as_of: dt.date, source: str | None = None) -> dt.date:
    """The page date; without a year, the most recent such date not after `as_of`."""
    match = DATE_LINE.match(text.strip())
    if match is None:
        raise SourceError(f"not a page date: {text[:40]!r}", source=source)
    month, day = MONTHS.index(match["month"][:3].lower()) + 1, int(match["day"])
    years = [int(match["year"])] if match["year"] else range(as_of.year, as_of.year - 8, -1)
    for year in years:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # Feb 29 in a year without it, May 32, year 0
            continue
        if match["year"] or candidate <= as_of:
            return candidate
    raise SourceError(f"the page date {text!r} is not a real date (before {as_of})", source=source)


def is_abstract(line: str) -> bool:
    """Abstracts are long prose; titles are short and rarely hold a full stop."""
    words = len(line.split())
    if words >= LONG_ABSTRACT_WORDS:
        return True
    return words >= MIN_ABSTRACT_WORDS and (". " in line or line.endswith("."))


def pair_titles_and_abstracts(body: list[str], source: str) -> tuple[list[Paper], list[Problem]]:
    """Walk the non-empty lines: a title, then (usually) its abstract."""
    blocks = [line for line in body if line]
    papers: list[Paper] = []
    warnings: list[Problem] = []
    seen: set[str] = set()
    index = 0
    while index < len(blocks):
        line = blocks[index]
        if DATE_LINE.match(line):
            warnings.append(Problem(source, f"second date line {line!r} ignored; papers keep the first date"))
            index += 1
            continue
        if line.lower() in KNOWN_HEADER:  # the page header again: two captures pasted together
            index += 1
            continue
        if is_abstract(line) and not is_title_before_abstract(blocks, index):
            warnings.append(Problem(source, f"abstract without a title skipped: {line[:60]!r}"))
            index += 1
            continue
        abstract, index = take_abstract(blocks, index + 1)
        paper = Paper(title=line, abstract=abstract)
        if not abstract:
            warnings.append(Problem(source, f"paper without an abstract: {line[:80]!r}"))
        if paper.title_key in seen:
            warnings.append(Problem(source, f"repeated title kept once: {line[:80]!r}"))
        else:
            seen.add(paper.title_key)
            papers.append(paper)
    warnings.extend(truncation_warnings(blocks, papers, source))
    return papers, warnings


def is_title_before_abstract(blocks: list[str], index: int) -> bool:
    """A long, sentence-like title is still a title when a longer abstract follows it."""
    following = blocks[index + 1] if index + 1 < len(blocks) else ""
    return is_abstract(following) and len(following) > 2 * len(blocks[index])


def take_abstract(blocks: list[str], index: int) -> tuple[str, int]:
    """The abstract at `index` (a long line, or the last line of the file), and the next index."""
    last = index == len(blocks) - 1
    if index < len(blocks) and (is_abstract(blocks[index]) or last) and not DATE_LINE.match(blocks[index]):
        return blocks[index], index + 1
    return "", index


def truncation_warnings(blocks: list[str], papers: list[Paper], source: str) -> list[Problem]:
    if not papers or not blocks:
        return []
    last = papers[-1]
    if last.abstract and not last.abstract.rstrip().endswith(SENTENCE_END):
        return [Problem(source, f"file looks truncated: the abstract of {last.title[:60]!r} ends mid-sentence")]
    return []
