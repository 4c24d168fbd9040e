"""Did it arrive? Write each newsletter to the archive and its message to the outbox; send it.

Dry run (the default): a paper counts as delivered once the newsletter files were written;
the issue ('written'), its deliveries and the reader's cursor are recorded in one transaction.
Newsletters are written in chunks: first every file of the chunk (the .eml files fsynced), then
the chunk's issues in one transaction, so a crash mid-chunk records none of that chunk.

Sending: the issue is recorded as 'rendered' in the ledger, with its papers and cursor but no
deliveries. It becomes 'sent' (deliveries and cursor recorded in the same transaction) only
after the SMTP server accepted the .eml from the outbox. A reader with a rendered issue left by
an earlier run gets that issue (same bytes, same Message-ID) before anything new is planned.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from sqlite3 import Row

import jinja2

from papercast.config import Settings
from papercast.errors import DeliveryError
from papercast.files import write_atomic_many
from papercast.delivery.message import MessageComposer, unsubscribe_links
from papercast.newsletter.plan import NewsletterPlan, reader_slug
from papercast.newsletter.render import RenderedNewsletter, render_newsletter
from papercast.delivery.smtp import MessageRejected, SmtpSender
from papercast.store import Store

LEDGER_CHUNK = 200  # newsletters written, synced and recorded together


@dataclass(frozen=True)
class WrittenNewsletter:
    reader: str
    issue_id: str
    papers: list[str]
    html: Path
    text: Path
    eml: Path
    message_id: str
    status: str = "written"  # written (dry run) | rendered (waiting to be sent) | sent | failed
    reason: str = ""

    def as_dict(self) -> dict:
        return {"reader": self.reader, "issue": self.issue_id, "papers": self.papers,
                "html": str(self.html), "text": str(self.text), "eml": str(self.eml),
                "message_id": self.message_id, "status": self.status, "reason": self.reason}


def newsletter_paths(archive: Path, rendered: RenderedNewsletter) -> tuple[Path, Path, Path]:
    plan = rendered.plan
    folder = archive / "newsletters" / reader_slug(plan.reader.email)
    return (folder / f"{plan.issue_id}.html", folder / f"{plan.issue_id}.txt",
            archive / "outbox" / f"{plan.issue_id}.eml")


@dataclass(frozen=True)
class PreparedNewsletter:
    """One newsletter ready to be written: its files, and the ledger entry that records them."""

    files: list[tuple[Path, bytes]]  # .html, .txt, then the outbox .eml
    entry: tuple[dict, list[str], int]  # (issue, paper ids, cursor) for the store
    written: WrittenNewsletter


def prepare_newsletter(composer: MessageComposer, archive: Path, rendered: RenderedNewsletter,
                       run_id: int, sending: bool) -> PreparedNewsletter:
    """The newsletter's three files and its issue, written (dry run) or rendered (to send)."""
    html_path, text_path, eml_path = newsletter_paths(archive, rendered)
    message = composer.compose(rendered)
    plan = rendered.plan
    issue = {"id": plan.issue_id, "reader": plan.reader.email, "run_id": run_id,
             "date": plan.date.isoformat(), "status": "written", "message_id": message.message_id,
             "subject": rendered.subject, "html_path": str(html_path), "text_path": str(text_path),
             "eml_path": str(eml_path)}
    files = [(html_path, rendered.html.encode("utf-8")), (text_path, rendered.text.encode("utf-8")),
             (eml_path, message.data)]
    written = WrittenNewsletter(plan.reader.email, plan.issue_id, plan.paper_ids, html_path, text_path,
                                eml_path, message.message_id, "rendered" if sending else "written")
    return PreparedNewsletter(files, (issue, plan.paper_ids, plan.cursor), written)


def write_prepared(store: Store, prepared: list[PreparedNewsletter], sending: bool) -> list[WrittenNewsletter]:
    """Write the newsletters' files, then record them all in one transaction.

    The ledger learns of a newsletter only after its files are in place and its .eml is on
    disk (a rerun resends those very bytes), so a crash never counts an unwritten one.
    """
    write_atomic_many([file for item in prepared for file in item.files[:2]], durable=False)
    write_atomic_many([item.files[2] for item in prepared])
    entries = [item.entry for item in prepared]
    if sending:
        store.record_pending_issues(entries)
    else:
        store.record_issues(entries)
    return [item.written for item in prepared]


def write_newsletter(store: Store, settings: Settings, rendered: RenderedNewsletter,
                     when: dt.datetime, run_id: int, sending: bool = False) -> WrittenNewsletter:
    """Write .html, .txt and .eml, then record the issue: written (dry run) or rendered (to send)."""
    prepared = prepare_newsletter(MessageComposer(settings, when), settings.paths.archive, rendered, run_id, sending)
    return write_prepared(store, [prepared], sending)[0]


