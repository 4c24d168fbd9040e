"""The sources papercast reads, in one vocabulary: the formats an input can hold, and the kinds of source.

A format is recognized by its content (whatever a file is called): its module has `detect(text)` and
`parse(data, text, source, as_of)`, which returns a Digest and touches neither the network nor the disk.
A kind is what a `[[sources]]` entry names: what it reads (a URL or a folder), the format its answers hold,
and how a run plans its GETs. The inbox is a folder of inputs in any format.

Config validation (papercast/config.py), the ingest stage, the fetch schedule and the docs read these
tables; adding a format or a kind is one module and one line here (docs/extending.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from papercast.models import Digest
from papercast.settings import FETCH_DEFAULT, FETCH_OFF, FOLDER, URL, Settings, Source
from papercast.sources import daily_text, feeds, hf_json
from papercast.sources.daily import FetchRequest, plan_days, plan_once
from papercast.store.fetches import Fetches


@dataclass(frozen=True)
class Format:
    """What an input holds: `detect(text)` recognizes it, `parse(data, text, source, as_of)` reads it."""

    name: str
    label: str  # how an error message names it
    detect: Callable[[str], bool]
    parse: Callable[[bytes, str, str, dt.date], Digest]


@dataclass(frozen=True)
class Kind:
    """A kind of `[[sources]]` entry: what it reads (URL or FOLDER), the format its answers hold (None: any,
    recognized by content), how a run plans its GETs, and whether it shows only its latest items (then it is
    fetched between weekly runs too, on [schedule] fetch)."""

    name: str
    reads: str
    format: str | None = None
    plan: Callable[[Fetches, Source, dt.date], list[FetchRequest]] | None = None
    latest_only: bool = False


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("daily-text", "Daily Papers text", daily_text.detect, daily_text.parse),  # the page saved as text
        Format("feed", "RSS, Atom", feeds.detect, feeds.parse),  # RSS 2.0, RSS 1.0/RDF, Atom
        Format("hf-json", "Hugging Face daily-papers JSON", hf_json.detect, hf_json.parse),
    )
}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("inbox", FOLDER),  # a folder of dropped files, like [paths] inbox
        Kind("feed", URL, "feed", plan_once, latest_only=True),  # an RSS/Atom URL, fetched conditionally
        Kind("hf-daily", URL, "hf-json", plan_days),  # the daily-papers API, asked day by day
    )
}


def fetch_cron(settings: Settings) -> str | None:
    """When `papercast-fetch` runs between weekly runs: [schedule] fetch, by default every morning when a
    source shows only its latest items (a feed), never when set to "off"."""
    fetch = settings.schedule.fetch
    if fetch is None:
        return FETCH_DEFAULT if any(KINDS[source.kind].latest_only for source in settings.sources) else None
    return None if fetch.strip() == FETCH_OFF else fetch


def known_formats() -> str:
    """The formats, as an error message lists them: "a, b or c"."""
    labels = [format.label for format in FORMATS.values()]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
