"""Did it arrive? Write each newsletter to the archive and its message to the outbox.

A paper counts as delivered to a reader only once the newsletter files were
written: the store records the issue, its papers and the reader's cursor in
one transaction after the files are in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from papercast.config import Settings
from papercast.files import write_atomic
from papercast.message import build_message
from papercast.personalize import NewsletterPlan, reader_slug
from papercast.render import RenderedNewsletter, render_newsletter
from papercast.store import Store


@dataclass(frozen=True)
class WrittenNewsletter:
    reader: str
    issue_id: str
    papers: list[str]
    html: Path
    text: Path
    eml: Path
    message_id: str

    def as_dict(self) -> dict:
        return {"reader": self.reader, "issue": self.issue_id, "papers": self.papers,
                "html": str(self.html), "text": str(self.text), "eml": str(self.eml),
                "message_id": self.message_id}


def newsletter_paths(archive: Path, rendered: RenderedNewsletter) -> tuple[Path, Path, Path]:
    plan = rendered.plan
    folder = archive / "newsletters" / reader_slug(plan.reader.email)
    return (folder / f"{plan.issue_id}.html", folder / f"{plan.issue_id}.txt",
            archive / "outbox" / f"{plan.issue_id}.eml")


def write_newsletter(store: Store, settings: Settings, rendered: RenderedNewsletter,
                     when: dt.datetime, run_id: int) -> WrittenNewsletter:
    """Write .html, .txt and .eml, then record the issue and its deliveries."""
    html_path, text_path, eml_path = newsletter_paths(settings.paths.archive, rendered)
    message = build_message(rendered, settings, when)
    write_atomic(html_path, rendered.html.encode("utf-8"))
    write_atomic(text_path, rendered.text.encode("utf-8"))
    write_atomic(eml_path, message.as_bytes())
    plan = rendered.plan
    store.record_issue(
        {"id": plan.issue_id, "reader": plan.reader.email, "run_id": run_id,
         "date": plan.date.isoformat(), "status": "written", "message_id": message["Message-ID"],
         "subject": rendered.subject, "html_path": str(html_path), "text_path": str(text_path),
         "eml_path": str(eml_path)},
        plan.paper_ids, plan.cursor)
    return WrittenNewsletter(plan.reader.email, plan.issue_id, plan.paper_ids,
                             html_path, text_path, eml_path, message["Message-ID"])


def write_newsletters(store: Store, settings: Settings, env: jinja2.Environment, plans: list[NewsletterPlan],
                      when: dt.datetime, run_id: int) -> list[WrittenNewsletter]:
    """Render and write a batch of newsletters, recording each as it is written."""
    return [write_newsletter(store, settings, render_newsletter(env, plan), when, run_id)
            for plan in plans]