def from_ledger(row: Row) -> WrittenNewsletter:
    return WrittenNewsletter(row["reader"], row["id"], json.loads(row["papers"]), Path(row["html_path"]),
                             Path(row["text_path"]), Path(row["eml_path"]), row["message_id"],
                             row["status"], row["last_error"] or "")


def write_newsletters(store: Store, settings: Settings, env: jinja2.Environment, plans: list[NewsletterPlan],
                      when: dt.datetime, run_id: int, sending: bool = False,
                      chunk_size: int = LEDGER_CHUNK) -> list[WrittenNewsletter]:
    """Render and write a batch, `chunk_size` newsletters per ledger transaction;
    a reader's issue still waiting to be sent is taken as it is."""
    composer = MessageComposer(settings, when)
    written = []
    for start in range(0, len(plans), chunk_size):
        chunk = plans[start:start + chunk_size]
        written += write_chunk(store, settings, env, composer, chunk, run_id, sending)
    return written


def write_chunk(store: Store, settings: Settings, env: jinja2.Environment, composer: MessageComposer,
                plans: list[NewsletterPlan], run_id: int, sending: bool) -> list[WrittenNewsletter]:
    """One chunk of plans, in order: pending issues from the ledger, the rest rendered and written."""
    taken: dict[int, WrittenNewsletter] = {}
    prepared: list[PreparedNewsletter] = []
    for position, plan in enumerate(plans):
        pending = store.pending_issue(plan.reader.email)
        if pending is not None:
            taken[position] = from_ledger(pending)
            continue
        link = unsubscribe_links(settings.smtp, plan.reader).body_link
        rendered = render_newsletter(env, plan, unsubscribe_url=link)
        prepared.append(prepare_newsletter(composer, settings.paths.archive, rendered, run_id, sending))
    fresh = iter(write_prepared(store, prepared, sending) if prepared else [])
    return [taken[position] if position in taken else next(fresh) for position in range(len(plans))]


@dataclass(frozen=True)
class SendResult:
    issue_id: str
    reader: str
    status: str  # sent | failed
    reason: str = ""

    def as_dict(self) -> dict:
        return {"issue": self.issue_id, "reader": self.reader, "status": self.status, "reason": self.reason}


def send_issue(store: Store, sender: SmtpSender, issue_id: str) -> SendResult:
    """Send one rendered issue's .eml and move it to sent; a rejection is recorded, not raised."""
    row = store.issue(issue_id)
    if row["status"] != "rendered":
        return SendResult(issue_id, row["reader"], row["status"], row["last_error"] or "")
    try:
        data = Path(row["eml_path"]).read_bytes()
    except OSError as exc:
        return record_failure(store, row, f"outbox file unreadable: {exc}", permanent=True)
    try:
        sender.send(row["reader"], data)
    except MessageRejected as exc:
        return record_failure(store, row, exc.message, exc.permanent)
    except DeliveryError as exc:  # the server is unreachable: note it on this issue and stop the batch
        store.record_send_failure(issue_id, exc.message, permanent=False)
        raise
    store.mark_sent(issue_id)
    return SendResult(issue_id, row["reader"], "sent")


def record_failure(store: Store, row: Row, reason: str, permanent: bool) -> SendResult:
    store.record_send_failure(row["id"], reason, permanent)
    note = "" if permanent else " (still queued: the next run with --send tries again)"
    return SendResult(row["id"], row["reader"], "failed", reason + note)


def send_issues(store: Store, sender: SmtpSender, issue_ids: list[str]) -> list[SendResult]:
    """Send a batch over the sender's one connection, in order."""
    return [send_issue(store, sender, issue_id) for issue_id in issue_ids]


def unsent_results(entries: list[dict], reason: str) -> list[dict]:
    """Results for a batch the server never took: failed in this run, still queued for the next."""
    return [{"issue": entry["issue"], "reader": entry["reader"], "status": "failed",
             "reason": f"{reason} (still queued: the next run with --send tries again)"} for entry in entries]


def apply_send_results(newsletters: list[dict], results: list[dict]) -> list[dict]:
    """The report's newsletter entries with each one's delivery status after sending."""
    by_issue = {result["issue"]: result for result in results}
    return [{**entry, "status": by_issue[entry["issue"]]["status"], "reason": by_issue[entry["issue"]]["reason"]}
            if entry["issue"] in by_issue else entry for entry in newsletters]


def delivery_totals(newsletters: list[dict], no_newsletter: list[dict], sending: bool) -> dict:
    """Counts per delivery status for the report: sent, failed, written, queued, skipped."""
    totals = {"mode": "send" if sending else "dry-run", "sent": 0, "failed": 0, "written": 0, "queued": 0,
              "skipped": len(no_newsletter)}
    for entry in newsletters:
        key = {"rendered": "queued"}.get(entry["status"], entry["status"])
        totals[key] = totals.get(key, 0) + 1
    return totals

