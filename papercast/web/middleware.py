"""What wraps every request of the app: the security headers, one access-log line, and the last
resort for an error nobody planned for.

Every response carries headers that keep pages out of frames and other sites' referrers. The access
log (logger `papercast.web.access`) has one line per request: method, path (never the query: a signed
link is a capability), status and time, with every control character from the request escaped
(papercast/printable.py), so a path cannot forge a log line or drive a terminal. An unexpected error
answers a plain 500 page with the same headers, never a traceback, and logs one line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from papercast.printable import printable

log = logging.getLogger("papercast.web")
access_log = logging.getLogger("papercast.web.access")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
        b" form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]
SERVER_ERROR_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Something went wrong'
    b'</title><meta name="robots" content="noindex, nofollow"></head><body><h1>Something went wrong'
    b"</h1><p>The page could not be made. Nothing was changed. Please try again later.</p>"
    b"</body></html>\n"
)


def request_line(scope: Scope) -> str:
    """`METHOD /path` as it may be logged: no query, control characters escaped."""
    return f"{printable(scope['method'])} {printable(scope['path'])}"


def error_start(status: int, body: bytes, extra: Sequence[tuple[bytes, bytes]] = ()) -> Message:
    return {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            *extra,
        ],
    }


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, logs one line per request, and answers an unexpected
    error with SERVER_ERROR_PAGE (500) and one log line."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), []

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:  # the last line of defence: one line in the log, a plain page to the client
            log.error("%s failed: %s", request_line(scope), printable(f"{type(exc).__name__}: {exc}"))
            if not status:
                await with_headers(error_start(500, SERVER_ERROR_PAGE))
                await send({"type": "http.response.body", "body": SERVER_ERROR_PAGE})
        access_log.info(
            "%s %d %.1f ms", request_line(scope), status[0] if status else 0, (time.perf_counter() - started) * 1000
        )
