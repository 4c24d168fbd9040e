"""The public archive: one edition page per profile and run date, and an index.

Public pages are built from the store alone and never name a reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from papercast.config import Settings
from papercast.files import write_atomic
from papercast.models import Assignment, StoredPaper
from papercast.render import render_template
from papercast.store import Store


@dataclass(frozen=True)
class Edition:
    profile_id: str
    profile_title: str
    date: dt.date
    items: tuple[tuple[StoredPaper, Assignment], ...]

    @property
    def path(self) -> str:
        """Relative to the archive folder, with forward slashes for links."""
        return f"editions/{self.profile_id}/{self.date.isoformat()}.html"


def collect_editions(store: Store, settings: Settings) -> list[Edition]:
    """Editions of the configured profiles, newest first."""
    titles = {p.id: p.title for p in settings.profiles}
    grouped: dict[tuple[str, dt.date], list] = {}
    for profile_id, date, paper, assignment in store.editions():
        if profile_id in titles:
            grouped.setdefault((profile_id, date), []).append((paper, assignment))
    return [Edition(pid, titles[pid], date, tuple(items)) for (pid, date), items in grouped.items()]


def publish_archive(store: Store, settings: Settings, env: jinja2.Environment) -> list[Path]:
    """Write every edition page and the index; return the paths written."""
    archive = settings.paths.archive
    editions = collect_editions(store, settings)
    written = []
    for edition in editions:
        html = render_template(env, "edition.html.j2", edition=edition, root="../../")
        written.append(write_atomic(archive / edition.path, html.encode("utf-8")))
    index = render_template(env, "index.html.j2", editions=editions, profiles=settings.profiles, root="")
    written.append(write_atomic(archive / "index.html", index.encode("utf-8")))
    return written
