"""A Daily Papers API on 127.0.0.1 for the hf-daily tests: `api/daily_papers?date=YYYY-MM-DD` answers with that
day's real file from a folder of captures (`YYYY-MM-DD.json`), and `api/daily_papers` alone with the latest day,
as the real API does. A day without a file answers `[]` (or 404 with `missing=404`); days in `failing` answer
500. Every date asked is recorded.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit


@dataclass
class DailyApi:
    folder: Path
    latest: str = ""
    missing: int = 200  # 200: a day without a file answers [], 404: it answers 404
    failing: set[str] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)  # the date of each request ("" for the plain URL)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/daily_papers"

    def answer(self, path: str) -> tuple[int, bytes]:
        parts = urlsplit(path)
        if parts.path != "/api/daily_papers":
            return 404, b'{"error": "not found"}'
        day = parse_qs(parts.query).get("date", [""])[0]
        self.asked.append(day)
        if day in self.failing:
            return 500, b'{"error": "internal error"}'
        file = self.folder / f"{day or self.latest}.json"
        if file.is_file():
            return 200, file.read_bytes()
        return (404, b'{"error": "no papers for this date"}') if self.missing == 404 else (200, b"[]")


@contextlib.contextmanager
def daily_api(folder: Path, **options) -> Iterator[DailyApi]:
    api = DailyApi(folder, **options)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            status, body = api.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    api.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        httpd.shutdown()
        httpd.server_close()
