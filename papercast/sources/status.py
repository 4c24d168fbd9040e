"""How did each fetched source do this run? Its report entry, its errors, and what to remember.

A source's new validators (ETag, Last-Modified) are remembered only once its body was parsed
and ingested: a feed that failed to parse is fetched in full again next run.
"""

from __future__ import annotations

from dataclasses import dataclass

from papercast.models import DigestResult, Problem
from papercast.sources.fetch import FetchOutcome, Validators
from papercast.store import Store


@dataclass(frozen=True)
class SourceStatus:
    """One fetched source in the run report: fetched, not-modified or failed, and what it brought."""

    name: str
    kind: str
    url: str
    status: str
    entries: int = 0
    new: int = 0
    reason: str = ""

    def as_dict(self) -> dict:
        entry = {"name": self.name, "kind": self.kind, "url": self.url, "status": self.status,
                 "entries": self.entries, "new": self.new}
        return {**entry, "reason": self.reason} if self.status == "failed" else entry


def known_validators(store: Store, name: str, url: str) -> Validators:
    """The validators of the source's last ingested copy, if it was fetched from this url."""
    state = store.fetch_state(name)
    if state is None or state.url != url:
        return Validators()
    return Validators(etag=state.etag, last_modified=state.last_modified)


def fetched_inputs(outcomes: list[FetchOutcome]) -> list:
    """The bodies that were fetched, as inputs for the parse stage (like inbox files)."""
    return [item for item in (outcome.input_file() for outcome in outcomes) if item is not None]


def fetch_problems(outcomes: list[FetchOutcome]) -> list[Problem]:
    return [Problem(o.source, o.reason) for o in outcomes if o.status == "failed"]


def source_statuses(outcomes: list[FetchOutcome], parse_errors: list[Problem],
                    digests: list[DigestResult]) -> list[SourceStatus]:
    """One entry per fetched source: name, kind, url, status, entries, new (and reason when failed)."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    by_source = {digest.source: digest for digest in digests}
    return [source_status(o, failed_parse.get(o.source), by_source.get(o.source)) for o in outcomes]


def source_status(outcome: FetchOutcome, parse_error: str | None, digest: DigestResult | None) -> SourceStatus:
    status, reason = outcome.status, outcome.reason
    if status == "fetched" and parse_error is not None:
        status, reason = "failed", parse_error
    return SourceStatus(outcome.source, outcome.kind, outcome.url, status, digest.papers if digest else 0,
                        digest.new if digest else 0, reason if status == "failed" else "")


def record_fetches(store: Store, outcomes: list[FetchOutcome], parse_errors: list[Problem]) -> None:
    """Remember each source's last fetch; new validators only for a body that was ingested."""
    failed_parse = {problem.source: problem.message for problem in parse_errors}
    for outcome in outcomes:
        parse_error = failed_parse.get(outcome.source) if outcome.status == "fetched" else None
        usable = outcome.status in ("fetched", "not-modified") and parse_error is None
        validators = (outcome.validators.etag, outcome.validators.last_modified) if usable else None
        status = "failed" if parse_error is not None else outcome.status
        store.record_fetch(outcome.source, outcome.url, status, parse_error or outcome.reason, validators)
