"""The app's own pages (a question with a button, what was done, an error), rendered from
templates/reader_page.html.j2: small, no script, readable at 320 px and up.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from papercast.newsletter.render import render_template

PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


@dataclass(frozen=True)
class Button:
    """A form that POSTs `fields` to `action` ("" posts back to the page's own URL)."""

    label: str
    fields: tuple[tuple[str, str], ...] = (("confirm", "yes"),)
    action: str = ""


@dataclass(frozen=True)
class Page:
    title: str
    lines: tuple[str, ...] = ()
    button: Button | None = None
    status: int = 200
    links: tuple[tuple[str, str], ...] = ()  # (text, URL) shown after the button


def masked(email: str) -> str:
    """`ada@example.org` -> `a…@example.org`: enough for a reader to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def page_response(env: jinja2.Environment, site_title: str, page: Page) -> Response:
    html = render_template(env, "reader_page.html.j2", page=page, site_title=site_title)
    return HTMLResponse(html, status_code=page.status, headers=PRIVATE)


def text_response(text: str, status: int = 200) -> Response:
    return PlainTextResponse(text + "\n", status_code=status, headers=PRIVATE)


FORBIDDEN = Page(
    "This link is not valid",
    (
        "It was changed or cut short, or it was signed with a secret this site no longer accepts, "
        "or its reader is no longer on the list. Nothing was changed.",
        "Use the link in a recent newsletter.",
    ),
    status=403,
)
UNSIGNED = Page(
    "Reader links are switched off",
    ("This site has no signing secret, so it cannot check links. Nothing was changed.",),
    status=503,
)
BUSY = Page(
    "Busy, please try again",
    (
        "The site is busy and could not record this just now. Nothing was changed.",
        "Please press the button again in a minute.",
    ),
    status=503,
)
NOT_FOUND = Page("Not found", ("There is nothing here.",), status=404)
