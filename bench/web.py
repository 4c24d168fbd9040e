"""Load on the reader app: votes from readers' newsletters and one-click unsubscribes, many at once.

    .venv/bin/python bench/web.py [--readers 1000] [--votes 5000] [--in-flight 50] [--only votes|unsubscribes]
                                  [--keep-alive]

Starts the real `papercast web` (uvicorn) in its own process on a free loopback port, with a config
of N readers and a state holding the papers they vote on. Votes: each reader votes on votes/N papers
("more like this" or "not for me", alternately), through the signed URLs their newsletters carry: the
confirm pages (GET), then the votes (POST confirm=yes, what the page's button sends). Unsubscribes:
`List-Unsubscribe=One-Click` POSTed to each reader's signed unsubscribe URL, as mail providers send it.
`--in-flight` requests are kept open at once, each on a connection of its own (as each reader's
browser and each mail provider opens its own; `--keep-alive` reuses them). Then it checks the state:
every vote recorded exactly once with its reader, profile, paper and kind, every reader unsubscribed
exactly once by one-click, nothing lost, nothing extra (a request that got no answer at all, seen only
with --keep-alive, is reported and may or may not have been recorded). Prints requests per
second and latency percentiles (p50, p99, max) as the client sees them, and the part of it spent
inside the app (from the app's own log).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from papercast.config import load_settings  # noqa: E402
from papercast.models import Digest, Paper  # noqa: E402
from papercast.store import Store  # noqa: E402
from papercast.links.issue import vote_links  # noqa: E402
from papercast.links.reader import ReaderLinks  # noqa: E402
from papercast.links.signing import link_keys  # noqa: E402

SECRET = "bench-secret-0123456789abcdef0123"
PROFILE = '[[profiles]]\nid = "efficient-llm"\ntitle = "Efficient LLM inference"\nkeywords = ["quantization"]\n'


def write_config(folder: Path, readers: int, port: int) -> Path:
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    lines = ['[paths]\ninbox = "inbox"\narchive = "archive"\nstate = "state/papercast.sqlite"\n',
             f'[site]\nbase_url = "http://127.0.0.1:{port}/"\n', PROFILE]
    lines += [f'[[readers]]\nemail = "reader{i:05d}@example.org"\nprofiles = ["efficient-llm"]\n'
              for i in range(readers)]
    config = folder / "papercast.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(config: Path, env: dict, log: Path) -> subprocess.Popen:
    """`papercast --verbose web`: its log (one line per request, with the time spent in the app) goes to `log`."""
    base = load_settings(config).site.base_url
    port = base.rstrip("/").rsplit(":", 1)[1]
    app = subprocess.Popen([sys.executable, "-m", "papercast.cli", "--verbose", "web", "--config", str(config),
                            "--port", port], env=env, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and app.poll() is None:
        try:
            if httpx.get(base + "healthz", timeout=2).status_code == 200:
                return app
        except httpx.TransportError:
            time.sleep(0.2)
    app.terminate()
    raise SystemExit(f"papercast web did not come up (exit code {app.wait(timeout=30)}): {log.read_text()[-2000:]}")


KEEP_ALIVE = False  # --keep-alive


async def hammer(urls: list[str], method: str, in_flight: int, data: dict | None = None
                 ) -> tuple[float, list[float], dict[int, int], set[str]]:
    """Every URL once, `in_flight` at a time: (seconds, latencies, count per status, URLs that got no answer).

    Each request on a connection of its own, as each reader's browser and each mail provider opens its
    own. With --keep-alive the client reuses its connections instead (as part 1's figures were taken):
    httpx's connection pool then costs more client time than the app does, and a connection the server
    closes for idling just as the client reuses it fails a request now and then (counted, not retried)."""
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight if KEEP_ALIVE else 0)
    gate, latencies, statuses, failed = asyncio.Semaphore(in_flight), [], {}, set()

    async def one(client: httpx.AsyncClient, url: str) -> None:
        async with gate:
            started = time.perf_counter()
            try:
                status = (await client.request(method, url, data=data)).status_code
            except httpx.TransportError as exc:  # counted and shown, so the state check says what it cost
                status = type(exc).__name__
                failed.add(url)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one(client, url) for url in urls))
        return time.perf_counter() - started, latencies, statuses, failed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(label: str, seconds: float, latencies: list[float], statuses: dict[int, int], failed: set[str]
           ) -> set[str]:
    print(f"{label}: {len(latencies)} requests in {seconds:.2f} s = {len(latencies) / seconds:.0f} req/s;"
          f" latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms,"
          f" max {max(latencies) * 1000:.1f} ms; statuses {dict(sorted(statuses.items(), key=str))}")
    return failed


def server_side(log: Path) -> None:
    """Time inside the app per request (request received to response sent), from its access log."""
    times: dict[str, list[float]] = {}
    for method, path, ms in re.findall(r"papercast\.web\.access: (GET|POST) (/[a-z-]+) \d+ ([0-9.]+) ms", log.read_text()):
        times.setdefault(f"{method} {path}", []).append(float(ms) / 1000)
    for request, values in sorted(times.items()):
        print(f"  inside the app, {request}: p50 {percentile(values, 0.5) * 1000:.1f} ms,"
              f" p99 {percentile(values, 0.99) * 1000:.1f} ms (the rest of a request's time is queueing and HTTP)")


def app_problems(log: Path) -> None:
    """Whatever the app logged besides its request lines (errors, warnings), at most 20 lines."""
    other = [line for line in log.read_text().splitlines() if not re.search(r"papercast\.web\.access: (GET|POST|HEAD) ", line)]
    for line in other[:20]:
        print(f"  app log: {line}")


def check_state(config: Path, readers: int, failed: int = 0) -> None:
    """Every answered one-click recorded once (a request that got no answer may or may not have been)."""
    with Store.of(load_settings(config)) as store:
        known = store.subscriptions.subscriptions()
    unsubscribed = [s for s in known.values() if s.status == "unsubscribed" and s.via == "one-click"]
    print(f"state: {len(known)} readers recorded, {len(unsubscribed)} unsubscribed by one-click (expected"
          f" {readers}{f', {failed} of them unanswered' if failed else ''})")
    if len(known) != len(unsubscribed) or not readers - failed <= len(unsubscribed) <= readers:
        raise SystemExit("LOST OR EXTRA UNSUBSCRIBES: the state does not match the requests")


def add_papers(config: Path, count: int) -> list[str]:
    """`count` papers stored in the state (what readers vote on); their ids."""
    papers = tuple(Paper(f"Bench paper {n}: sparse attention for long contexts", "An abstract.") for n in range(count))
    with Store.of(load_settings(config)) as store:
        store.papers.ingest_digest(Digest("bench", dt.date(2026, 11, 23), papers, content_hash="bench-papers"),
                            store.runs.start_run(dt.date(2026, 11, 23)))
    return [paper.id for paper in papers]


def planned_votes(settings, links: ReaderLinks, papers: list[str]) -> dict[tuple[str, str], tuple[str, bool]]:
    """(reader, paper) -> (the URL of the vote, liked): each reader votes on every paper, kinds alternating."""
    votes = {}
    for index, reader in enumerate(settings.readers):
        pairs = vote_links(links, reader.email, [("efficient-llm", paper) for paper in papers])
        for number, paper in enumerate(papers):
            liked = (index + number) % 2 == 0
            votes[(reader.email.lower(), paper)] = (pairs[paper][0 if liked else 1], liked)
    return votes


def check_votes(config: Path, votes: dict[tuple[str, str], tuple[str, bool]], failed: set[str]) -> None:
    """Every answered vote recorded once, as cast; nothing else (a request that got no answer may or may not be)."""
    settings = load_settings(config)
    with Store.of(settings) as store:
        recorded = {(v.reader, v.paper_id): (v.profile_id, v.liked, v.via) for mine in
                    store.votes.votes_of([r.email for r in settings.readers]).values() for v in mine}
        counts = store.votes.vote_counts()
    expected = {key: ("efficient-llm", liked, "page") for key, (url, liked) in votes.items() if url not in failed}
    unanswered = {key: ("efficient-llm", liked, "page") for key, (url, liked) in votes.items() if url in failed}
    more = sum(c.more for c in counts.values())
    print(f"state: {len(recorded)} votes recorded ({more} more like this, {sum(c.fewer for c in counts.values())}"
          f" not for me) from {len(counts)} readers (expected {len(expected)} answered votes"
          f"{f', and {len(unanswered)} unanswered' if unanswered else ''})")
    if {k: v for k, v in recorded.items() if k not in unanswered} != expected or \
            any(recorded.get(k, v) != v for k, v in unanswered.items()):
        raise SystemExit("LOST, EXTRA OR WRONG VOTES: the state does not match the requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--votes", type=int, default=5000, help="in all, spread evenly over the readers")
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--only", choices=["votes", "unsubscribes"], help="one of the two loads (default: both)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse the client's connections (see hammer)")
    args = parser.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = args.keep_alive
    if args.votes % args.readers:
        parser.error("--votes must be a multiple of --readers (each reader votes on as many papers)")
    env = {**os.environ, "PAPERCAST_WEB_SECRET": SECRET}
    with tempfile.TemporaryDirectory() as folder:
        config = write_config(Path(folder), args.readers, free_port())
        settings = load_settings(config)
        links = ReaderLinks.of(settings, link_keys(settings, env))
        votes = planned_votes(settings, links, add_papers(config, args.votes // args.readers))
        log = Path(folder) / "app.log"
        app = start_app(config, env, log)
        try:
            print(f"papercast web, {args.readers} readers, {args.in_flight} requests in flight, loopback, "
                  f"{'connections reused' if KEEP_ALIVE else 'a connection per request'}, "
                  f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run")
            failed_votes = run_votes(votes, args.in_flight) if args.only != "unsubscribes" else set()
            failed_unsubscribes = set() if args.only == "votes" else run_unsubscribes(
                [links.unsubscribe(reader.email) for reader in settings.readers], args.in_flight)
        finally:
            app.terminate()
            app.wait(timeout=30)
        server_side(log)
        app_problems(log)
        if args.only != "unsubscribes":
            check_votes(config, votes, failed_votes)
        if args.only != "votes":
            check_state(config, args.readers, len(failed_unsubscribes))


def run_votes(votes: dict[tuple[str, str], tuple[str, bool]], in_flight: int) -> set[str]:
    """The confirm pages, then the votes; the vote URLs whose POST got no answer."""
    urls = [url for url, _ in votes.values()]
    report("GET vote confirm pages", *asyncio.run(hammer(urls, "GET", in_flight)))
    return report("POST votes (confirm=yes)", *asyncio.run(hammer(urls, "POST", in_flight, {"confirm": "yes"})))


def run_unsubscribes(urls: list[str], in_flight: int) -> set[str]:
    report("GET unsubscribe confirm pages", *asyncio.run(hammer(urls, "GET", in_flight)))
    return report("POST one-click unsubscribes", *asyncio.run(hammer(urls, "POST", in_flight,
                                                                    {"List-Unsubscribe": "One-Click"})))


if __name__ == "__main__":
    main()
