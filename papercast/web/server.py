"""Run the app under uvicorn: in the foreground (`papercast web`), or in a thread beside
Prefect's scheduler (`papercast serve`), tests and benchmarks (`AppServer`).
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable, Mapping

import uvicorn

from papercast.config import Settings
from papercast.errors import WebError
from papercast.web.app import create_app
from papercast.web.links import public_base
from papercast.web.signing import link_keys, required_keys


def app_keys(settings: Settings, environ: Mapping[str, str]):
    """With [site] base_url set, messages point readers here: the app must be able to check their links."""
    if public_base(settings) is not None:
        return required_keys(settings, environ, "the app checks the signed links readers follow")
    return link_keys(settings, environ)


def uvicorn_config(settings: Settings, environ: Mapping[str, str], host: str, port: int) -> uvicorn.Config:
    app = create_app(settings.source_file, keys=app_keys(settings, environ))
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                          lifespan="off", timeout_graceful_shutdown=5)


def bound_socket(host: str, port: int, command: str = "papercast web", options: str = "--host / --port"
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
        raise WebError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", source=command,
                       hint=f"check [web] host and port, or pass {options}") from None
    sock.listen(2048)
    return sock


def serve_foreground(settings: Settings, environ: Mapping[str, str], host: str, port: int,
                     ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve until Ctrl-C or SIGTERM; `ready(url)` is called once the app is built and the port is bound."""
    config = uvicorn_config(settings, environ, host, port)
    with bound_socket(host, port) as sock:
        ready(socket_url(sock))
        uvicorn.Server(config).run(sockets=[sock])


def socket_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


class AppServer:
    """The app under uvicorn in a background thread: `with AppServer(settings, env) as server: server.url`."""

    def __init__(self, settings: Settings, environ: Mapping[str, str], host: str = "127.0.0.1", port: int = 0):
        self.config = uvicorn_config(settings, environ, host, port)
        self.sock = bound_socket(host, port, "papercast serve", "--web-host / --web-port (or --no-web)")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="papercast-web", daemon=True)
        self.url = socket_url(self.sock)

    def __enter__(self) -> "AppServer":
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
