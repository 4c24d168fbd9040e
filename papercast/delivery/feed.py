"""The feed channel: a reader's issues in their private Atom feed, which the app serves at a signed URL.

Writing an issue writes nothing for this channel: its delivery is recorded as written (the issue is in
the feed from then on, in a dry run too: the feed is the delivery) and it has no send step. The app
builds the feed from the ledger whenever it is fetched (`reader_feed`), so the feed always says what the
state says, and the same state gives the same bytes.

- One entry per paper of the reader's latest FEED_ISSUES issues delivered on this channel, newest issue
  first, in the issue's order (the ledger never gives a reader a paper twice).
- An entry's id is `urn:papercast:paper:<paper id>`: the same across rebuilds, restarts and secret
  rotations; its date is when its issue was planned (the Date of the issue's message).
- Its link is the paper's page (papercast/links/papers.py); its content the excerpt, why it was picked and
  the reader's "more like this" / "not for me" links.
- Nothing in it names the reader: no address, no name; only the URL's opaque id says whose it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from markupsafe import Markup

from papercast.delivery.channels import Prepared, no_sender
from papercast.links.identity import public_base
from papercast.links.issue import vote_links
from papercast.links.papers import paper_url
from papercast.links.reader import ReaderLinks
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.render import RenderedNewsletter, excerpt
from papercast.settings import Reader, Settings
from papercast.store import Store
from papercast.store.records import WRITTEN, ChannelDelivery, IssueRecord

NAME = "feed"
FEED_ISSUES = 26  # half a year of weekly issues; feed readers keep what they fetched before
EMPTY_FEED_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FeedChannel:
    """Delivery by feed: nothing to write, nothing to send; the issue is in the feed once written."""

    name = NAME

    def __init__(self, settings: Settings):
        self.settings = settings

    def prepare(self, rendered: RenderedNewsletter, sending: bool) -> Prepared:
        return Prepared((), ChannelDelivery(rendered.plan.issue_id, NAME, WRITTEN))

    def sender(self):
        return no_sender()


@dataclass(frozen=True)
class FeedEntry:
    paper: StoredPaper
    assignment: Assignment
    profile_title: str
    date: dt.datetime  # when its issue was planned


def feed_entries(store: Store, reader: Reader, limit: int = FEED_ISSUES) -> list[FeedEntry]:
    """The papers of the reader's latest issues on this channel, newest issue first, each paper once."""
    issues = store.ledger.delivered_on(reader.email, NAME, limit)
    papers = store.papers.papers([pid for issue in issues for pid in issue.paper_ids])
    entries: dict[str, FeedEntry] = {}
    for issue in issues:
        for section in issue.sections:
            for item in section.items:
                if item.paper_id in papers and item.paper_id not in entries:
                    entries[item.paper_id] = FeedEntry(papers[item.paper_id], item, section.title, aware(issue))
    return list(entries.values())


def aware(issue: IssueRecord) -> dt.datetime:
    planned = issue.planned_at
    return planned if planned.tzinfo else planned.replace(tzinfo=dt.UTC)


def entry_id(paper_id: str) -> str:
    return "urn:papercast:paper:" + quote(paper_id, safe=":")


def entry_content(entry: FeedEntry, votes: tuple[str, str] | None) -> str:
    html = Markup("<p>{}</p><p><em>Why:</em> {}</p>").format(excerpt(entry.paper.abstract), entry.assignment.why)
    if votes:
        html += Markup('<p><a href="{}">More like this</a> · <a href="{}">Not for me</a></p>').format(*votes)
    return str(html)


def reader_feed(
    store: Store, settings: Settings, reader: Reader, links: ReaderLinks, self_url: str, feed_id: str
) -> bytes:
    """The reader's private feed as Atom bytes; `self_url` is the URL it is fetched at, `feed_id` its
    lasting id (from the URL's opaque reader id, never the address)."""
    entries = feed_entries(store, reader)
    votes = vote_links(links, reader.email, [(e.assignment.profile_id, e.paper.id) for e in entries])
    generator = FeedGenerator()
    generator.id(f"urn:papercast:feed:{feed_id}")
    generator.title(f"{settings.site.title}: your papers")
    generator.subtitle(
        "The papers picked for you, newest issue first. This feed is private: keep its link to yourself."
    )
    generator.author(name=settings.site.title)
    generator.link(href=self_url, rel="self", type="application/atom+xml")
    generator.link(href=public_base(settings) or self_url, rel="alternate")
    generator.language("en")
    generator.generator("papercast")
    generator.updated(max((e.date for e in entries), default=EMPTY_FEED_DATE))
    for entry in entries:
        add_entry(generator, entry, votes.get(entry.paper.id))
    return generator.atom_str(pretty=True)


def add_entry(generator: FeedGenerator, entry: FeedEntry, votes: tuple[str, str] | None) -> None:
    item = generator.add_entry(order="append")
    item.id(entry_id(entry.paper.id))
    item.title(entry.paper.title)
    item.link(href=paper_url(entry.paper), rel="alternate")
    item.content(entry_content(entry, votes), type="html")
    item.category(term=entry.assignment.profile_id, label=entry.profile_title)
    for name in entry.paper.authors:
        item.author(name=name)
    item.published(entry.date)
    item.updated(entry.date)
