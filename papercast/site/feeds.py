"""RSS 2.0 and Atom feeds of the public editions: one pair per profile and one for all profiles.

One item per paper; its GUID (RSS) and id (Atom) is the paper id, so an item
never reappears as new. Feeds keep the most recent `site.feed_items` papers.
Everything is derived from the store, so rebuilding writes the same bytes.

Every field carries text. Atom says so (its text constructs default to `type="text"`); RSS 2.0
readers render a title and a description as HTML, so in RSS each text field is HTML-escaped first:
a paper titled `<script>…` shows those characters, and runs nothing.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from papercast.files import write_atomic
from papercast.newsletter.render import excerpt
from papercast.settings import Profile, Site
from papercast.site.editions import Edition, EditionItem, ProfileArchive

FEED_KINDS = {"rss": ("rss.xml", "application/rss+xml", "RSS"), "atom": ("atom.xml", "application/atom+xml", "Atom")}
COMBINED_NAME = "all"
EMPTY_FEED_DATE = dt.date(1970, 1, 1)
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class FeedLink:
    """A feed file, as a path relative to the archive folder."""

    kind: str
    path: str
    title: str

    @property
    def media_type(self) -> str:
        return FEED_KINDS[self.kind][1]


def feed_links(path_stem: str, title: str) -> tuple[FeedLink, ...]:
    return tuple(
        FeedLink(kind, f"{path_stem}.{suffix}", f"{title} ({label})") for kind, (suffix, _, label) in FEED_KINDS.items()
    )


def profile_feed_links(profile: Profile, site: Site) -> tuple[FeedLink, ...]:
    return feed_links(f"feeds/profiles/{profile.id}", f"{site.title}: {profile.title}")


def combined_feed_links(site: Site) -> tuple[FeedLink, ...]:
    """`feeds/all.*` cannot collide with a profile's feeds, which live in `feeds/profiles/`."""
    return feed_links(f"feeds/{COMBINED_NAME}", f"{site.title}: all profiles")


@dataclass(frozen=True)
class FeedItem:
    item: EditionItem
    date: dt.date
    link: str
    categories: tuple[tuple[str, str], ...]  # (term, label): profiles first, then the paper's own

    @property
    def paper_id(self) -> str:
        return self.item.paper.id


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    page: str  # the HTML page this feed mirrors, relative to the archive
    links: tuple[FeedLink, ...]
    items: tuple[FeedItem, ...]


def edition_item_link(base_url: str, edition: Edition, entry: EditionItem) -> str:
    """The paper's own link when it has one, else its card on the edition page."""
    return entry.own_link or f"{base_url}{edition.path}#{entry.anchor}"


def feed_item(base_url: str, edition: Edition, entry: EditionItem, profiles: list[tuple[str, str]]) -> FeedItem:
    own = tuple((c, c) for c in entry.paper.categories if c)
    return FeedItem(entry, edition.date, edition_item_link(base_url, edition, entry), tuple(profiles) + own)


def profile_feed(archive: ProfileArchive, site: Site, base_url: str) -> FeedSpec:
    """The newest papers of one profile, newest edition first, best score first within it."""
    tag = [(archive.profile.id, archive.profile.title)]
    items = [feed_item(base_url, e, entry, tag) for e in archive.editions for entry in e.items]
    description = archive.profile.description or archive.profile.title
    return FeedSpec(
        f"{site.title}: {archive.profile.title}",
        description,
        archive.path,
        profile_feed_links(archive.profile, site),
        tuple(items[: site.feed_items]),
    )


def combined_feed(editions: list[Edition], site: Site, base_url: str) -> FeedSpec:
    """The newest papers of all profiles; a paper in several profiles is one item with each profile as a category."""
    profiles_of: dict[str, list[tuple[str, str]]] = {}
    first: dict[str, tuple[Edition, EditionItem]] = {}
    for edition in sorted(editions, key=lambda e: e.date, reverse=True):
        for entry in sorted(edition.items, key=lambda i: -i.assignment.score):
            profiles_of.setdefault(entry.paper.id, []).append((edition.profile_id, edition.profile_title))
            first.setdefault(entry.paper.id, (edition, entry))
    ordered = sorted(first.values(), key=lambda pair: (-pair[0].date.toordinal(), -pair[1].assignment.score))
    items = [feed_item(base_url, e, entry, profiles_of[entry.paper.id]) for e, entry in ordered]
    return FeedSpec(
        f"{site.title}: all profiles",
        site.description,
        "index.html",
        combined_feed_links(site),
        tuple(items[: site.feed_items]),
    )


def midnight_utc(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)


def item_summary(item: FeedItem) -> str:
    why = f"Why it is here: {item.item.assignment.why}"
    abstract = excerpt(item.item.paper.abstract, SUMMARY_CHARS)
    return f"{abstract}\n\n{why}" if abstract else why


def plain(text: str) -> str:
    return text


def rss_text(text: str) -> str:
    """Text as RSS readers need it: they render titles and descriptions as HTML."""
    return html.escape(text, quote=False)


def add_entry(generator: FeedGenerator, item: FeedItem, text=plain) -> None:
    paper = item.item.paper
    entry = generator.add_entry(order="append")
    entry.guid(paper.id, permalink=False)
    entry.title(text(paper.title))
    entry.link(href=item.link, rel="alternate")
    entry.summary(text(item_summary(item)))
    for term, label in item.categories:
        entry.category(term=text(term), label=text(label))
    for name in paper.authors:
        entry.author(name=text(name))
        entry.dc.dc_creator(text(name))  # RSS has no author element without an email: Dublin Core names them
    entry.published(midnight_utc(item.date))
    entry.updated(midnight_utc(item.date))


def feed_generator(spec: FeedSpec, link: FeedLink, base_url: str) -> FeedGenerator:
    updated = midnight_utc(max((item.date for item in spec.items), default=EMPTY_FEED_DATE))
    text = rss_text if link.kind == "rss" else plain
    generator = FeedGenerator()
    generator.id(base_url + link.path)
    generator.title(text(spec.title))
    generator.description(text(spec.description))
    generator.link(href=base_url + link.path, rel="self", type=link.media_type)
    generator.link(href=base_url + spec.page, rel="alternate")  # last: RSS's one <link>
    generator.language("en")
    generator.generator("papercast")
    generator.updated(updated)
    generator.lastBuildDate(updated)
    generator.load_extension("dc", atom=False, rss=True)
    for item in spec.items:
        add_entry(generator, item, text)
    return generator


def render_feed(spec: FeedSpec, link: FeedLink, base_url: str) -> bytes:
    generator = feed_generator(spec, link, base_url)
    if link.kind == "rss":
        return generator.rss_str(pretty=True)
    return generator.atom_str(pretty=True)


def write_feeds(archive: Path, specs: list[FeedSpec], base_url: str) -> list[Path]:
    """Write every feed of every spec under the archive folder; return the paths written."""
    return [
        write_atomic(archive / link.path, render_feed(spec, link, base_url), durable=False)
        for spec in specs
        for link in spec.links
    ]


def site_base_url(site: Site, archive: Path) -> str:
    """Absolute URL of the archive folder, ending in '/': `site.base_url`, else the folder's file:// URI."""
    base = site.base_url or archive.resolve().as_uri()
    return base if base.endswith("/") else base + "/"
