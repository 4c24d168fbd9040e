"""The reader's links in an issue besides unsubscribing: a vote pair on every paper, and their private feed.

- `<base>more-like-this?r=…&l=<profile>&p=<paper>&s=…` and `<base>not-for-me?…`: a vote on one paper,
  within the profile it was shown under (GET asks, POST records: papercast/web/endpoints/votes.py);
- `<base>feed?r=…&l=<list>&s=…`: the reader's private Atom feed (papercast/web/endpoints/feeds.py),
  for readers whose channels include "feed".

Signed like every reader link (papercast/web/signing.py), so the same issue always gets the same links.
The reader's opaque id is derived once per reader, not once per link.
"""

from __future__ import annotations

from typing import Iterable

from papercast.config import Reader
from papercast.newsletter.render import IssueLinks
from papercast.web.links import ReaderLinks
from papercast.web.signing import SignedLink

MORE_LIKE_THIS, NOT_FOR_ME, FEED = "more-like-this", "not-for-me", "feed"
VOTES = {MORE_LIKE_THIS: True, NOT_FOR_ME: False}  # action -> liked
FEED_CHANNEL = "feed"


def vote_links(links: ReaderLinks, email: str, pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """paper id -> its ("more like this", "not for me") URLs, for (profile, paper) pairs; {} without an app."""
    if links.base is None:
        return {}
    reader = links.keys.reader_id(email)
    return {paper: (links.url(SignedLink(MORE_LIKE_THIS, reader, profile, paper)) or "",
                    links.url(SignedLink(NOT_FOR_ME, reader, profile, paper)) or "")
            for profile, paper in pairs}


def feed_link(links: ReaderLinks, email: str) -> SignedLink:
    return links.link(FEED, email, links.list_addr)


def feed_url(links: ReaderLinks, reader: Reader) -> str:
    """The reader's private feed, for readers whose channels include it; "" otherwise or without an app."""
    if FEED_CHANNEL not in reader.channels:
        return ""
    return links.url(feed_link(links, reader.email)) or ""


def issue_links(links: ReaderLinks, reader: Reader, unsubscribe: str,
                pairs: Iterable[tuple[str, str]]) -> IssueLinks:
    """Everything an issue links to for its reader: `pairs` are its (profile, paper id)s."""
    return IssueLinks(unsubscribe, vote_links(links, reader.email, pairs), feed_url(links, reader))
