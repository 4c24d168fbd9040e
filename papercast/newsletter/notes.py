"""A week with nothing new for a reader: by default nothing is sent; with
`[schedule] nothing_new = "note"` the reader gets a short "nothing new" note.

A note is an issue without papers: it is written (and sent) like a newsletter,
leaves the reader's cursor where it was, and is written at most once per
reader and date, so a rerun on the same day does not send it again.
"""

from __future__ import annotations

import datetime as dt

import jinja2

from papercast.config import Reader, Settings
from papercast.delivery.deliver import WrittenNewsletter, write_newsletter
from papercast.errors import StateError
from papercast.delivery.message import unsubscribe_links
from papercast.newsletter.plan import NewsletterPlan, reader_slug
from papercast.newsletter.render import RenderedNewsletter, one_line, render_template
from papercast.store import Store


def note_plan(reader: Reader, date: dt.date, cursor: int) -> NewsletterPlan:
    return NewsletterPlan(f"{date.isoformat()}-{reader_slug(reader.email)}-nothing-new", reader, date, (), cursor)


def render_note(env: jinja2.Environment, settings: Settings, plan: NewsletterPlan) -> RenderedNewsletter:
    subject = one_line(f"papercast {plan.date.isoformat()}: nothing new for you this week")
    context = {"plan": plan, "reader": plan.reader, "subject": subject,
               "profiles": [settings.profile(pid).title for pid in plan.reader.profiles],
               "unsubscribe_url": unsubscribe_links(settings.smtp, plan.reader).body_link}
    return RenderedNewsletter(plan, subject, render_template(env, "nothing_new.html.j2", **context),
                              render_template(env, "nothing_new.txt.j2", **context))


def write_notes(store: Store, settings: Settings, env: jinja2.Environment, readers: list[Reader],
                date: dt.date, when: dt.datetime, run_id: int, sending: bool = False) -> list[WrittenNewsletter]:
    """A note for each reader who has not had one for this date."""
    written = []
    for reader in readers:
        plan = note_plan(reader, date, store.reader_cursor(reader.email))
        if not already_written(store, plan.issue_id):
            written.append(write_newsletter(store, settings, render_note(env, settings, plan), when, run_id, sending))
    return written


def already_written(store: Store, issue_id: str) -> bool:
    try:
        store.issue(issue_id)
    except StateError:
        return False
    return True
