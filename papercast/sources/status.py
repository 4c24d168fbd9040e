"""How did each fetched source do this run? Its report entry, its errors, and what to remember.

A feed's new validators (ETag, Last-Modified) are remembered only once its body was parsed and
ingested: a feed that failed to parse is fetched in full again next run. An hf-daily source is
fetched day by day (papercast/sources/daily.py): its entry sums its days and lists each of them,
and each day's outcome is remembered, so a failed day is asked again by the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from papercast.jsonable import EMPTY, NONE, omit
from papercast.models import DigestResult, Problem
from papercast.sources.daily import FetchRequest, known_validators, settle_days
from papercast.sources.fetch import FetchOutcome
from papercast.store.fetches import Fetches
from papercast.store.records import FAILED_DAY, FetchDay

__all__ = ["SourceStatus", "fetch_problems", "fetched_inputs", "known_validators", "record_fetches", "source_statuses"]
PARTIAL = "partial"  # some days of an hf-daily source failed (they are asked again next run)


@dataclass(frozen=True)
class SourceStatus:
    """One fetched source in the run report: fetched, not-modified, partial or failed, and what it brought;
    for an hf-daily source, each day asked."""

    name: str
    kind: str
    url: str
    status: str
    entries: int = 0
    new: int = 0
    reason: str = field(default="", metadata=omit(EMPTY))  # failed or partial: why
    days: tuple[FetchDay, ...] | None = field(default=None, metadata=omit(NONE))


def fetched_inputs(outcomes: list[FetchOutcome]) -> list:
    """The bodies that were fetched, as inputs for the parse stage (like inbox files)."""
    return [item for item in (outcome.input_file() for outcome in outcomes) if item is not None]


def fetch_problems(outcomes: list[FetchOutcome], days: Sequence[FetchDay] = ()) -> list[Problem]:
    """A line per feed that could not be fetched and per day that failed (a day with no list is no problem)."""
    failed_days = {(day.source, day.day) for day in days if day.status == FAILED_DAY}
    return [
        Problem(o.input_name, o.reason)
        for o in outcomes
        if o.status == "failed" and (o.day is None or (o.source, o.day) in failed_days)
    ]


def source_statuses(
    outcomes: list[FetchOutcome],
    parse_errors: list[Problem],
    digests: list[DigestResult],
    days: Sequence[FetchDay] = (),
) -> list[SourceStatus]:
    """One entry per fetched source: name, kind, url, status, entries, new (reason when failed, days)."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    by_source = {digest.source: digest for digest in digests}
    entries: dict[str, SourceStatus] = {}
    for o in outcomes:
        if o.day is None:
            entries[o.source] = source_status(o, failed_parse.get(o.source), by_source.get(o.source))
        elif o.source not in entries:
            entries[o.source] = daily_status(o, [d for d in days if d.source == o.source], digests)
    return list(entries.values())


def source_status(outcome: FetchOutcome, parse_error: str | None, digest: DigestResult | None) -> SourceStatus:
    status, reason = outcome.status, outcome.reason
    if status == "fetched" and parse_error is not None:
        status, reason = "failed", parse_error
    return SourceStatus(
        outcome.source,
        outcome.kind,
        outcome.url,
        status,
        digest.papers if digest else 0,
        digest.new if digest else 0,
        reason if status == "failed" else "",
    )


def daily_status(first: FetchOutcome, days: list[FetchDay], digests: list[DigestResult]) -> SourceStatus:
    """An hf-daily source: its days summed; failed when every day failed, partial when some did."""
    prefix = f"{first.source}:"
    mine = [digest for digest in digests if digest.source.startswith(prefix)]
    failed = [day for day in days if day.status == FAILED_DAY]
    status = "fetched" if not failed else "failed" if len(failed) == len(days) else PARTIAL
    reason = "; ".join(f"{day.day.isoformat()}: {day.message}" for day in failed)
    return SourceStatus(
        first.source,
        first.kind,
        first.url,
        status,
        sum(d.papers for d in mine),
        sum(d.new for d in mine),
        f"{reason} (asked again by the next run)" if failed else "",
        tuple(days),
    )


def record_fetches(
    fetches: Fetches,
    outcomes: list[FetchOutcome],
    parse_errors: list[Problem],
    days: Sequence[FetchDay] = (),
    run_id: int | None = None,
) -> None:
    """Remember each source's last fetch (new validators only for a body that was ingested) and each day asked."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    for outcome in outcomes:
        if outcome.day is not None:
            continue
        parse_error = failed_parse.get(outcome.source) if outcome.status == "fetched" else None
        usable = outcome.status in ("fetched", "not-modified") and parse_error is None
        validators = (outcome.validators.etag, outcome.validators.last_modified) if usable else None
        status = "failed" if parse_error is not None else outcome.status
        fetches.record_fetch(outcome.source, outcome.url, status, parse_error or outcome.reason, validators)
    if days:
        fetches.record_fetch_days(list(days), run_id)


def settle_fetches(
    requests: list[FetchRequest],
    outcomes: list[FetchOutcome],
    parse_errors: list[Problem],
    empty: list[str],
    digests: list[DigestResult],
) -> tuple[list[SourceStatus], list[Problem], list[FetchDay]]:
    """The report entries, the errors and the days of this run's fetches, once they were parsed and ingested."""
    days = settle_days(requests, outcomes, parse_errors, empty, digests)
    return source_statuses(outcomes, parse_errors, digests, days), fetch_problems(outcomes, days), days
