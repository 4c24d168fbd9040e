"""A signed link that changes something: `GET <action>?...` shows a page that asks, `POST` does it.

A GET never changes anything (mail scanners and link previews fetch every link in a message).
The POST does the action when its form says `confirm=yes` (the page's button) or, for actions that
allow it, `List-Unsubscribe=One-Click` (RFC 8058: what a mail provider POSTs for its unsubscribe
button), form-encoded or multipart. The link's signature is checked first, for both methods: a
forged, altered or cut link gets 403 and nothing changes.

Part 2 adds its actions (feedback votes) as more `SignedAction`s in an endpoint module.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from papercast.errors import StateBusyError
from papercast.web.context import Verified, WebContext
from papercast.web.forms import FormRefused, form_fields
from papercast.web.pages import BUSY, FORBIDDEN, UNSIGNED, Page, page_response, text_response

MAX_FORM_BYTES = 8192
ONE_CLICK = ("List-Unsubscribe", "One-Click")


@dataclass(frozen=True)
class SignedAction:
    """`ask` gives the GET page; `apply` does the action (`one_click` tells how it was asked) and gives the
    page that says so. `ask` runs on the page threads, `apply` on the write threads (WebContext.write):
    both may open the store, and `apply` writes through `WebContext.writing()`."""

    name: str
    ask: Callable[[WebContext, Verified], Page]
    apply: Callable[[WebContext, Verified, bool], Page]
    one_click: bool = False
    one_click_reply: str = "done"


def query_fields(request: Request) -> dict[str, str] | None:
    """The link's fields; None when one is given twice (never signed that way)."""
    pairs = request.query_params.multi_items()
    fields = dict(pairs)
    return fields if len(fields) == len(pairs) else None


async def read_form(request: Request) -> dict[str, str] | None:
    """A small form body (papercast/web/forms.py says which); None when it is larger than MAX_FORM_BYTES,
    FormRefused when it is not a form the app reads."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    return form_fields(request.headers.get("content-type", ""), body)


def signed_action_route(context: WebContext, action: SignedAction) -> Route:
    async def endpoint(request: Request) -> Response:
        return await handle(context, action, request)

    return Route(f"/{action.name}", endpoint, methods=["GET", "POST"], name=action.name)


def verified_link(context: WebContext, request: Request, action: str) -> Verified | Response:
    """The reader a signed `action` link names, or the page to answer instead: no secret set, or a
    link that does not verify (forged, altered, rotated out, for another action)."""
    title = context.settings().site.title
    if not context.keys.signed:
        return page_response(context.env, title, UNSIGNED)
    fields = query_fields(request)
    verified = context.verify(action, fields) if fields is not None else None
    return page_response(context.env, title, FORBIDDEN) if verified is None else verified


async def handle(context: WebContext, action: SignedAction, request: Request) -> Response:
    settings = context.settings()
    verified = verified_link(context, request, action.name)
    if isinstance(verified, Response):
        return verified
    if request.method in ("GET", "HEAD"):
        page = await run_in_threadpool(action.ask, context, verified)
        return page_response(context.env, settings.site.title, page)
    try:
        form = await read_form(request)
    except FormRefused as refused:
        return text_response(str(refused), 400)
    except ClientDisconnect:  # the body did not arrive within [web] body_timeout: no one reads this answer
        return text_response("the form did not arrive in time", 408)
    if form is None:
        return text_response("form too large", 413)
    one_click = action.one_click and form.get(ONE_CLICK[0]) == ONE_CLICK[1]
    if not one_click and form.get("confirm") != "yes":
        return text_response(
            "nothing to confirm: POST confirm=yes" + (" or List-Unsubscribe=One-Click" if action.one_click else ""), 400
        )
    try:
        page = await context.write(action.apply, context, verified, one_click)
    except StateBusyError:
        return busy_response(context, one_click, settings.web.write_wait)
    if one_click:
        return text_response(action.one_click_reply)
    return page_response(context.env, settings.site.title, page)


def busy_response(context: WebContext, one_click: bool, wait: float) -> Response:
    """503 with Retry-After: the state was held by another process for longer than `[web] write_wait`."""
    response = (
        text_response("busy: nothing was changed, try again later", 503)
        if one_click
        else page_response(context.env, context.settings().site.title, BUSY)
    )
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response
