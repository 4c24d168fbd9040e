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

The event loop accepts at most ACCEPT_BATCH connections at a time (the kernel still queues
LISTEN_QUEUE), so a flood of connections never holds more descriptors than the cap allows for: the
process does not run out of them, and its accept loop never stalls on EMFILE. A peer past a deadline
gets `408` and is closed; nothing is logged per connection, so a flood cannot flood the log either.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import OrderedDict
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from papercast.settings import Web
from papercast.web.middleware import SECURITY_HEADERS

log = logging.getLogger("papercast.web")
FD_RESERVE = 256  # descriptors kept for the state, the archive's files, the thread pools and the process itself
ACCEPT_BATCH = 64  # connections the event loop accepts in one go (asyncio takes its listen backlog as the batch)
LISTEN_QUEUE = 2048  # connections the kernel holds until they are accepted
RETRY_AFTER_SECONDS = 10
HEAD, BODY = "head", "body"


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int
    header_timeout: float
    body_timeout: float

    @classmethod
    def of(cls, web: Web) -> ConnectionLimits:
        return cls(fitting_connections(web.max_connections), web.header_timeout, web.body_timeout)


def raise_file_limit() -> None:
    """The soft open-file limit up to the hard one (at most 65,536), as servers do: more room for connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def fitting_connections(wanted: int) -> int:
    """`wanted`, or fewer when the process may not open that many files besides FD_RESERVE and what an
    accept batch and the connections still closing hold for a moment."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    room = soft - FD_RESERVE - 2 * ACCEPT_BATCH
    if soft == resource.RLIM_INFINITY or room >= wanted:
        return wanted
    fitted = max(8, room)
    log.info(
        "at most %d connections at once: the open-file limit is %d ([web] max_connections = %d)", fitted, soft, wanted
    )
    return fitted


def plain_answer(status: int, reason: str, text: str, extra: tuple[tuple[bytes, bytes], ...] = ()) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, with the app's security headers."""
    body = (text + "\n").encode("ascii")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        (b"cache-control", b"no-store"),
        *extra,
        *SECURITY_HEADERS,
    ]
    head = f"HTTP/1.1 {status} {reason}\r\n".encode("ascii") + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"\r\n" + body


TIMED_OUT = plain_answer(408, "Request Timeout", "the request did not arrive in time")
FULL = plain_answer(
    503,
    "Service Unavailable",
    "too many connections: try again later",
    ((b"retry-after", str(RETRY_AFTER_SECONDS).encode()),),
)


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with header and body deadlines and a cap on connections (see the module)."""

    limits: ConnectionLimits  # these two are set on the subclass `guarded_protocol` makes, one per server
    waiting_room: OrderedDict  # connections waiting for a request, longest waiting first

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.phase: str | None = None
        self.deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self.expect(HEAD)
        if len(self.connections) > self.limits.max_connections:
            self.make_room()
        self.wait_for_request()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self.follow_request()

    def on_response_complete(self) -> None:
        self.expect(None)  # an idle kept-alive connection is uvicorn's keep-alive timeout's
        self.wait_for_request()
        super().on_response_complete()
        self.follow_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self.expect(None)
        self.waiting_room.pop(self, None)
        super().connection_lost(exc)

    def wait_for_request(self) -> None:
        if not self.transport.is_closing():
            self.waiting_room[self] = time.monotonic()

    def follow_request(self) -> None:
        """The deadline for what the peer is sending now: headers, then the body; none once it is all in."""
        state = self.conn.their_state
        if state is not h11.IDLE:
            self.waiting_room.pop(self, None)  # in a request: never closed to make room
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
        self.waiting_room.pop(self, None)
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()

    def make_room(self) -> None:
        """Over the cap: close the connection that has waited longest for a request (none begun, or its
        headers still coming: nothing of the app's is lost), or refuse this one when all are in requests."""
        if self.waiting_room:
            oldest = next(iter(self.waiting_room))
            oldest.expect(None)
            oldest.answer_and_close(TIMED_OUT)
        else:
            self.expect(None)
            self.answer_and_close(FULL)


def guarded_protocol(limits: ConnectionLimits) -> type[GuardedProtocol]:
    """The protocol class for uvicorn's `http` setting, bound to these limits, with its own waiting room."""
    return type("GuardedH11Protocol", (GuardedProtocol,), {"limits": limits, "waiting_room": OrderedDict()})
