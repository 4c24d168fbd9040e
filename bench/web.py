"""Load on the reader app: one-click unsubscribes as mail providers send them, many at once.

    .venv/bin/python bench/web.py [--readers 1000] [--in-flight 50]

Starts the real `papercast web` (uvicorn) in its own process on a free loopback port, with a config
of N readers, and POSTs `List-Unsubscribe=One-Click` to each reader's signed unsubscribe URL (the
URL their messages carry), keeping `--in-flight` requests open at once. Then it checks the state:
every reader unsubscribed exactly once, by one-click, nothing lost, nothing extra. Prints requests
per second and latency percentiles (p50, p99, max) as the client sees them, for the POSTs and for the
confirm pages (GET), and the part of it spent inside the app (from the app's own log).
"""

from __future__ import annotations

import argparse
import asyncio
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
from papercast.store import Store  # noqa: E402
from papercast.web.links import ReaderLinks  # noqa: E402
from papercast.web.signing import link_keys  # noqa: E402

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


async def hammer(urls: list[str], method: str, in_flight: int, data: dict | None = None
                 ) -> tuple[float, list[float], dict[int, int]]:
    """Every URL once, `in_flight` at a time: (seconds, latencies, count per status)."""
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    gate, latencies, statuses = asyncio.Semaphore(in_flight), [], {}

    async def one(client: httpx.AsyncClient, url: str) -> None:
        async with gate:
            started = time.perf_counter()
            reply = await client.request(method, url, data=data)
            latencies.append(time.perf_counter() - started)
            statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1

    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one(client, url) for url in urls))
        return time.perf_counter() - started, latencies, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(label: str, seconds: float, latencies: list[float], statuses: dict[int, int]) -> None:
    print(f"{label}: {len(latencies)} requests in {seconds:.2f} s = {len(latencies) / seconds:.0f} req/s;"
          f" latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms,"
          f" max {max(latencies) * 1000:.1f} ms; statuses {dict(sorted(statuses.items()))}")


def server_side(log: Path) -> None:
    """Time inside the app per request (request received to response started), from its log."""
    times: dict[str, list[float]] = {}
    for method, ms in re.findall(r"papercast\.web: (GET|POST) /unsubscribe \d+ ([0-9.]+) ms", log.read_text()):
        times.setdefault(method, []).append(float(ms) / 1000)
    for method, values in sorted(times.items()):
        print(f"  inside the app, {method}: p50 {percentile(values, 0.5) * 1000:.1f} ms,"
              f" p99 {percentile(values, 0.99) * 1000:.1f} ms (the rest of a request's time is queueing and HTTP)")


def check_state(config: Path, readers: int) -> None:
    with Store.of(load_settings(config)) as store:
        known = store.subscriptions()
    unsubscribed = [s for s in known.values() if s.status == "unsubscribed" and s.via == "one-click"]
    print(f"state: {len(known)} readers recorded, {len(unsubscribed)} unsubscribed by one-click (expected {readers})")
    if len(known) != readers or len(unsubscribed) != readers:
        raise SystemExit("LOST OR EXTRA UNSUBSCRIBES: the state does not match the requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    args = parser.parse_args()
    env = {**os.environ, "PAPERCAST_WEB_SECRET": SECRET}
    with tempfile.TemporaryDirectory() as folder:
        config = write_config(Path(folder), args.readers, free_port())
        settings = load_settings(config)
        links = ReaderLinks.of(settings, link_keys(settings, env))
        urls = [links.unsubscribe(reader.email) for reader in settings.readers]
        log = Path(folder) / "app.log"
        app = start_app(config, env, log)
        try:
            print(f"papercast web, {args.readers} readers, {args.in_flight} requests in flight, loopback, "
                  f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run")
            report("GET confirm pages", *asyncio.run(hammer(urls, "GET", args.in_flight)))
            report("POST one-click", *asyncio.run(hammer(urls, "POST", args.in_flight,
                                                         {"List-Unsubscribe": "One-Click"})))
        finally:
            app.terminate()
            app.wait(timeout=30)
        server_side(log)
        check_state(config, args.readers)


if __name__ == "__main__":
    main()
