"""A real HTTP server on 127.0.0.1 (port 0) in a thread, serving feeds for the fetch tests.

Each path serves a `Route`: a body with an ETag and Last-Modified (answering conditional
requests with 304), or a fixed error status. Every request is recorded with its headers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    delay: float = 0.0
    trickle: float = 0.0  # > 0: the whole answer, status line and headers too, one byte every `trickle` seconds


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


def make_handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                return self.answer(404, b"not found")
            time.sleep(route.delay)
            if route.trickle:
                return self.trickle(route)
            if route.status != 200:
                return self.answer(route.status, b"server error")
            if self.unchanged(route):
                return self.answer(304, b"", route)
            return self.answer(200, route.body, route)

        def unchanged(self, route: Route) -> bool:
            etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if route.etag and etag:
                return etag == route.etag
            return bool(route.last_modified and since == route.last_modified)

        def answer(self, status: int, body: bytes, route: Route | None = None):
            self.send_response(status)
            if route is not None:
                self.send_header("Content-Type", route.content_type)
                for name, value in (("ETag", route.etag), ("Last-Modified", route.last_modified)):
                    if value:
                        self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def trickle(self, route: Route):
            """A slow peer: every byte of the answer on its own, until it is all sent or the client left."""
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: {route.content_type}\r\n"
                    f"Content-Length: {len(route.body)}\r\n\r\n").encode("ascii")
            try:
                for byte in head + route.body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(route.trickle)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args):
            pass

    return Handler


def start_feed_server() -> tuple[FeedServer, ThreadingHTTPServer]:
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()  # quick shutdown
    return state, httpd
