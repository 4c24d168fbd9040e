"""Fetch a feed or daily-papers URL: one HTTP GET, conditional when the last answer had validators.

A failure (network, timeout, HTTP error, oversized body) raises FetchError naming the source and
whether it is worth retrying; `failed_fetch` turns the final failure into an outcome for the report.
Parsing is not done here: the bytes go to `papercast.sources.parse_input` like any inbox file.

A source's `timeout` is a deadline for the whole request: connecting, the headers and every read of
the body (redirects included). A server that trickles a byte a second, each read well within any read
timeout, is given up at the deadline: its sockets are shut down then (`Deadline`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
from dataclasses import dataclass, field

import httpx

from papercast import __version__
from papercast.errors import FetchError, PapercastError
from papercast.settings import Source
from papercast.sources.inbox import InputFile

MAX_FEED_BYTES = 32 * 1024 * 1024
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}  # worth another attempt; other errors are not
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class Validators:
    """What the server said about the last copy, sent back so an unchanged feed costs a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class FetchOutcome:
    """One source's fetch: `fetched` (with the body), `not-modified` or `failed` (with the reason)."""

    source: str
    kind: str
    url: str
    status: str
    data: bytes = b""
    validators: Validators = field(default_factory=Validators)
    http_status: int | None = None
    reason: str = ""
    day: dt.date | None = None  # an hf-daily source's day asked (papercast/sources/daily.py)

    @property
    def input_name(self) -> str:
        """The name of what it brought, in the report: the source's, with the day for one day's list."""
        return f"{self.source}:{self.day.isoformat()}" if self.day else self.source

    def input_file(self) -> InputFile | None:
        return InputFile(self.input_name, self.data, self.day) if self.status == "fetched" else None


class Deadline:
    """Every socket of one request, shut down when `seconds` have passed since it started.

    The sockets are learnt from httpx's `trace` extension as each connection is made (or wrapped in
    TLS); shutting one down wakes a read that is waiting on it. `expired` tells afterwards whether
    what was read may be cut short."""

    CONNECTED = ("connection.connect_tcp.complete", "connection.start_tls.complete")

    def __init__(self, seconds: float):
        self.seconds, self.expired = seconds, False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self) -> Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()

    def trace(self, event: str, info: dict) -> None:
        stream = info.get("return_value") if event in self.CONNECTED else None
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with self.lock:
                self.sockets.append(sock)
                if self.expired:
                    shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                shut(sock)


def shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing to stop
        sock.shutdown(socket.SHUT_RDWR)


def user_agent() -> str:
    return f"papercast/{__version__} (research-paper newsletters; feed reader)"


def fetch_feed(source: Source, known: Validators = Validators(), max_bytes: int = MAX_FEED_BYTES) -> FetchOutcome:
    """GET the source's URL; a 304 is `not-modified`; anything but 2xx/304 raises FetchError."""
    headers = {"User-Agent": user_agent(), "Accept": ACCEPT, **known.headers()}
    deadline = Deadline(source.timeout)
    try:
        with (
            deadline,
            httpx.Client(timeout=source.timeout, follow_redirects=True, headers=headers) as client,
            client.stream("GET", source.url or "", extensions={"trace": deadline.trace}) as response,
        ):
            outcome = read_response(source, response, known, max_bytes)
    except httpx.TimeoutException:
        raise too_slow(source) from None
    except httpx.HTTPError as exc:
        if deadline.expired:
            raise too_slow(source) from None
        raise FetchError(
            f"cannot fetch {source.url}: {exc}", source=source.name, hint="check the source's url and the network"
        ) from None
    if deadline.expired:  # a body without a length looks complete when its socket is shut
        raise too_slow(source)
    return outcome


def too_slow(source: Source) -> FetchError:
    return FetchError(
        f"no complete answer from {source.url} within {source.timeout:g} s",
        source=source.name,
        hint="the timeout covers the whole request: raise it, or try later",
    )


def read_response(source: Source, response: httpx.Response, known: Validators, max_bytes: int) -> FetchOutcome:
    if response.status_code == 304:
        return FetchOutcome(
            source.name,
            source.kind,
            source.url or "",
            "not-modified",
            validators=response_validators(response, known),
            http_status=304,
        )
    if not response.is_success:
        raise FetchError(
            f"HTTP {response.status_code} {response.reason_phrase} from {source.url}",
            source=source.name,
            hint="check the source's url; other sources were processed",
            transient=response.status_code in RETRY_STATUSES,
            status=response.status_code,
        )
    data = read_capped(response, max_bytes, source)
    return FetchOutcome(
        source.name,
        source.kind,
        source.url or "",
        "fetched",
        data=data,
        validators=response_validators(response, Validators()),
        http_status=response.status_code,
    )


def read_capped(response: httpx.Response, max_bytes: int, source: Source) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"body larger than {max_bytes // (1024 * 1024)} MB",
                source=source.name,
                hint="is the url a feed?",
                transient=False,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def response_validators(response: httpx.Response, previous: Validators) -> Validators:
    """The validators to send next time; a 304 may omit them, then the previous ones stay."""
    return Validators(
        etag=response.headers.get("ETag") or previous.etag,
        last_modified=response.headers.get("Last-Modified") or previous.last_modified,
    )


def is_transient(error: BaseException | None) -> bool:
    """Another attempt may succeed: network trouble, timeouts, 5xx, 429; not a 404 or an oversized body."""
    return getattr(error, "transient", True)


def failed_fetch(source: Source, error: BaseException) -> FetchOutcome:
    """The outcome of a source whose fetch still failed after its retries."""
    reason = error.message if isinstance(error, PapercastError) else f"{type(error).__name__}: {error}"
    return FetchOutcome(
        source.name,
        source.kind,
        source.url or "",
        "failed",
        reason=reason or type(error).__name__,
        http_status=getattr(error, "status", None),
    )
