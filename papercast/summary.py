"""What did this run do? Short summaries of a run report, for people: Markdown and plain text.

The flow publishes it as a Prefect artifact; it reads the report dict only, so
it can be tested (and reused) without Prefect.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def summary_markdown(report: dict) -> str:
    """Sources, new papers, per-profile counts, newsletters written/sent/failed, problems."""
    lines = [f"# papercast run {report['run_id']} — as of {report['as_of']}", "",
             f"**{report['new_papers']} new papers** from {len(report['digests'])} digests.", ""]
    lines += sources_table(report["digests"])
    lines += profiles_table(report["profiles"])
    lines += delivery_lines(report)
    lines += problem_lines(report)
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.get("timings", {}).items())
    lines += ["", f"Time per stage: {timings or 'n/a'}"]
    return "\n".join(lines) + "\n"


def sources_table(digests: list[dict]) -> list[str]:
    if not digests:
        return ["No digests this run.", ""]
    rows = ["| source | date | papers | new |", "|---|---|---:|---:|"]
    for digest in digests:
        new = "already ingested" if digest.get("already_ingested") else digest["new"]
        rows.append(f"| {cell(Path(digest['source']).name)} | {digest['date']} | {digest['papers']} | {new} |")
    return rows + [""]


def profiles_table(profiles: dict[str, list]) -> list[str]:
    rows = ["| profile | new papers |", "|---|---:|"]
    rows += [f"| {cell(pid)} | {len(items)} |" for pid, items in profiles.items()]
    return rows + [""]


def delivery_lines(report: dict) -> list[str]:
    """Written/sent/failed from the report's delivery totals (or counted from its newsletters)."""
    totals = report.get("delivery") or {}
    statuses = [entry.get("status", "written") for entry in report["newsletters"]]

    def count(key: str) -> int:
        return totals.get(key, statuses.count(key))

    mode = totals.get("mode", "dry-run")
    return [f"- newsletters written: {len(report['newsletters'])} ({mode})",
            f"- newsletters sent: {count('sent')}",
            f"- newsletters failed: {count('failed')}",
            f"- newsletters pending a later send: {totals.get('pending', 0)}"] + \
        [f"- readers without a newsletter ({reason}): {count}" for reason, count in skipped(report).items()] + \
        [f"- finished for an earlier, interrupted run: {resumed}" for resumed in [resumed_text(report)] if resumed]


def skipped(report: dict) -> dict[str, int]:
    """Readers without a newsletter, counted by reason (nothing new, unsubscribed, ...)."""
    return dict(Counter(entry.get("reason", "nothing new") for entry in report.get("no_newsletter", [])))


def resumed_text(report: dict) -> str:
    """What the run finished for an earlier one ("67 papers classified, 3 messages sent"), or ""."""
    done = report.get("resumed") or {}
    parts = [(done.get("classified", 0), "papers classified"), (done.get("written", 0), "issues written"),
             (done.get("sent", 0), "messages sent")]
    return ", ".join(f"{count} {what}" for count, what in parts if count)


def problem_lines(report: dict) -> list[str]:
    problems = [("warning", p) for p in report.get("warnings", [])]
    problems += [("error", p) for p in report.get("errors", [])]
    if not problems:
        return []
    return ["", "## Problems", ""] + [f"- {kind}: `{cell(Path(p['source']).name)}`: {cell(p['message'])}"
                                      for kind, p in problems]


def cell(text: str) -> str:
    """Safe inside a Markdown table cell or code span."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("`", "'")


def summary_lines(report: dict) -> list[str]:
    """The plain-text summary printed at the end of a CLI run."""
    lines = [f"papercast run {report['run_id']} as of {report['as_of']}: {report['new_papers']} new papers"]
    for digest in report["digests"]:
        state = "already ingested" if digest["already_ingested"] else f"{digest['papers']} papers, {digest['new']} new"
        lines.append(f"  {Path(digest['source']).name} ({digest['date']}): {state}")
    counts = ", ".join(f"{pid} {len(items)}" for pid, items in report["profiles"].items())
    lines.append(f"  new papers per profile: {counts or 'none'}")
    without = "; ".join(f"{reason}: {count}" for reason, count in skipped(report).items()) or "none"
    lines.append(f"  newsletters written: {len(report['newsletters'])}; readers without one: {without}")
    if resumed_text(report):
        lines.append(f"  finished for an earlier, interrupted run: {resumed_text(report)}")
    if report.get("delivery", {}).get("mode") == "send":
        totals = report["delivery"]
        lines.append(f"  sent: {totals['sent']}; failed: {totals['failed']}; still pending: {totals['pending']}")
        lines += [f"  failed: {n['reader']}: {n['reason']}" for n in report["newsletters"] if n["status"] == "failed"]
    lines += [f"  warning: {w['source']}: {w['message']}" for w in report["warnings"]]
    lines += [f"  error: {e['source']}: {e['message']}" for e in report["errors"]]
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in report["timings"].items())
    lines.append(f"  time: {timings}")
    lines.append(f"  archive: {Path(report['report_path']).parent.parent}")
    return lines
