"""The public archive: index, a page per profile, a page per edition, and RSS/Atom feeds.

Everything is built from the store alone, so templates can change without
re-ingesting: `papercast publish` rewrites every page. A run writes only what
changed: the index, the profile pages and the feeds (each bounded), and the
edition pages that are new, changed (their papers or scores) or missing. The
editions are counted in one query; only those written, and the newest ones the
feeds need, are read. `editions/published.json` keeps each edition page's
fingerprint; it is written last, so a publish killed midway is finished
by the next one. Pages link to each other with relative links, so the site
works from file:// and from any web server. Public pages and feeds never name
a reader: nothing about readers is passed to them.

    index.html                          chart of papers per profile per week, latest editions
    profiles/<profile>.html             every edition of one profile
    editions/<profile>/<date>.html      one edition: its papers, and why each is there
    feeds/profiles/<profile>.{rss,atom}.xml, feeds/all.{rss,atom}.xml
"""

from __future__ import annotations

import hashlib
import json
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
from papercast.store.records import EditionStat

__all__ = ["Edition", "Published", "collect_editions", "publish_archive"]

LATEST_ON_INDEX = 5
MANIFEST = "editions/published.json"  # not hidden: hidden files in the archive are interrupted writes


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


def write_profile_pages(context: SiteContext, archive: ProfileArchive, stale: set[str] | None = None) -> list[Path]:
    """The profile's page and its edition pages (`stale`: only those with these paths)."""
    feeds = profile_feed_links(archive.profile, context.site) + combined_feed_links(context.site)
    own_feeds = profile_feed_links(archive.profile, context.site)
    written = [context.write_page(archive.path, "profile.html.j2", feeds, archive=archive, profile_feeds=own_feeds)]
    for edition in archive.editions:
        if stale is None or edition.path in stale:
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


def publish_archive(
    classification: Classification, settings: Settings, env: jinja2.Environment, everything: bool = True
) -> Published:
    """Write the public archive's pages and feeds; return the paths written. Without `everything` (a run),
    only the edition pages that are new, changed or missing, with the index, profile pages and feeds."""
    folder = settings.paths.archive
    stats = [s for s in classification.edition_stats() if s.profile_id in {p.id for p in settings.profiles}]
    key, known = site_key(settings, env), read_manifest(folder)
    fresh = {} if everything or known.get("key") != key else known.get("pages", {})
    stale = {edition_path(s) for s in stats if fresh.get(edition_path(s)) != s.fingerprint}
    stale |= {edition_path(s) for s in stats if not (folder / edition_path(s)).is_file()}
    read = [s for s in stats if edition_path(s) in stale] + feed_editions(stats, settings.site.feed_items)
    after_run = min((s.first_run for s in read), default=0) - 1
    editions = with_counted(collect_editions(classification, settings.profiles, max(after_run, 0)), stats, settings)
    archives = profile_archives(editions, settings.profiles)
    context = SiteContext(folder, env, settings.site)
    published = Published()
    for archive in archives:
        published.pages += write_profile_pages(context, archive, stale)
    published.pages.append(write_index(context, archives, editions))
    published.feeds = publish_feeds(folder, settings.site, archives, editions)
    pages = {edition_path(s): s.fingerprint for s in stats}
    write_atomic(folder / MANIFEST, json.dumps({"key": key, "pages": pages}).encode(), durable=False)
    return published


def edition_path(stat: EditionStat) -> str:
    return f"editions/{stat.profile_id}/{stat.date.isoformat()}.html"


def feed_editions(stats: list[EditionStat], items: int) -> list[EditionStat]:
    """The newest editions (stats newest first) that hold a feed's `items` papers, per profile and for all."""
    needed: list[EditionStat] = []
    for group in [stats, *group_by_profile(stats).values()]:
        total = 0
        for stat in group:
            if total >= items:
                break
            needed.append(stat)
            total += stat.papers
    return needed


def group_by_profile(stats: list[EditionStat]) -> dict[str, list[EditionStat]]:
    grouped: dict[str, list[EditionStat]] = {}
    for stat in stats:
        grouped.setdefault(stat.profile_id, []).append(stat)
    return grouped


def with_counted(read: list[Edition], stats: list[EditionStat], settings: Settings) -> list[Edition]:
    """Every edition newest first: those read whole, and the others as their counts alone."""
    titles = {p.id: p.title for p in settings.profiles}
    counts = {(s.profile_id, s.date): s.papers for s in stats}
    whole = {(e.profile_id, e.date): e for e in read if len(e.items) == counts.get((e.profile_id, e.date))}
    return [
        whole.get((s.profile_id, s.date)) or Edition(s.profile_id, titles[s.profile_id], s.date, (), s.papers)
        for s in stats
    ]


def site_key(settings: Settings, env: jinja2.Environment) -> str:
    """What every page depends on beyond its papers: the site settings, the profiles as configured and the
    templates (a changed template rewrites every page)."""
    profiles = [(p.id, p.title, p.description, list(p.keywords)) for p in settings.profiles]
    text = json.dumps([settings.site.model_dump(mode="json"), profiles], sort_keys=True, default=str)
    digest, loader = hashlib.sha256(text.encode()), env.loader
    if loader is not None:
        for name in sorted(env.list_templates(extensions=["j2"])):  # not __pycache__ beside them
            digest.update(loader.get_source(env, name)[0].encode())
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
