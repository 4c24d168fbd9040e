"""The write stage: render planned issues and write their files. Pure: no state is touched.

Workers (threads or Dask processes) run `write_issues` on a batch of plans and hand back what
they wrote; only the coordinating process records it (`record_written`), so a cluster needs
shared archive storage but never a shared state file. Files are written whole (temporary file,
then rename) and, for what a channel sends later (the outbox), fsynced first; the same plan
always writes the same bytes, so a rerun after a crash rewrites interrupted files identically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from papercast.delivery.channels import Prepared
from papercast.delivery.feed import FeedChannel
from papercast.delivery.message import unsubscribe_links
from papercast.delivery.registry import channels_for, reader_channels
from papercast.faults import checkpoint
from papercast.files import private_folder, write_atomic_many
from papercast.links.issue import issue_links
from papercast.links.reader import ReaderLinks
from papercast.links.signing import link_keys
from papercast.newsletter.notes import render_note
from papercast.newsletter.plan import NewsletterPlan, reader_slug
from papercast.newsletter.render import RenderedNewsletter, make_environment, render_newsletter
from papercast.settings import Settings
from papercast.store.ledger import Ledger
from papercast.store.records import ChannelDelivery

RECORD_CHUNK = 200  # written issues recorded per ledger transaction
WRITE_CHUNK = 250  # issues rendered, then written together (their files fsynced together)


@dataclass(frozen=True)
class WrittenIssue:
    """One issue whose files are in place, and how each channel stands with it."""

    issue_id: str
    reader: str
    subject: str
    papers: tuple[str, ...]
    html: Path
    text: Path
    deliveries: tuple[ChannelDelivery, ...]
    files: tuple[Path, ...] = ()  # what the channels wrote (the outbox .eml; the feed writes nothing)

    @property
    def message_id(self) -> str:
        """The reference of the first channel that gave one (the email's Message-ID)."""
        return next((d.ref for d in self.deliveries if d.ref), "")

    @property
    def note(self) -> bool:
        return not self.papers


NO_STATE = Path("/dev/null/papercast-workers-never-open-the-state")


def for_workers(settings: Settings) -> Settings:
    """What a write task needs of the settings: no readers (each plan carries its own) and no state
    path (a worker that tried to open the state would fail at once)."""
    return settings.model_copy(update={"readers": [], "paths": settings.paths.model_copy(update={"state": NO_STATE})})


def newsletter_paths(archive: Path, plan: NewsletterPlan) -> tuple[Path, Path]:
    folder = archive / "newsletters" / reader_slug(plan.reader.email)
    return folder / f"{plan.issue_id}.html", folder / f"{plan.issue_id}.txt"


def render_issue(
    env: jinja2.Environment, settings: Settings, plan: NewsletterPlan, links: ReaderLinks | None = None
) -> RenderedNewsletter:
    """The issue's pages, with the reader's links: unsubscribe, a vote pair per paper, their private feed."""
    links = links or ReaderLinks.of(settings, link_keys(settings, os.environ))
    link = unsubscribe_links(settings, plan.reader, links).body_link
    if plan.is_note:
        return render_note(env, settings, plan, link)
    shown = (*plan.sections, *plan.explore)
    pairs = [(section.profile_id, item.paper.id) for section in shown for item in section.items]
    feed = FeedChannel.name in plan.reader.channels
    tune = [(pid, settings.profile(pid).title) for pid in plan.reader.profiles if pid in settings.profile_ids]
    return render_newsletter(env, plan, links=issue_links(links, plan.reader.email, link, pairs, feed, tune))


@dataclass(frozen=True)
class RenderedChunk:
    """A chunk of issues rendered and composed, with the files still to write."""

    written: list[WrittenIssue]
    pages: list[tuple[Path, bytes]]  # the newsletter's .html and .txt: rebuildable from the plan
    outgoing: list[tuple[Path, bytes]]  # what a channel sends later: on disk before the ledger says written


def render_chunk(
    plans: list[NewsletterPlan], settings: Settings, sending: bool, env: jinja2.Environment
) -> RenderedChunk:
    """Render each plan and prepare every channel's files, in memory."""
    channels = channels_for(settings)
    links = ReaderLinks.of(settings, link_keys(settings, os.environ))
    chunk = RenderedChunk([], [], [])
    for plan in plans:
        rendered = render_issue(env, settings, plan, links)
        html, text = newsletter_paths(settings.paths.archive, plan)
        chunk.pages.extend([(html, rendered.html.encode("utf-8")), (text, rendered.text.encode("utf-8"))])
        prepared = [channel.prepare(rendered, sending) for channel in reader_channels(channels, plan.reader)]
        chunk.outgoing.extend(file for item in prepared for file in item.files)
        chunk.written.append(written_issue(rendered, html, text, prepared))
    return chunk


def write_chunk(chunk: RenderedChunk) -> list[WrittenIssue]:
    """The chunk's files in place: pages as they are, the outbox fsynced."""
    for folder in {path.parents[1] for path, _ in chunk.pages} | {path.parent for path, _ in chunk.outgoing}:
        private_folder(folder)  # newsletters/ and the outbox: their listings name readers
    write_atomic_many(chunk.pages, durable=False, private=True)
    write_atomic_many(chunk.outgoing, private=True)
    return chunk.written


def write_issues(
    plans: list[NewsletterPlan], settings: Settings, sending: bool, env: jinja2.Environment | None = None
) -> list[WrittenIssue]:
    """Render each plan, write its pages and every channel's files; return what was written."""
    return write_chunk(render_chunk(plans, settings, sending, env or make_environment()))


@dataclass(frozen=True)
class WrittenBatch:
    """What one write task wrote, as one object: Prefect links a task's result to its run one level
    deep, and a bare list of 1,000 issues would cost it a state copy per issue."""

    issues: tuple[WrittenIssue, ...]


def write_batch(
    plans: list[NewsletterPlan], settings: Settings, sending: bool, chunk: int = WRITE_CHUNK
) -> WrittenBatch:
    """`write_issues` for a write task of the flow, `chunk` plans at a time: a chunk's files are held in
    memory until they are written, so memory does not grow with the batch. (Writing one chunk in a
    thread while the next renders measured slower here: bench/RESULTS-scale.md, "after (write)".)"""
    env = make_environment()
    return WrittenBatch(
        tuple(
            issue
            for start in range(0, len(plans), chunk)
            for issue in write_issues(plans[start : start + chunk], settings, sending, env)
        )
    )


def written_issue(rendered: RenderedNewsletter, html: Path, text: Path, prepared: list[Prepared]) -> WrittenIssue:
    plan = rendered.plan
    return WrittenIssue(
        plan.issue_id,
        plan.reader.email,
        rendered.subject,
        tuple(plan.paper_ids),
        html,
        text,
        tuple(item.delivery for item in prepared),
        tuple(path for item in prepared for path, _ in item.files),
    )


def record_written(ledger: Ledger, written: list[WrittenIssue], run_id: int, chunk: int = RECORD_CHUNK) -> None:
    """The coordinator's half of the write stage: the ledger learns of written issues, a chunk at a time."""
    for start in range(0, len(written), chunk):
        part = written[start : start + chunk]
        ledger.record_written([(w.issue_id, w.subject, list(w.deliveries)) for w in part], run_id)
        checkpoint("write.chunk")
