"""What did this run do? Short summaries of a run report, for people: Markdown and plain text.

The flow publishes it as a Prefect artifact; it reads the report dict only, so
it can be tested (and reused) without Prefect.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def kind(report: dict) -> str:
    """"run" for the weekly run, "fetch" for a fetch run (ingest and classify only)."""
    return "fetch" if report.get("kind") == "fetch" else "run"


def written_now(report: dict) -> int:
    """Newsletters this run wrote (not those an earlier run wrote and this one only sent)."""
    return sum(1 for entry in report["newsletters"] if not entry.get("resumed"))


def summary_markdown(report: dict) -> str:
    """Sources, new papers, per-profile counts, newsletters written/sent/failed, problems."""
    lines = [f"# papercast {kind(report)} {report['run_id']} — as of {report['as_of']}", "",
             f"**{report['new_papers']} new papers** from {len(report['digests'])} digests.", ""]
    lines += sources_table(report["digests"])
    lines += [f"- {line.strip()}" for line in coverage_lines(report)]
    lines += profiles_table(report["profiles"])
    lines += delivery_lines(report) if kind(report) == "run" else []
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
    return [f"- newsletters written: {written_now(report)} ({mode})",
            f"- newsletters sent: {count('sent')}",
            f"- newsletters failed: {count('failed')}",
            f"- newsletters pending a later send: {totals.get('pending', 0)}"] + \
        [f"- readers without a newsletter ({reason}): {count}" for reason, count in skipped(report).items()] + \
        [f"- finished what an earlier run left: {resumed}" for resumed in [resumed_text(report)] if resumed]


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
    return ["", "## Problems", ""] + [f"- {level}: `{cell(Path(p['source']).name)}`: {cell(p['message'])}"
                                      for level, p in problems]


def cell(text: str) -> str:
    """Safe inside a Markdown table cell or code span."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("`", "'")


def coverage_lines(report: dict) -> list[str]:
    """The days asked of each hf-daily source and, for a weekly run, the fetch runs it covers."""
    lines = [f"  {source['name']} days: " + ", ".join(day_text(day) for day in source["days"])
             for source in report.get("sources", []) if source.get("days")]
    fetches = report.get("fetches") or []
    if fetches:
        lines.append("  covers fetch runs: " + ", ".join(
            f"{run['run_id']} ({run['as_of']}, {run['new_papers']} new)" for run in fetches))
    return lines


def day_text(day: dict) -> str:
    return f"{day['date']} {day['status']}" + (f" ({day['entries']})" if day["status"] == "fetched" else "")


def summary_lines(report: dict) -> list[str]:
    """The plain-text summary printed at the end of a CLI run (weekly or fetch)."""
    lines = [f"papercast {kind(report)} {report['run_id']} as of {report['as_of']}: {report['new_papers']} new papers"]
    for digest in report["digests"]:
        state = "already ingested" if digest["already_ingested"] else f"{digest['papers']} papers, {digest['new']} new"
        lines.append(f"  {Path(digest['source']).name} ({digest['date']}): {state}")
    lines += coverage_lines(report)
    counts = ", ".join(f"{pid} {len(items)}" for pid, items in report["profiles"].items())
    lines.append(f"  new papers per profile: {counts or 'none'}")
    lines += newsletter_lines(report) if kind(report) == "run" else []
    lines += [f"  warning: {w['source']}: {w['message']}" for w in report["warnings"]]
    lines += [f"  error: {e['source']}: {e['message']}" for e in report["errors"]]
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in report["timings"].items())
    lines.append(f"  time: {timings}")
    lines.append(f"  archive: {Path(report['report_path']).parent.parent}")
    return lines + outcome_lines(report)


def newsletter_lines(report: dict) -> list[str]:
    """Written, sent, failed (with each reason) and what was finished for an earlier run."""
    without = "; ".join(f"{reason}: {count}" for reason, count in skipped(report).items()) or "none"
    lines = [f"  newsletters written: {written_now(report)}; readers without one: {without}"]
    if resumed_text(report):
        lines.append(f"  finished what an earlier run left: {resumed_text(report)}")
    if report.get("delivery", {}).get("mode") == "send":
        totals, took = report["delivery"], report["timings"].get("send")
        lines.append(f"  sent: {totals['sent']}; failed: {totals['failed']}; still pending: {totals['pending']}"
                     + (f"; sending took {took:.1f} s" if took is not None else ""))
        lines += [f"  failed: {n['reader']}: {n['reason']}" for n in report["newsletters"] if n["status"] == "failed"]
    return lines


def outcome_lines(report: dict) -> list[str]:
    """The last line when something is left: the exit code and what the next run picks up."""
    left = report.get("not_done") or []
    if not left:
        return []
    return [f"  not done (exit {report.get('exit_code', 3)}): {len(left)} "
            f"{'problem' if len(left) == 1 else 'problems'}, named above; the next run tries again"]
