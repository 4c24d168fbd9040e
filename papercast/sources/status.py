"""How did each fetched source do this run? Its report entry, its errors, and what to remember.

A source's new validators (ETag, Last-Modified) are remembered only once its body was parsed
and ingested: a feed that failed to parse is fetched in full again next run.
"""

from __future__ import annotations

from papercast.sources.fetch import FetchOutcome, Validators
from papercast.models import DigestResult, Problem
from papercast.store import Store


def known_validators(store: Store, name: str, url: str) -> Validators:
    """The validators of the source's last ingested copy, if it was fetched from this url."""
    row = store.fetch_state(name)
    if row is None or row["url"] != url:
        return Validators()
    return Validators(etag=row["etag"], last_modified=row["last_modified"])


def fetched_inputs(outcomes: list[FetchOutcome]) -> list:
    """The bodies that were fetched, as inputs for the parse stage (like inbox files)."""
    return [item for item in (outcome.input_file() for outcome in outcomes) if item is not None]


def fetch_problems(outcomes: list[FetchOutcome]) -> list[Problem]:
    return [Problem(o.source, o.reason) for o in outcomes if o.status == "failed"]


def source_statuses(outcomes: list[FetchOutcome], parse_errors: list[Problem],
                    digests: list[DigestResult]) -> list[dict]:
    """One entry per fetched source: name, kind, url, status, entries, new (and reason when failed)."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    by_source = {digest.source: digest for digest in digests}
    return [source_status(o, failed_parse.get(o.source), by_source.get(o.source)) for o in outcomes]


def source_status(outcome: FetchOutcome, parse_error: str | None, digest: DigestResult | None) -> dict:
    status, reason = outcome.status, outcome.reason
    if status == "fetched" and parse_error is not None:
        status, reason = "failed", parse_error
    entry = {"name": outcome.source, "kind": outcome.kind, "url": outcome.url, "status": status,
             "entries": digest.papers if digest else 0, "new": digest.new if digest else 0}
    if status == "failed":
        entry["reason"] = reason
    return entry


def record_fetches(store: Store, outcomes: list[FetchOutcome], parse_errors: list[Problem]) -> None:
    """Remember each source's last fetch; new validators only for a body that was ingested."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    for outcome in outcomes:
        parse_error = failed_parse.get(outcome.source) if outcome.status == "fetched" else None
        usable = outcome.status in ("fetched", "not-modified") and parse_error is None
        validators = (outcome.validators.etag, outcome.validators.last_modified) if usable else None
        status = "failed" if parse_error is not None else outcome.status
        store.record_fetch(outcome.source, outcome.url, status, parse_error or outcome.reason, validators)
