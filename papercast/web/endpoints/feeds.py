"""A reader's private feed by signed link: `GET /feed?r=…&l=…&s=…` answers their issues as Atom.

The URL is shown at the bottom of every newsletter of a reader whose `channels` include "feed". It is
a capability: whoever holds it can read the feed, no one can make it without the secret, and a link
altered in any character answers 403. The feed is built from the ledger at each request
(papercast/delivery/feed.py); an ETag lets feed readers poll cheaply (304 when nothing changed).
"""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from papercast.delivery.feed import NAME as FEED_CHANNEL
from papercast.delivery.feed import reader_feed
from papercast.links.identity import public_base
from papercast.links.reader import FEED, ReaderLinks, link_query
from papercast.web.confirm import verified_link
from papercast.web.context import Verified, WebContext
from papercast.web.pages import Page, page_response

ATOM = "application/atom+xml; charset=utf-8"
FEED_HEADERS = {"Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex, nofollow"}
NO_FEED = Page(
    "No private feed here", ("This reader gets no private feed: their channels do not include it.",), status=404
)


def routes(context: WebContext) -> list[BaseRoute]:
    async def feed(request: Request) -> Response:
        return await serve_feed(context, request)

    return [Route(f"/{FEED}", feed, methods=["GET"], name=FEED)]


async def serve_feed(context: WebContext, request: Request) -> Response:
    title = context.settings().site.title
    verified = verified_link(context, request, FEED)
    if isinstance(verified, Response):
        return verified
    if FEED_CHANNEL not in verified.reader.channels:
        return page_response(context.env, title, NO_FEED)
    body = await run_in_threadpool(build, context, verified, request.query_params["s"])  # verified: one s
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={**FEED_HEADERS, "ETag": tag})
    return Response(body, media_type=ATOM, headers={**FEED_HEADERS, "ETag": tag})


def build(context: WebContext, verified: Verified, signature: str) -> bytes:
    """The feed as Atom; its self link is the public URL it was fetched at (the same query, under base_url)."""
    settings = context.settings()
    self_url = f"{public_base(settings) or '/'}{FEED}?{link_query(verified.link, signature)}"
    links = ReaderLinks.of(settings, context.keys)
    with context.store() as store:
        return reader_feed(store, settings, verified.reader, links, self_url, verified.link.reader)
