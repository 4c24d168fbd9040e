"""What did this run do? One summary of a run report, for people: printed at the end of a CLI run and
published, the same lines, as the flow's Prefect artifact. It reads the typed report, so it can be tested
(and reused) without Prefect.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from papercast.report import FAILED, RunReport
from papercast.store.records import FETCH_RUN, FetchDay


def kind(report: RunReport) -> str:
    """ "run" for the weekly run, "fetch" for a fetch run (ingest and classify only)."""
    return "fetch" if report.kind == FETCH_RUN else "run"


def written_now(report: RunReport) -> int:
    """Newsletters this run wrote (not those an earlier run wrote and this one only sent)."""
    return sum(1 for entry in report.newsletters if not entry.resumed)


def summary_lines(report: RunReport) -> list[str]:
    """The summary: new papers per input and profile, the newsletters, problems, time, where it all is."""
    lines = [
        f"papercast {kind(report)} {report.run_id} as of {report.as_of.isoformat()}: {report.new_papers} new papers"
    ]
    for digest in report.digests:
        state = "already ingested" if digest.skipped else f"{digest.papers} papers, {digest.new} new"
        lines.append(f"  {Path(digest.source).name} ({digest.date.isoformat()}): {state}")
    lines += coverage_lines(report)
    counts = ", ".join(f"{pid} {len(items)}" for pid, items in report.profiles.items())
    lines.append(f"  new papers per profile: {counts or 'none'}")
    lines += newsletter_lines(report) if kind(report) == "run" else []
    lines += [f"  warning: {w.source}: {w.message}" for w in report.warnings]
    lines += [f"  error: {e.source}: {e.message}" for e in report.errors]
    lines.append(f"  time: {', '.join(f'{k} {v:.2f}s' for k, v in report.timings.items())}")
    if report.report_path:
        lines.append(f"  archive: {Path(report.report_path).parent.parent}")
    return lines + outcome_lines(report)


def summary_markdown(report: RunReport) -> str:
    """The same summary as a Prefect artifact: a heading, then the lines as they are printed."""
    title = f"# papercast {kind(report)} {report.run_id} — as of {report.as_of.isoformat()}"
    return f"{title}\n\n```text\n" + "\n".join(summary_lines(report)) + "\n```\n"


def skipped(report: RunReport) -> dict[str, int]:
    """Readers without a newsletter, counted by reason (nothing new, unsubscribed, ...)."""
    return dict(Counter(entry.reason for entry in report.no_newsletter))


def resumed_text(report: RunReport) -> str:
    """What the run finished for an earlier one ("67 papers classified, 3 messages sent"), or ""."""
    done = report.resumed
    parts = [(done.classified, "papers classified"), (done.written, "issues written"), (done.sent, "messages sent")]
    return ", ".join(f"{count} {what}" for count, what in parts if count)


def coverage_lines(report: RunReport) -> list[str]:
    """The days asked of each hf-daily source and, for a weekly run, the fetch runs it covers."""
    lines = [
        f"  {source.name} days: " + ", ".join(day_text(day) for day in source.days)
        for source in report.sources
        if source.days
    ]
    if report.fetches:
        lines.append(
            "  covers fetch runs: "
            + ", ".join(f"{run.run_id} ({run.as_of.isoformat()}, {run.new_papers} new)" for run in report.fetches)
        )
    return lines


def day_text(day: FetchDay) -> str:
    return f"{day.day.isoformat()} {day.status}" + (f" ({day.entries})" if day.status == "fetched" else "")


def newsletter_lines(report: RunReport) -> list[str]:
    """Written, sent, failed (with each reason) and what was finished for an earlier run."""
    without = "; ".join(f"{reason}: {count}" for reason, count in skipped(report).items()) or "none"
    lines = [f"  newsletters written: {written_now(report)}; readers without one: {without}"]
    if resumed_text(report):
        lines.append(f"  finished what an earlier run left: {resumed_text(report)}")
    if report.delivery["mode"] == "send":
        totals, took = report.delivery, report.timings.get("send")
        lines.append(
            f"  sent: {totals['sent']}; failed: {totals['failed']}; still pending: {totals['pending']}"
            + (f"; sending took {took:.1f} s" if took is not None else "")
        )
        lines += [f"  failed: {n.reader}: {n.reason}" for n in report.newsletters if n.status == FAILED]
    return lines


def outcome_lines(report: RunReport) -> list[str]:
    """The last line when something is left: the exit code and what the next run picks up."""
    left = report.not_done
    if not left:
        return []
    return [
        f"  not done (exit {report.exit_code}): {len(left)} "
        f"{'problem' if len(left) == 1 else 'problems'}, named above; the next run tries again"
    ]
