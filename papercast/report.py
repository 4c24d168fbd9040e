"""The run report: one JSON object that says what a run did."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from papercast.files import write_atomic
from papercast.models import Assignment, DigestResult, Problem, StoredPaper


@dataclass
class RunReport:
    run_id: int
    as_of: dt.date
    classifier: str = ""
    new_papers: int = 0
    digests: list[DigestResult] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # per fetched source: status, entries, new (see fetch.py)
    profiles: dict[str, list[dict]] = field(default_factory=dict)
    newsletters: list[dict] = field(default_factory=list)
    no_newsletter: list[dict] = field(default_factory=list)
    delivery: dict = field(default_factory=dict)  # totals per delivery status (see papercast/deliver.py)
    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    report_path: str = ""

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id, "as_of": self.as_of.isoformat(), "classifier": self.classifier,
            "new_papers": self.new_papers, "digests": [d.as_dict() for d in self.digests],
            "sources": self.sources, "profiles": self.profiles, "newsletters": self.newsletters,
            "no_newsletter": self.no_newsletter, "delivery": self.delivery, "pages": self.pages, "feeds": self.feeds,
            "warnings": [w.as_dict() for w in self.warnings],
            "errors": [e.as_dict() for e in self.errors],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "report_path": self.report_path,
        }


def profile_listing(assignments: list[Assignment], papers: list[StoredPaper],
                    profile_ids: list[str]) -> dict[str, list[dict]]:
    """profile id -> the new papers assigned to it, best first, as {id, title, score, why}."""
    titles = {paper.id: paper.title for paper in papers}
    listing: dict[str, list[dict]] = {pid: [] for pid in profile_ids}
    for a in sorted(assignments, key=lambda a: (-a.score, a.paper_id)):
        listing.setdefault(a.profile_id, []).append(
            {"id": a.paper_id, "title": titles.get(a.paper_id, ""), "score": a.score, "why": a.why})
    return listing


def save_report(report: RunReport, archive: Path) -> Path:
    """Write the report under archive/reports/ (one per run, and latest.json)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = archive / "reports" / f"run-{report.run_id:05d}-{stamp}.json"
    report.report_path = str(path)
    data = json.dumps(report.as_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    write_atomic(path, data)
    write_atomic(archive / "reports" / "latest.json", data)
    return path
