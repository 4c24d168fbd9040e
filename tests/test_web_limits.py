"""The reader app against slow peers and a locked state, run as `papercast web` in its own process on
127.0.0.1, with real sockets: 1,100 slow or idle connections under a 1,024-file limit (`prlimit`),
and another process holding the state's write lock while 60 one-click POSTs arrive.

Both print their figures (pytest -s shows them) and assert the bounds docs/readers.md names.
"""

from __future__ import annotations

import resource
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import PROJECT, free_port
from papercast.links.reader import ReaderLinks
from papercast.links.signing import link_keys
from webapp import SECRET, build_site, subscriptions

pytestmark = pytest.mark.slow
DIGEST = "001_0b28249de3011a72.txt"
ENV = {"PAPERCAST_WEB_SECRET": SECRET}
SECURITY = ("x-content-type-options", "content-security-policy", "referrer-policy", "x-frame-options")


def start_app(config: Path, port: int, log: Path, limit_files: int | None = None) -> subprocess.Popen:
    """`papercast web` in its own process (under `prlimit --nofile=N` when asked), answering /healthz."""
    command = [sys.executable, "-m", "papercast.cli", "web", "--config", str(config), "--port", str(port)]
    if limit_files:
        command = ["prlimit", f"--nofile={limit_files}", "--", *command]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(config.parent), **ENV}
    app = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.poll() is not None:
            pytest.fail(f"papercast web exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return app
        except httpx.TransportError:
            time.sleep(0.2)
    app.kill()
    pytest.fail("papercast web did not answer")


def stop(app: subprocess.Popen) -> None:
    app.terminate()
    try:
        app.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()


class Pinger(threading.Thread):
    """GETs one URL after another, each on a new connection, until stopped: (url, status, seconds) each."""

    def __init__(self, urls: list[str], every: float = 0.1):
        super().__init__(daemon=True)
        self.urls, self.every, self.results = urls, every, []
        self.done = threading.Event()

    def run(self) -> None:
        turn = 0
        while not self.done.is_set():
            url = self.urls[turn % len(self.urls)]
            started = time.monotonic()
            try:
                status = httpx.get(url, timeout=5).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            self.results.append((url, status, time.monotonic() - started))
            turn += 1
            self.done.wait(self.every)

    def stop(self) -> list[tuple[str, object, float]]:
        self.done.set()
        self.join(timeout=10)
        return self.results


def latency_figures(results) -> str:
    times = sorted(seconds for _, _, seconds in results)
    return (f"{len(times)} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms")


# -- 1,100 slow and idle connections under a 1,024-file limit -----------------------------------------


SLOW, IDLE, FILE_LIMIT, HEADER_TIMEOUT = 900, 200, 1024, 4.0
SLOW_REQUEST = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200


class Attack:
    """SLOW connections that send one byte of a request a second, IDLE ones that send nothing; each
    one's fate: when the server closed it, and the status line it was given, if any."""

    def __init__(self, port: int):
        self.selector = selectors.DefaultSelector()
        self.opened: dict[socket.socket, float] = {}
        self.closed: dict[socket.socket, tuple[float, bytes]] = {}
        self.sent: dict[socket.socket, int] = {}
        self.port = port

    def open(self) -> None:
        for number in range(SLOW + IDLE):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.setblocking(False)
            self.opened[sock] = time.monotonic()
            self.selector.register(sock, selectors.EVENT_READ, b"")
            if number < SLOW:
                self.sent[sock] = 0

    def run(self, until: float) -> None:
        """Trickle and watch until every connection was closed by the server, or `until`."""
        while len(self.closed) < len(self.opened) and time.monotonic() < until:
            for key, _ in self.selector.select(timeout=0.1):
                self.read(key.fileobj)
            self.trickle()

    def trickle(self) -> None:
        now = time.monotonic()
        for sock, sent in self.sent.items():
            if sock not in self.closed and now - self.opened[sock] >= sent:
                try:
                    sock.send(SLOW_REQUEST[sent:sent + 1])
                    self.sent[sock] = sent + 1
                except OSError:
                    self.close(sock)

    def read(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        key = self.selector.get_key(sock)
        if data:
            self.selector.modify(sock, selectors.EVENT_READ, key.data + data)
        else:
            self.close(sock, key.data)

    def close(self, sock: socket.socket, answer: bytes = b"") -> None:
        self.closed[sock] = (time.monotonic() - self.opened[sock], answer.split(b"\r\n", 1)[0])
        self.selector.unregister(sock)
        sock.close()

    def release(self) -> None:
        for sock in self.opened:
            if sock not in self.closed:
                self.selector.unregister(sock)
                sock.close()


def test_1100_slow_and_idle_connections_under_1024_files_leave_healthz_answering(tmp_path, shared_digests,
                                                                                  monkeypatch):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    built = build_site(tmp_path, f"http://127.0.0.1:{port}/", shared_digests / DIGEST,
                       extra=f"[web]\nheader_timeout = {HEADER_TIMEOUT}\nidle_timeout = 2\n")
    log = tmp_path / "web.log"
    app = start_app(built.settings.source_file, port, log, limit_files=FILE_LIMIT)
    attack = Attack(port)
    base = f"http://127.0.0.1:{port}/"
    pinger = Pinger([base + "healthz", base + "index.html"])
    try:
        pinger.start()
        started = time.monotonic()
        attack.open()
        opened_in = time.monotonic() - started
        attack.run(until=time.monotonic() + HEADER_TIMEOUT + 20)
        pings = pinger.stop()
        after = httpx.get(base + "healthz", timeout=5).status_code
    finally:
        pinger.stop()
        attack.release()
        stop(app)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    report_connections(attack, pings, opened_in, log)
    assert len(attack.closed) == SLOW + IDLE, f"{SLOW + IDLE - len(attack.closed)} connections still open"
    assert max(seconds for seconds, _ in attack.closed.values()) <= HEADER_TIMEOUT + 1.0
    assert {answer for _, answer in attack.closed.values()} <= {b"HTTP/1.1 408 Request Timeout", b""}
    assert all(status == 200 and seconds < 1.0 for _, status, seconds in pings), \
        [p for p in pings if p[1] != 200 or p[2] >= 1.0][:5]
    assert after == 200 and len(pings) >= 20
    lines = log.read_text(errors="replace").splitlines()
    assert not any("Too many open files" in line for line in lines)
    assert len([line for line in lines if "papercast.web.access" not in line]) <= 5
    assert any(line.startswith("INFO papercast.web.access: GET /healthz 200 ") for line in lines)


def report_connections(attack: Attack, pings, opened_in: float, log: Path) -> None:
    closed = sorted(seconds for seconds, _ in attack.closed.values())
    made_room = sum(1 for seconds in closed if seconds < HEADER_TIMEOUT - 0.5)
    lines = log.read_text(errors="replace").splitlines()
    print(f"\n{SLOW} slow + {IDLE} idle connections, papercast web under prlimit --nofile={FILE_LIMIT}, "
          f"[web] header_timeout = {HEADER_TIMEOUT:g} s (all opened in {opened_in:.1f} s):"
          f"\n  /healthz and /index.html meanwhile: {latency_figures(pings)}"
          f"\n  closed by the server: {len(closed)} of {SLOW + IDLE}; {made_room} early, to make room under the cap;"
          f" the rest at the header deadline; last closed {closed[-1] if closed else float('nan'):.2f} s after"
          f" it opened (median {statistics.median(closed) if closed else float('nan'):.2f} s)"
          f"\n  the app's log: {len(lines)} lines, "
          f"{len([line for line in lines if 'papercast.web.access' not in line])} of them not access lines")


# -- a held write lock ----------------------------------------------------------------------------------


READERS60 = "".join(f'''
[[readers]]
email = "reader{number:02d}@example.org"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 3
''' for number in range(60))
HOLD_SECONDS, WRITE_WAIT = 6.0, 2.0
HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_a_held_write_lock_stalls_no_read_and_every_post_answers_200_or_503(tmp_path, shared_digests, monkeypatch):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    built = build_site(tmp_path, f"http://127.0.0.1:{port}/", shared_digests / DIGEST,
                       extra=f"[web]\nwrite_wait = {WRITE_WAIT}\n", readers=READERS60)
    settings, base = built.settings, f"http://127.0.0.1:{port}/"
    links = ReaderLinks.of(settings, link_keys(settings, ENV))
    emails = [reader.email for reader in settings.readers]
    edition = next((settings.paths.archive / "editions").rglob("20*.html")).relative_to(settings.paths.archive)
    app = start_app(settings.source_file, port, tmp_path / "web.log")
    try:
        pinger = Pinger([base + "healthz", base + "index.html", base + edition.as_posix(), links.unsubscribe(emails[0])])
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(settings.paths.state), str(HOLD_SECONDS)],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "held"
        held_at = time.monotonic()
        pinger.start()
        answers = post_one_clicks(links, emails, spread=HOLD_SECONDS + 1.0)
        holder.wait(timeout=30)
        time.sleep(0.5)
        pings = pinger.stop()
    finally:
        stop(app)
    statuses = [reply.status_code for _, reply, _ in answers]
    print(f"\nstate locked {HOLD_SECONDS:g} s by another process, [web] write_wait = {WRITE_WAIT:g} s:"
          f"\n  reads during the lock: {latency_figures(pings)}; statuses {sorted({s for _, s, _ in pings}, key=str)}"
          f"\n  60 one-click POSTs: {statuses.count(200)} answered 200, {statuses.count(503)} answered 503; "
          f"POST {latency_figures(answers)}; all answered {time.monotonic() - held_at:.1f} s after the lock was taken")
    assert all(status == 200 and seconds < 1.0 for _, status, seconds in pings), pings
    assert len(pings) >= 30
    assert set(statuses) <= {200, 503} and statuses.count(503) >= 20 and statuses.count(200) >= 5
    for _, reply, seconds in answers:
        assert seconds < WRITE_WAIT + 1.5
        assert all(name in reply.headers for name in SECURITY)
        assert reply.status_code == 200 or reply.headers["retry-after"].isdigit()
    recorded = {email for email, status in subscriptions(settings).items() if status == "unsubscribed"}
    assert recorded == {email for email, reply, _ in answers if reply.status_code == 200}


def post_one_clicks(links: ReaderLinks, emails: list[str], spread: float) -> list:
    """One one-click unsubscribe per reader, started evenly over `spread` seconds, all in flight at once."""
    answers, threads = [], []

    def post(email: str) -> None:
        started = time.monotonic()
        reply = httpx.post(links.unsubscribe(email), data={"List-Unsubscribe": "One-Click"}, timeout=30)
        answers.append((email, reply, time.monotonic() - started))

    for number, email in enumerate(emails):
        threads.append(threading.Thread(target=post, args=(email,)))
        threads[-1].start()
        time.sleep(spread / len(emails))
    for thread in threads:
        thread.join(timeout=60)
    return answers


# -- the deadlines and the cap, one by one (the app in this process) -------------------------------------


@pytest.fixture
def small_app(tmp_path, shared_digests, monkeypatch):
    """The app with a cap of 8 connections and short deadlines."""
    from papercast.web.server import AppServer

    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    limits = "[web]\nmax_connections = 8\nheader_timeout = 1.5\nbody_timeout = 1.5\nidle_timeout = 3\n"
    built = build_site(tmp_path, f"http://127.0.0.1:{port}/", shared_digests / DIGEST, extra=limits)
    with AppServer(built.settings, ENV, port=port) as server:
        yield built, port


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def answer_of(sock: socket.socket) -> tuple[bytes, float]:
    """Everything until the server closes the connection, and when that was."""
    started, data = time.monotonic(), b""
    while chunk := sock.recv(65536):
        data += chunk
    return data, time.monotonic() - started


def test_a_body_that_does_not_arrive_is_408_at_the_body_deadline(small_app):
    built, port = small_app
    target = ReaderLinks.of(built.settings, link_keys(built.settings, ENV)).unsubscribe("ada@example.org")
    with connect(port) as sock:
        sock.sendall(f"POST {target.split(str(port), 1)[1]} HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\nList-Unsub".encode())
        data, took = answer_of(sock)
    assert data.startswith(b"HTTP/1.1 408 ") and 1.3 <= took <= 2.5
    assert subscriptions(built.settings) == {}


def test_a_kept_alive_connection_trickling_its_next_request_is_closed_at_the_header_deadline(small_app):
    built, port = small_app
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b"\r\n\r\nok\n"):
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        for byte in b"GET /healthz HTTP/1.1\r\nHost: ":  # one byte every 0.2 s: 5.6 s for the lot
            if readable(sock):
                break
            sock.sendall(bytes([byte]))
            time.sleep(0.2)
        data, _ = answer_of(sock)
    assert data.startswith(b"HTTP/1.1 408 ") and 1.3 <= time.monotonic() - started <= 2.5


def readable(sock: socket.socket) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(timeout=0))


def test_over_the_cap_the_longest_waiting_connection_makes_room_or_the_newcomer_gets_503(small_app):
    built, port = small_app
    idle = [connect(port) for _ in range(8)]
    time.sleep(0.3)
    newcomer = connect(port)
    newcomer.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer_of(newcomer)[0].startswith(b"HTTP/1.1 200 ")  # served: the oldest idle one made room
    assert answer_of(idle[0])[0].startswith(b"HTTP/1.1 408 ")
    busy = []
    for sock in idle[1:] + [connect(port)]:  # 8 connections, each in a request (a POST whose body is coming)
        sock.sendall(b"POST /unsubscribe?r=x&s=y HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n")
        busy.append(sock)
    time.sleep(0.3)
    with connect(port) as refused:
        data, _ = answer_of(refused)
    head = data.split(b"\r\n\r\n")[0].lower()
    assert data.startswith(b"HTTP/1.1 503 ") and b"retry-after: 10" in head and b"x-frame-options: deny" in head
    for sock in busy + idle:
        sock.close()
