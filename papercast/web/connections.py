"""Bounded connections: what keeps slow or idle peers from holding the app's sockets and file descriptors.

uvicorn's h11 protocol closes a kept-alive connection that stays idle (`timeout_keep_alive`), but
nothing else: a new connection that sends nothing, or a request whose headers trickle in a byte at a
time, stays open for ever (measured: still open after 15 s, with uvicorn 0.55). `GuardedProtocol` adds
what a front server would:

- a deadline for the request line and headers (`[web] header_timeout`), from the connection's start or
  from the first byte of the next request on a kept-alive connection, however slowly bytes arrive;
- a deadline for the body once the headers are in (`[web] body_timeout`);
- a cap on open connections (`[web] max_connections`, lowered to fit the open-file limit with room for
  the state and the archive's files). Beyond it, the connection waiting longest for a request is closed
  to make room; when every connection is in a request, the newcomer gets `503` with `Retry-After`.

A peer past a deadline gets `408` and is closed; nothing is logged per connection, so a flood of them
cannot flood the log either.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from papercast.config import Web
from papercast.web.middleware import SECURITY_HEADERS

log = logging.getLogger("papercast.web")
FD_RESERVE = 256  # descriptors kept for the state, the archive's files, the thread pools and the process itself
RETRY_AFTER_SECONDS = 10
HEAD, BODY = "head", "body"


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int
    header_timeout: float
    body_timeout: float

    @classmethod
    def of(cls, web: Web) -> "ConnectionLimits":
        return cls(fitting_connections(web.max_connections), web.header_timeout, web.body_timeout)


def fitting_connections(wanted: int) -> int:
    """`wanted`, or fewer when the process may not open that many files besides FD_RESERVE."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft - FD_RESERVE >= wanted:
        return wanted
    fitted = max(8, soft - FD_RESERVE)
    log.info("at most %d connections at once: the open-file limit is %d ([web] max_connections = %d)",
             fitted, soft, wanted)
    return fitted


def plain_answer(status: int, reason: str, text: str, extra: tuple[tuple[bytes, bytes], ...] = ()) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, with the app's security headers."""
    body = (text + "\n").encode("ascii")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), (b"cache-control", b"no-store"), *extra, *SECURITY_HEADERS]
    head = f"HTTP/1.1 {status} {reason}\r\n".encode("ascii") + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"\r\n" + body


TIMED_OUT = plain_answer(408, "Request Timeout", "the request did not arrive in time")
FULL = plain_answer(503, "Service Unavailable", "too many connections: try again later",
                    ((b"retry-after", str(RETRY_AFTER_SECONDS).encode()),))


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with header and body deadlines and a cap on connections (see the module)."""

    limits: ConnectionLimits  # set on the subclass `guarded_protocol` makes

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.phase: str | None = None
        self.deadline: asyncio.TimerHandle | None = None
        self.waiting_since = time.monotonic()
        super().connection_made(transport)
        self.expect(HEAD)
        if len(self.connections) > self.limits.max_connections:
            self.make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self.follow_request()

    def on_response_complete(self) -> None:
        self.waiting_since = time.monotonic()
        self.expect(None)  # an idle kept-alive connection is uvicorn's keep-alive timeout's
        super().on_response_complete()
        self.follow_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self.expect(None)
        super().connection_lost(exc)

    def follow_request(self) -> None:
        """The deadline for what the peer is sending now: headers, then the body; none once it is all in."""
        state = self.conn.their_state
        if state is h11.IDLE and self.phase is None and self.conn.trailing_data[0]:
            self.expect(HEAD)  # the first bytes of another request on a kept-alive connection
        elif state is h11.SEND_BODY and self.phase != BODY:
            self.expect(BODY)
        elif state not in (h11.IDLE, h11.SEND_BODY):
            self.expect(None)

    def expect(self, phase: str | None) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        self.phase, self.deadline = phase, None
        if phase is not None:
            seconds = self.limits.header_timeout if phase == HEAD else self.limits.body_timeout
            self.deadline = self.loop.call_later(seconds, self.time_out)

    def time_out(self) -> None:
        self.deadline = None
        self.answer_and_close(TIMED_OUT)

    def answer_and_close(self, answer: bytes) -> None:
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()

    @property
    def waiting(self) -> bool:
        """Waiting for a request (none begun, or its headers still coming): nothing of the app's is lost
        by closing it."""
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing() and (
            self.cycle is None or self.cycle.response_complete)

    def make_room(self) -> None:
        """Over the cap: close the connection that has waited longest for a request, or refuse this one."""
        others = [c for c in self.connections if c is not self and isinstance(c, GuardedProtocol) and c.waiting]
        if others:
            min(others, key=lambda c: c.waiting_since).answer_and_close(TIMED_OUT)
        else:
            self.expect(None)
            self.answer_and_close(FULL)


def guarded_protocol(limits: ConnectionLimits) -> type[GuardedProtocol]:
    """The protocol class for uvicorn's `http` setting, bound to these limits."""
    return type("GuardedH11Protocol", (GuardedProtocol,), {"limits": limits})
