"""The weekly run's core stages called in order, without Prefect: what the flow wires, for tests
that look at one stage closely. The keyword scorer keeps them fast and free of the model."""

from __future__ import annotations

import datetime as dt

from papercast.settings import Settings
from papercast.delivery.send import SendResult, send_batch
from papercast.delivery.registry import channels_for
from papercast.delivery.write import WrittenIssue, record_written, write_issues
from papercast.models import Digest, Paper
from papercast.newsletter.plan import Planning, plan_issues
from papercast.newsletter.selection import select_run
from papercast.relevance.backlog import Classified, classify_backlog
from papercast.relevance.keywords import KeywordScorer
from papercast.store import Store

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone.utc)


def readers_toml(names: list[str], profiles: str = '"efficient-llm", "reasoning"', max_papers: int = 5) -> str:
    """[[readers]] tables for `names` (name@example.org), each following `profiles`."""
    return "".join(f'\n[[readers]]\nemail = "{name}@example.org"\nname = "{name.title()}"\n'
                   f'profiles = [{profiles}]\nmax_papers = {max_papers}\n' for name in names)


def keywords(settings, cache=None) -> KeywordScorer:
    return KeywordScorer()


def ingest(store: Store, settings: Settings, papers: list[tuple[str, str]], day: dt.date,
           source: str = "d.txt") -> int:
    """A digest of (title, abstract) stored and classified on `day`; returns the run id."""
    run = store.runs.start_run(day)
    digest = Digest(source, day, tuple(Paper(t, a) for t, a in papers), content_hash=f"{source}-{day}")
    store.papers.ingest_digest(digest, run)
    classify(store, settings, run)
    return run


def classify(store: Store, settings: Settings, run_id: int) -> Classified:
    return classify_backlog(store, settings, run_id, scorer_for=keywords)


def plan(store: Store, settings: Settings, day: dt.date, run_id: int, readers=None, profiles=None) -> Planning:
    return plan_issues(store, settings, select_run(settings, profiles, readers), day, run_id, NOW)


def plan_and_write(store: Store, settings: Settings, day: dt.date, sending: bool = False,
                   run_id: int | None = None) -> list[WrittenIssue]:
    """Plan every reader's issue for `day`, write the files, record them: what one run writes."""
    run_id = run_id or store.runs.start_run(day)
    written = write_issues(plan(store, settings, day, run_id).to_write, settings, sending)
    record_written(store.ledger, written, run_id)
    return written


def send_pending(store: Store, settings: Settings, run_id: int = 1) -> list[SendResult]:
    """Send everything pending for the config's readers, as the flow's send stage does."""
    results = []
    for channel in channels_for(settings):
        ids = [issue.id for issue in store.ledger.pending_deliveries(channel.name, [r.email for r in settings.readers])]
        results += send_batch(store, channel, ids, run_id)
    return results


def ingest_sources(store: Store, settings: Settings, as_of: dt.date, kind: str = "weekly"):
    """The ingest stage as the flows wire it (papercast/flows/ingest.py), without Prefect or retries: a new
    run of `kind`, the inbox and every source fetched, parsed, ingested, remembered. Returns (run id, outcome)."""
    from papercast.report import RunOutcome
    from papercast.sources.daily import with_day
    from papercast.sources.ingest import plan_fetches
    from papercast.sources.fetch import failed_fetch, fetch_feed
    from papercast.sources.ingest import ingest_digests, parse_new_inputs, read_inbox
    from papercast.sources.status import fetched_inputs, record_fetches, settle_fetches

    run_id, outcome = store.runs.start_run(as_of, kind), RunOutcome()
    files, outcome.errors = read_inbox(settings)
    requests = plan_fetches(store.fetches, settings, as_of)
    fetched = []
    for request in requests:
        try:
            fetched.append(with_day(fetch_feed(request.target, request.validators), request))
        except Exception as exc:  # noqa: BLE001 (as the flow: a failed fetch is an outcome)
            fetched.append(with_day(failed_fetch(request.target, exc), request))
    parsed = parse_new_inputs(store.papers, files + fetched_inputs(fetched), as_of)
    ingested = ingest_digests(store.papers, parsed.digests, run_id, parsed.known)
    outcome.sources, problems, days = settle_fetches(requests, fetched, parsed.errors, parsed.empty, ingested.digests)
    record_fetches(store.fetches, fetched, parsed.errors, days, run_id)
    outcome.errors += problems + parsed.errors
    outcome.digests, outcome.new_papers = ingested.digests, len(ingested.new_papers)
    return run_id, outcome
