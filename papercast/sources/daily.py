"""What to fetch this run: each feed once, each hf-daily source day by day since the last day it fetched.

The Daily Papers API answers `api/daily_papers?date=YYYY-MM-DD` with that day's list; its plain URL
gives only the latest day. So an `hf-daily` source is asked for every day from the last day it
fetched (inclusive: a day's list grows during that day) up to the run's date, plus every recent
day that failed; a first run asks for the last FIRST_DAYS days. Each day's body goes through the
usual parse -> ingest path as an input of its own, so a day asked again costs nothing new. A day
with no papers (an empty list, or a 404 while other days of the source answered) is fine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from papercast.models import DigestResult, Problem
from papercast.settings import Source
from papercast.sources.fetch import FetchOutcome, Validators
from papercast.store.fetches import Fetches
from papercast.store.records import EMPTY_DAY, FAILED_DAY, FETCHED_DAY, FetchDay

FIRST_DAYS = 7  # a source fetched for the first time: the last week
MAX_DAYS = 31  # never further back than this: after a long pause, the last month (failed days too)
NOT_FOUND = 404


@dataclass(frozen=True)
class FetchRequest:
    """One GET of this run: a feed (with the validators of its last ingested copy) or one day of a source."""

    source: Source
    day: dt.date | None = None
    validators: Validators = Validators()
    answered_before: bool = False  # the source brought a day's list in an earlier run

    @property
    def target(self) -> Source:
        """The source as fetched: for one day, its URL asks for that day."""
        return replace_url(self.source, day_url(self.source.url or "", self.day)) if self.day else self.source


def replace_url(source: Source, url: str) -> Source:
    return source.model_copy(update={"url": url})


def plan_once(fetches: Fetches, source: Source, as_of: dt.date) -> list[FetchRequest]:
    """A feed's GET of this run: one, conditional on the last copy ingested."""
    return [FetchRequest(source, validators=known_validators(fetches, source.name, source.url or ""))]


def plan_days(fetches: Fetches, source: Source, as_of: dt.date) -> list[FetchRequest]:
    """An hf-daily source's GETs of this run: one per day to ask."""
    known = fetches.fetch_days(source.name)
    before = any(day.status == FETCHED_DAY for day in known)
    return [FetchRequest(source, day, answered_before=before) for day in days_to_ask(known, as_of)]


def known_validators(fetches: Fetches, name: str, url: str) -> Validators:
    """The validators of the source's last ingested copy, if it was fetched from this url."""
    state = fetches.fetch_state(name)
    if state is None or state.url != url:
        return Validators()
    return Validators(etag=state.etag, last_modified=state.last_modified)


def days_to_ask(known: list[FetchDay], as_of: dt.date) -> list[dt.date]:
    """From the last day that answered (inclusive) to `as_of`, and the failed days since; first: a week."""
    oldest = as_of - dt.timedelta(days=MAX_DAYS - 1)
    answered = [d.day for d in known if d.status != FAILED_DAY and d.day <= as_of]
    start = max(max(answered) if answered else as_of - dt.timedelta(days=FIRST_DAYS - 1), oldest)
    span = {start + dt.timedelta(days=n) for n in range((as_of - start).days + 1)}
    return sorted(span | {d.day for d in known if d.status == FAILED_DAY and oldest <= d.day <= as_of})


def day_url(url: str, day: dt.date) -> str:
    """The configured URL asking for one day: its `date` query parameter added or replaced."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "date"]
    return urlunsplit(parts._replace(query=urlencode(query + [("date", day.isoformat())])))


def with_day(outcome: FetchOutcome, request: FetchRequest) -> FetchOutcome:
    """The outcome as the report names it: the configured source's url, and the day asked."""
    return replace(outcome, url=request.source.url or "", day=request.day)


def settle_days(
    requests: list[FetchRequest],
    outcomes: list[FetchOutcome],
    parse_errors: list[Problem],
    empty: list[str],
    digests: list[DigestResult],
) -> list[FetchDay]:
    """How each day asked went: fetched, empty (no list that day) or failed (asked again next run). A 404
    is a day without a list, unless the source never brought one (then its url is likely wrong)."""
    failed = {problem.source: problem.message for problem in parse_errors}
    by_input = {digest.source: digest for digest in digests}
    answered = {o.source for o in outcomes if o.day and o.status == "fetched"}
    answered |= {r.source.name for r in requests if r.answered_before}
    return [
        day_result(
            o, o.day, failed.get(o.input_name), o.input_name in empty, o.source in answered, by_input.get(o.input_name)
        )
        for o in outcomes
        if o.day
    ]


def day_result(
    outcome: FetchOutcome,
    day: dt.date,
    parse_error: str | None,
    empty: bool,
    source_answered: bool,
    digest: DigestResult | None,
) -> FetchDay:
    if outcome.status == "failed":
        if outcome.http_status == NOT_FOUND and source_answered:  # no list that day; other days answered
            return FetchDay(outcome.source, day, EMPTY_DAY)
        return FetchDay(outcome.source, day, FAILED_DAY, message=outcome.reason)
    if parse_error is not None:
        return FetchDay(outcome.source, day, FAILED_DAY, message=parse_error)
    if empty or digest is None:
        return FetchDay(outcome.source, day, EMPTY_DAY)
    return FetchDay(outcome.source, day, FETCHED_DAY, digest.papers)
