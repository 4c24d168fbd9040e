"""Run the app under uvicorn: in the foreground (`papercast web`), or in a thread beside
Prefect's scheduler (`papercast serve`), tests and benchmarks (`AppServer`).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping

import uvicorn

from papercast.errors import WebError
from papercast.links.identity import public_base
from papercast.links.signing import link_keys, required_keys
from papercast.printable import printable
from papercast.settings import Settings
from papercast.web.app import create_app
from papercast.web.connections import ACCEPT_BATCH, LISTEN_QUEUE, ConnectionLimits, guarded_protocol, raise_file_limit
from papercast.web.middleware import access_log

log = logging.getLogger("papercast.web")
LOOP_ERROR_EVERY = 10.0  # seconds: the same event-loop error is logged at most once in that time


def app_keys(settings: Settings, environ: Mapping[str, str]):
    """With [site] base_url set, messages point readers here: the app must be able to check their links."""
    if public_base(settings) is not None:
        return required_keys(settings, environ, "the app checks the signed links readers follow")
    return link_keys(settings, environ)


def uvicorn_config(settings: Settings, environ: Mapping[str, str], host: str, port: int) -> uvicorn.Config:
    """uvicorn, bounded by [web]: header and body deadlines, a cap on connections (connections.py), the
    keep-alive idle timeout; the access log is the app's own (one line per request, or none)."""
    app = create_app(settings.source_file, keys=app_keys(settings, environ))
    web = settings.web
    access_log.setLevel(logging.INFO if web.access_log else logging.WARNING)
    raise_file_limit()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=web.idle_timeout,  # type: ignore[arg-type]  # seconds, a float: uvicorn waits that long
        http=guarded_protocol(ConnectionLimits.of(web)),
        backlog=ACCEPT_BATCH,
    )


class LoopErrors:
    """The event loop's own errors (e.g. accept() out of file descriptors, retried each second) as one
    line each, the same one at most once every LOOP_ERROR_EVERY seconds, so the log cannot spin."""

    def __init__(self):
        self.last: dict[str, float] = {}

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        message = str(context.get("message") or "event loop error")
        now = time.monotonic()
        if now - self.last.get(message, -LOOP_ERROR_EVERY) < LOOP_ERROR_EVERY:
            return
        self.last[message] = now
        log.error("%s: %s", printable(message), printable(repr(context.get("exception"))))


class Server(uvicorn.Server):
    """uvicorn's server, with LoopErrors handling the event loop's errors. asyncio accepts as many
    connections at once as the backlog it was given (ACCEPT_BATCH); the kernel's queue is set back to
    LISTEN_QUEUE once serving, so a burst of connections waits there rather than being refused."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().set_exception_handler(LoopErrors())
        await super().startup(sockets)
        for sock in sockets or ():
            sock.listen(LISTEN_QUEUE)


def bound_socket(
    host: str, port: int, command: str = "papercast web", options: str = "--host / --port"
) -> socket.socket:
    """The listening socket, bound now, so a taken port is one clear line naming the command's own
    options (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise WebError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            source=command,
            hint=f"check [web] host and port, or pass {options}",
        ) from None
    sock.listen(LISTEN_QUEUE)
    return sock


def serve_foreground(
    settings: Settings,
    environ: Mapping[str, str],
    host: str,
    port: int,
    ready: Callable[[str], None] = lambda url: None,
) -> None:
    """Serve until Ctrl-C or SIGTERM; `ready(url)` is called once the app is built and the port is bound."""
    config = uvicorn_config(settings, environ, host, port)
    with bound_socket(host, port) as sock:
        ready(socket_url(sock))
        Server(config).run(sockets=[sock])


def socket_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


class AppServer:
    """The app under uvicorn in a background thread: `with AppServer(settings, env) as server: server.url`."""

    def __init__(self, settings: Settings, environ: Mapping[str, str], host: str = "127.0.0.1", port: int = 0):
        self.config = uvicorn_config(settings, environ, host, port)
        self.sock = bound_socket(host, port, "papercast serve", "--web-host / --web-port (or --no-web)")
        self.server = Server(self.config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, name="papercast-web", daemon=True
        )
        self.url = socket_url(self.sock)

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise WebError("the web app did not start", source="papercast web")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
