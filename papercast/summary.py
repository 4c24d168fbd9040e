"""What did this run do? A short Markdown summary of a run report, for people.

The flow publishes it as a Prefect artifact; it reads the report dict only, so
it can be tested (and reused) without Prefect.
"""

from __future__ import annotations

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
            f"- newsletters queued for a later send: {totals.get('queued', statuses.count('rendered'))}",
            f"- readers with nothing new: {len(report.get('no_newsletter', []))}"]


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
