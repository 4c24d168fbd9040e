"""What is new? Read the inputs, parse them, and diff them against the store.

Digests are ingested in their own date order, each in its own transaction, so
a bad file never costs what was already ingested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from papercast.errors import SourceError
from papercast.faults import checkpoint
from papercast.models import Digest, DigestResult, IngestResult, Problem
from papercast.settings import FOLDER, Settings
from papercast.sources import content_hash, parse_input
from papercast.sources.daily import FetchRequest
from papercast.sources.inbox import InputFile, list_inbox, read_input_file
from papercast.sources.limits import NO_LIMITS_SET, InputLimits
from papercast.sources.registry import KINDS
from papercast.store.fetches import Fetches
from papercast.store.papers import Papers


@dataclass
class ParsedInputs:
    digests: list[Digest] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # one day's lists that held no paper: fine, not ingested
    known: list[DigestResult] = field(default_factory=list)  # inputs ingested before: skipped, not parsed again


def read_inbox(settings: Settings) -> tuple[list[InputFile], list[Problem]]:
    """The bytes of every file in the inbox folders; unreadable files and folders become errors."""
    files, errors = [], []
    for folder in inbox_folders(settings):
        found, problems = read_folder(folder)
        files += found
        errors += problems
    return files, errors


def inbox_folders(settings: Settings) -> list[Path]:
    """[paths] inbox, then the folder of each source that reads a folder, each once."""
    extra = [source.path for source in settings.sources if KINDS[source.kind].reads == FOLDER and source.path]
    return list(dict.fromkeys([settings.paths.inbox, *extra]))


def plan_fetches(fetches: Fetches, settings: Settings, as_of: dt.date) -> list[FetchRequest]:
    """Every GET of this run, source by source as its kind plans them (a feed once, an hf-daily source once
    per day to ask); a source that reads a folder has none."""
    return [
        request
        for source in settings.sources
        for plan in [KINDS[source.kind].plan]
        if plan is not None
        for request in plan(fetches, source, as_of)
    ]


def read_folder(folder) -> tuple[list[InputFile], list[Problem]]:
    files, errors = [], []
    try:
        paths = list_inbox(folder)
    except SourceError as exc:
        return [], [Problem(exc.source or str(folder), exc.message)]
    for path in paths:
        try:
            files.append(read_input_file(path))
        except SourceError as exc:
            errors.append(Problem(exc.source or str(path), exc.message))
    return files, errors


def parse_inputs(files: list[InputFile], as_of: dt.date, limits: InputLimits = NO_LIMITS_SET) -> ParsedInputs:
    """Parse every input within `limits`; a file that cannot be used becomes an error, the rest go on."""
    parsed = ParsedInputs()
    for item in files:
        try:
            digest = parse_input(item.data, item.source, as_of, limits)
        except SourceError as exc:
            parsed.errors.append(Problem(item.source, exc.message))
            continue
        if item.day is not None and not digest.papers:  # a day without papers (a weekend, a holiday)
            parsed.empty.append(item.source)
            continue
        parsed.digests.append(replace(digest, date=min(item.day, as_of)) if item.day else digest)
        parsed.warnings.extend(digest.warnings)
    return parsed


def parse_new_inputs(
    papers: Papers, files: list[InputFile], as_of: dt.date, limits: InputLimits = NO_LIMITS_SET
) -> ParsedInputs:
    """parse_inputs for the inputs whose bytes were never ingested; the others are hashed, not parsed: their
    skipped outcome (date, papers) is read from the state, so a week's cost does not grow with the inbox."""
    fresh, known = [], []
    for item in files:
        seen = papers.ingested(content_hash(item.data))
        if seen is None:
            fresh.append(item)
        else:
            known.append(DigestResult(item.source, seen[0], seen[1], 0, skipped=True))
    return replace(parse_inputs(fresh, as_of, limits), known=known)


def ingest_digests(
    papers: Papers, digests: list[Digest], run_id: int, known: Sequence[DigestResult] = ()
) -> IngestResult:
    """Store each digest (oldest first) and collect the papers seen for the first time; `known`: the outcomes
    of inputs ingested before, listed in the same order."""
    result = IngestResult(list(known))
    for digest in sorted(digests, key=lambda d: (d.date, d.source)):
        outcome, new = papers.ingest_digest(digest, run_id)
        result.digests.append(outcome)
        result.new_papers.extend(new)
        checkpoint("ingest.digest")
    result.digests.sort(key=lambda d: (d.date, d.source))
    checkpoint("ingest.done")
    return result
