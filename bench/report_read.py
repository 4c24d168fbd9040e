"""The report's read of a run's newsletters from the ledger, before and after issue 22 phase B.

    .venv/bin/python bench/report_read.py --readers 10000 --repeat 3

A state in a temporary folder gets one run's N issues (20 papers in two sections and 3 explore papers each,
as the write stage records them: planned, then written with an email (pending: a --send run) and a feed delivery; the papers are not
stored, the ledger does not need them). Then, medians of --repeat:

- before: `newsletter_entries` as it was until phase B (kept here): every issue row with its sections and
  explore JSON parsed into an IssueRecord (the old `Ledger.run_deliveries`), per channel, then each entry;
- after: `papercast.report.newsletter_entries` as it is now (ids from `issues.papers`, no sections parsed).

Both read the same rows through the same index; the report's entries are the same either way (checked).
Then the walk Prefect makes over the report a flow returns (`resolve_futures_to_states`), as the CLI's run
returned it before (unquoted) and now (quoted: `with report_quoted(): weekly_newsletter(...)`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from prefect.futures import resolve_futures_to_states
from prefect.utilities.annotations import quote

from papercast.delivery.registry import CHANNELS
from papercast.models import Assignment
from papercast.newsletter.plan import reader_slug
from papercast.report import STILL_PENDING, NewsletterEntry, RunReport, newsletter_entries
from papercast.store import Store
from papercast.store.ledger import issue_record, joined_delivery
from papercast.store.records import (
    FAILED,
    PENDING,
    PLANNED,
    WITHDRAWN,
    ChannelDelivery,
    IssueRecord,
    IssueSection,
)

NOW = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)


def fill(store: Store, readers: int) -> int:
    run = store.runs.start_run(NOW.date())
    issues = []
    for n in range(readers):
        items = [Assignment(f"arxiv:2505.{n % 97:05d}{k:02d}", f"p{k % 2}", 0.5, "why " * 8) for k in range(20)]
        sections = tuple(IssueSection(f"p{s}", f"Profile {s}", tuple(items[s::2])) for s in range(2))
        explore = tuple(Assignment(f"arxiv:2505.9{n:05d}{k}", "p0", 0.3, "") for k in range(3))
        issues.append(IssueRecord(f"2026-11-23-r{n}", f"r{n}@example.org", NOW.date(), PLANNED, sections, 1, NOW,
                                  explore=explore))
    store.ledger.record_planned(issues, run)
    store.ledger.record_written([(i.id, "Papers", [ChannelDelivery(i.id, "email", "pending", f"<{i.id}@x>"),
                                                   ChannelDelivery(i.id, "feed", "written")]) for i in issues], run)
    return run


def run_deliveries(store: Store, run_id: int, channel: str):
    rows = store.ledger.db.execute(
        "SELECT i.*, d.status AS delivery_status, d.ref, d.attempts, d.last_error FROM channel_deliveries d"
        " JOIN issues i ON i.id = d.issue_id WHERE d.run_id = ? AND d.channel = ? ORDER BY i.created_at, i.id",
        (run_id, channel),
    ).fetchall()
    return [(issue_record(row), joined_delivery(row, channel)) for row in rows]


def before(store: Store, archive: Path, run_id: int) -> list[NewsletterEntry]:
    """newsletter_entries as it was (commit 3f9bdc0)."""
    entries: dict[str, NewsletterEntry] = {}
    statuses: dict[str, dict[str, str]] = {}
    for channel in CHANNELS:
        for issue, delivery in run_deliveries(store, run_id, channel):
            statuses.setdefault(issue.id, {})[channel] = delivery.status
            if issue.id not in entries and delivery.status != WITHDRAWN:
                entries[issue.id] = old_entry(archive, issue, delivery, run_id)
    return [replace(entry, channels=statuses[entry.issue]) for entry in entries.values()]


def old_entry(archive: Path, issue, delivery, run_id: int) -> NewsletterEntry:
    folder = archive / "newsletters" / reader_slug(issue.reader)
    status = FAILED if delivery.status == PENDING else delivery.status
    error = delivery.last_error or ("not delivered (no reason was recorded)" if status == FAILED else "")
    reason = error + (STILL_PENDING if delivery.status == PENDING else "")
    message_file = CHANNELS[delivery.channel].message_file if delivery.channel in CHANNELS else None
    eml = message_file(archive, issue.id) if message_file else None
    return NewsletterEntry(issue.reader, issue.id, tuple(issue.paper_ids), folder / f"{issue.id}.html",
                           folder / f"{issue.id}.txt", eml, delivery.ref or "", status, reason,
                           note=not issue.sections, resumed=issue.run_id != run_id, explore=tuple(issue.explore_ids))


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="papercast-report-read-"))
    with Store.open(folder / "state.sqlite") as store:
        run = fill(store, args.readers)
        entries = newsletter_entries(store, folder, run)
        assert len(entries) == args.readers and all(len(e.papers) == 20 and len(e.explore) == 3 for e in entries)
        assert entries == before(store, folder, run), "the same entries either way"
        old = [timed(lambda: before(store, folder, run)) for _ in range(args.repeat)]
        new = [timed(lambda: newsletter_entries(store, folder, run)) for _ in range(args.repeat)]
        report = RunReport(run, NOW.date(), newsletters=tuple(entries))
    print(f"{args.readers} issues, medians of {args.repeat}: before "
          f"{statistics.median(old):.2f} s, after (newsletter_entries) {statistics.median(new):.2f} s", flush=True)
    walked = [timed(lambda: resolve_futures_to_states(report)) for _ in range(args.repeat)]
    quoted = [timed(lambda: resolve_futures_to_states(quote(report))) for _ in range(args.repeat)]
    print(f"Prefect's walk of the returned report: unquoted {statistics.median(walked):.2f} s, "
          f"quoted {statistics.median(quoted):.4f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
