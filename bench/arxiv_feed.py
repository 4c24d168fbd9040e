"""A week of ../shared/data/arxiv-new as the RSS 2.0 file arXiv's listing feed serves: what a user drops in the inbox.

    .venv/bin/python bench/arxiv_feed.py [WEEK] [OUT]     # WEEK: 2025-W22 (default); OUT: a file or - (stdout)
    .venv/bin/python bench/arxiv_feed.py 2025-W22 --check # parse it as papercast does; print how many papers

Each paper becomes one <item> as arXiv's RSS feed writes it: title, link https://arxiv.org/abs/<id>,
description "arXiv:<id>v1 Announce Type: new \\nAbstract: ...", guid oai:arXiv.org:<id>v1, one
<category> per category, pubDate (the day it was listed), arxiv:announce_type and dc:creator
("A, B, C"). One file holds the whole week (`--daily` writes one file per listing day instead).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT.parent / "shared" / "data" / "arxiv-new"
DEFAULT_WEEK = "2025-W22"
EASTERN = dt.timezone(dt.timedelta(hours=-4), "EDT")  # arXiv dates its listings at midnight New York time

HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs</link>
    <description>cs updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/rss/cs" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>{date}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{date}</pubDate>
    <skipDays>
      <day>Sunday</day>
      <day>Saturday</day>
    </skipDays>
"""
TAIL = "  </channel>\n</rss>\n"


def week_papers(week: str = DEFAULT_WEEK) -> list[dict]:
    """The week's papers, in listing order (day, then as crawled)."""
    with gzip.open(DATA / f"{week}.jsonl.gz", "rt", encoding="utf-8") as lines:
        papers = [json.loads(line) for line in lines if line.strip()]
    return sorted(papers, key=lambda p: p["date"])


def rss_date(day: str) -> str:
    return format_datetime(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), EASTERN))


def rss_item(paper: dict) -> str:
    arxiv_id = paper["id"]
    categories = "".join(f"      <category>{escape(c)}</category>\n" for c in paper.get("categories", []))
    description = f"arXiv:{arxiv_id}v1 Announce Type: new \nAbstract: {paper['abstract'].strip()}"
    return (f"    <item>\n      <title>{escape(paper['title'].strip())}</title>\n"
            f"      <link>https://arxiv.org/abs/{arxiv_id}</link>\n"
            f"      <description>{escape(description)}</description>\n"
            f'      <guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid>\n{categories}'
            f"      <pubDate>{rss_date(paper['date'])}</pubDate>\n"
            f"      <arxiv:announce_type>new</arxiv:announce_type>\n"
            f"      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n"
            f"      <dc:creator>{escape(', '.join(paper.get('authors', [])))}</dc:creator>\n    </item>\n")


def rss_document(papers: list[dict]) -> str:
    last = max(p["date"] for p in papers)
    return HEAD.format(date=rss_date(last)) + "".join(rss_item(p) for p in papers) + TAIL


def write_week(inbox: Path, week: str = DEFAULT_WEEK, daily: bool = False) -> list[Path]:
    """The week as RSS in `inbox` (one file, or one per listing day); returns the files written."""
    papers = week_papers(week)
    groups = {}
    for paper in papers:
        groups.setdefault(paper["date"] if daily else week, []).append(paper)
    inbox.mkdir(parents=True, exist_ok=True)
    written = []
    for name, group in groups.items():
        path = inbox / f"arxiv-cs-{name}.xml"
        path.write_text(rss_document(group), encoding="utf-8")
        written.append(path)
    return written


def monday_after(week: str) -> dt.date:
    """The run's date for a week: the Monday after it (ISO week + 1)."""
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1) + dt.timedelta(days=7)


def check(week: str) -> None:
    """Parse the feed as papercast does and print what it reads."""
    sys.path.insert(0, str(PROJECT))
    from papercast.sources import parse_input

    data = rss_document(week_papers(week)).encode("utf-8")
    digest = parse_input(data, f"arxiv-cs-{week}.xml", monday_after(week))
    print(f"{week}: {len(week_papers(week))} papers in the data, {len(digest.papers)} read by papercast "
          f"({len(data) / 1e6:.1f} MB feed, digest date {digest.date}, {len(digest.warnings)} warnings)")
    for warning in digest.warnings[:5]:
        print(f"  warning: {warning.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("week", nargs="?", default=DEFAULT_WEEK)
    parser.add_argument("out", nargs="?", default="-")
    parser.add_argument("--daily", action="store_true", help="one file per listing day (OUT is then a folder)")
    parser.add_argument("--check", action="store_true", help="parse it as papercast does and count the papers")
    args = parser.parse_args()
    if args.check:
        return check(args.week)
    if args.daily:
        for path in write_week(Path(args.out), args.week, daily=True):
            print(path)
    elif args.out == "-":
        sys.stdout.write(rss_document(week_papers(args.week)))
    else:
        Path(args.out).write_text(rss_document(week_papers(args.week)), encoding="utf-8")


if __name__ == "__main__":
    main()
