"""The public archive: index, a page per profile, a page per edition, and RSS/Atom feeds.

Everything is rebuilt from the store alone (`papercast publish`), so templates
can change without re-ingesting. Pages link to each other with relative links,
so the site works from file:// and from any web server. Public pages and feeds
never name a reader: nothing about readers is passed to them.

    index.html                          chart of papers per profile per week, latest editions
    profiles/<profile>.html             every edition of one profile
    editions/<profile>/<date>.html      one edition: its papers, and why each is there
    feeds/profiles/<profile>.{rss,atom}.xml, feeds/all.{rss,atom}.xml
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from papercast.faults import checkpoint
from papercast.files import write_atomic
from papercast.newsletter.render import render_template
from papercast.settings import Settings, Site
from papercast.site.chart import build_chart
from papercast.site.editions import Edition, ProfileArchive, collect_editions, profile_archives
from papercast.site.feeds import (
    FeedLink,
    combined_feed,
    combined_feed_links,
    profile_feed,
    profile_feed_links,
    site_base_url,
    write_feeds,
)
from papercast.store.classification import Classification

__all__ = ["Edition", "Published", "collect_editions", "publish_archive"]

LATEST_ON_INDEX = 5


@dataclass
class Published:
    """What a publish wrote: HTML pages and feed files (absolute paths)."""

    pages: list[Path] = field(default_factory=list)
    feeds: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class SiteContext:
    """What every page shares: the archive folder, the templates and the site settings."""

    archive: Path
    env: jinja2.Environment
    site: Site

    def write_page(self, path: str, template: str, feeds: tuple[FeedLink, ...], **context) -> Path:
        """Render `template` to archive/<path>; `root` leads back to the archive folder."""
        root = "../" * path.count("/")
        html = render_template(self.env, template, site=self.site, root=root, feeds=feeds, **context)
        written = write_atomic(self.archive / path, html.encode("utf-8"), durable=False)
        checkpoint("publish.page")
        return written


def write_profile_pages(context: SiteContext, archive: ProfileArchive) -> list[Path]:
    """The profile's page and each of its edition pages."""
    feeds = profile_feed_links(archive.profile, context.site) + combined_feed_links(context.site)
    own_feeds = profile_feed_links(archive.profile, context.site)
    written = [context.write_page(archive.path, "profile.html.j2", feeds, archive=archive, profile_feeds=own_feeds)]
    for edition in archive.editions:
        written.append(
            context.write_page(edition.path, "edition.html.j2", feeds, edition=edition, profile_page=archive.path)
        )
    return written


def write_index(context: SiteContext, archives: list[ProfileArchive], editions: list[Edition]) -> Path:
    site = context.site
    combined = combined_feed_links(site)
    per_profile = {a.profile.id: profile_feed_links(a.profile, site) for a in archives}
    feeds = combined + tuple(link for links in per_profile.values() for link in links)
    chart = build_chart(editions, [a.profile for a in archives], site.chart_weeks)
    return context.write_page(
        "index.html",
        "index.html.j2",
        feeds,
        archives=archives,
        chart=chart,
        combined_feeds=combined,
        profile_feeds=per_profile,
        latest=LATEST_ON_INDEX,
    )


def publish_feeds(
    archive_folder: Path, site: Site, archives: list[ProfileArchive], editions: list[Edition]
) -> list[Path]:
    base_url = site_base_url(site, archive_folder)
    specs = [combined_feed(editions, site, base_url)] + [profile_feed(a, site, base_url) for a in archives]
    return write_feeds(archive_folder, specs, base_url)


def publish_archive(classification: Classification, settings: Settings, env: jinja2.Environment) -> Published:
    """Write every page and feed of the public archive; return the paths written."""
    editions = collect_editions(classification, settings.profiles)
    archives = profile_archives(editions, settings.profiles)
    context = SiteContext(settings.paths.archive, env, settings.site)
    published = Published()
    for archive in archives:
        published.pages += write_profile_pages(context, archive)
    published.pages.append(write_index(context, archives, editions))
    published.feeds = publish_feeds(settings.paths.archive, settings.site, archives, editions)
    return published
