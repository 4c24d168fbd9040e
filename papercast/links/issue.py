"""The reader's links in an issue besides unsubscribing: a vote pair on every paper, and their private feed.

- `<base>more-like-this?r=…&l=<profile>&p=<paper>&s=…` and `<base>not-for-me?…`: a vote on one paper,
  within the profile it was shown under (GET asks, POST records: papercast/web/endpoints/votes.py);
- `<base>feed?r=…&l=<list>&s=…`: the reader's private Atom feed (papercast/web/endpoints/feeds.py),
  for readers of the feed channel (papercast/delivery/feed.py);
- `<base>tune?r=…&l=<profile>&s=…`: the reader's tune page for one of their profiles
  (papercast/web/endpoints/tune.py), in every issue's footer.

Signed like every reader link (papercast/links/signing.py), so the same issue always gets the same links.
The reader's opaque id is derived once per reader, not once per link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from papercast.links.reader import FEED, MORE_LIKE_THIS, NOT_FOR_ME, TUNE, ReaderLinks
from papercast.links.signing import SignedLink

VOTES = {MORE_LIKE_THIS: True, NOT_FOR_ME: False}  # action -> liked


@dataclass(frozen=True)
class IssueLinks:
    """The reader's own links in an issue: unsubscribe, a "more like this" / "not for me" pair per paper id,
    their private feed, and a tune page per profile as (profile title, URL). Empty: not shown."""

    unsubscribe: str = ""
    votes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    feed: str = ""
    tune: tuple[tuple[str, str], ...] = ()


def vote_links(links: ReaderLinks, email: str, pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """paper id -> its ("more like this", "not for me") URLs, for (profile, paper) pairs; {} without an app."""
    if links.base is None:
        return {}
    reader = links.keys.reader_id(email)
    return {
        paper: (
            links.url(SignedLink(MORE_LIKE_THIS, reader, profile, paper)) or "",
            links.url(SignedLink(NOT_FOR_ME, reader, profile, paper)) or "",
        )
        for profile, paper in pairs
    }


def feed_link(links: ReaderLinks, email: str) -> SignedLink:
    return links.link(FEED, email)


def feed_url(links: ReaderLinks, email: str) -> str:
    """The reader's private feed ("" without an app)."""
    return links.url(feed_link(links, email)) or ""


def tune_links(links: ReaderLinks, email: str, profiles: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(profile title, the reader's tune page URL) for (profile id, title)s; () without an app."""
    if links.base is None:
        return ()
    return tuple((title, links.action_url(TUNE, email, profile) or "") for profile, title in profiles)


def issue_links(
    links: ReaderLinks,
    email: str,
    unsubscribe: str,
    pairs: Iterable[tuple[str, str]],
    feed: bool = False,
    tune: Iterable[tuple[str, str]] = (),
) -> IssueLinks:
    """Everything an issue links to for its reader: `pairs` are its (profile, paper id)s; `feed`: the reader
    reads a private feed, whose link the issue shows; `tune`: the reader's (profile id, title)s."""
    return IssueLinks(
        unsubscribe,
        vote_links(links, email, pairs),
        feed_url(links, email) if feed else "",
        tune_links(links, email, tune),
    )
