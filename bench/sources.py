"""How long parsing a big arXiv listing takes, and what an unchanged feed costs (full GET vs 304).

    .venv/bin/python bench/sources.py [entries]

Builds an arXiv-style RSS listing of `entries` items (default 1000, a busy day of cs.LG is
~600) from the test fixture's first item, parses it through `parse_input`, then serves it
from a local http.server and times a full fetch against a conditional one. Prints figures.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

from feedserver import Route, start_feed_server  # noqa: E402
from papercast.settings import Source  # noqa: E402
from papercast.sources.fetch import fetch_feed  # noqa: E402
from papercast.sources import parse_input  # noqa: E402

FIXTURE = (PROJECT / "tests" / "data" / "feeds" / "arxiv-cs.CL.rss").read_text(encoding="utf-8")


def big_listing(entries: int) -> bytes:
    item = re.search(r"<item>.*?</item>", FIXTURE, re.S).group(0)
    items = [item.replace("2611.10001", f"2611.{20000 + n}").replace("Four-Bit", f"Variant {n}: Four-Bit")
             for n in range(entries)]
    head, tail = FIXTURE.split("<item>", 1)[0], "</channel>\n</rss>\n"
    return (head + "\n".join(items) + tail).encode("utf-8")


def best_of(runs: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(entries: int) -> None:
    data = big_listing(entries)
    seconds, digest = best_of(3, lambda: parse_input(data, "bench", dt.date(2026, 11, 23)))
    print(f"parse: {entries} entries, {len(data) / 1e6:.2f} MB -> {len(digest.papers)} papers "
          f"in {seconds * 1000:.0f} ms ({seconds / entries * 1e6:.0f} us per entry)")
    state, httpd = start_feed_server()
    state.routes["/rss"] = Route(data, etag='"v1"')
    source = Source(name="bench", kind="feed", url=state.url("/rss"))
    full, outcome = best_of(5, lambda: fetch_feed(source))
    cond, unchanged = best_of(5, lambda: fetch_feed(source, outcome.validators))
    print(f"fetch: full GET {full * 1000:.1f} ms ({len(outcome.data)} bytes); "
          f"conditional GET {cond * 1000:.1f} ms ({unchanged.status}, {len(unchanged.data)} bytes)")
    httpd.shutdown()
    httpd.server_close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
