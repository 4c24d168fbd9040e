"""A week with nothing new for a reader: by default nothing is sent; with
`[schedule] nothing_new = "note"` the reader gets a short "nothing new" note.

A note is an issue without papers (planned in newsletter/plan.py): it is written and
delivered like a newsletter, leaves the reader's cursor where it was, and is planned at
most once per reader and date, so a rerun on the same day does not send it again.
"""

from __future__ import annotations

import jinja2

from papercast.newsletter.plan import NewsletterPlan
from papercast.newsletter.render import RenderedNewsletter, one_line, render_template
from papercast.settings import Settings


def render_note(
    env: jinja2.Environment, settings: Settings, plan: NewsletterPlan, unsubscribe_url: str = ""
) -> RenderedNewsletter:
    subject = one_line(f"papercast {plan.date.isoformat()}: nothing new for you this week")
    context = {
        "plan": plan,
        "reader": plan.reader,
        "subject": subject,
        "unsubscribe_url": unsubscribe_url,
        "profiles": [settings.profile(pid).title for pid in plan.reader.profiles],
    }
    return RenderedNewsletter(
        plan,
        subject,
        render_template(env, "nothing_new.html.j2", **context),
        render_template(env, "nothing_new.txt.j2", **context),
    )
