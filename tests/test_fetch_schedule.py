"""A week's run holds the whole week of a feed that shows only its latest items: an arXiv-style RSS feed
whose items change every day, fetched each day with `papercast fetch --as-of` (what [schedule] fetch runs),
then the weekly `papercast run`: the newsletters hold every day's items, and the report says which fetch
runs it covers. Real subprocesses against a real Prefect server and a real HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from email.utils import format_datetime

import pytest

from conftest import PROJECT, write_config
from feedserver import Route, start_feed_server

pytestmark = pytest.mark.slow

MONDAY = dt.date(2026, 11, 16)
DAYS = [MONDAY + dt.timedelta(days=n) for n in range(5)]
TOPICS = [("Quantization", "efficient-llm", "quantization and pruning of language models"),
          ("Multimodal", "multimodal", "a vision-language model for visual question answering"),
          ("Reasoning", "reasoning", "chain-of-thought reasoning on math problems")]


READERS = """
[[readers]]
email = "ada@example.org"
profiles = ["efficient-llm", "reasoning"]
max_papers = 50

[[readers]]
email = "grace@example.org"
profiles = ["multimodal"]
max_papers = 50
"""


def item(day: dt.date, index: int) -> tuple[str, str, str]:
    """(arXiv id, title, abstract) of the day's index-th item."""
    word, _, what = TOPICS[index % len(TOPICS)]
    return f"2611.{day.day:02d}{index:03d}", f"{word} Study {index + 1} of {day:%A %d %B}", \
        f"We study {what}. It is evaluated on several benchmarks with consistent gains over strong baselines."


def rss_of(day: dt.date) -> bytes:
    """The feed as it reads on `day`: only that day's announcements, as arXiv's RSS does."""
    stamp = format_datetime(dt.datetime.combine(day, dt.time(0), dt.timezone.utc))
    items = "".join(f"<item><title>{title}</title><link>https://arxiv.org/abs/{arxiv}</link>"
                    f"<description>arXiv:{arxiv}v1 Announce Type: new Abstract: {abstract}</description>"
                    f"<guid isPermaLink=\"false\">oai:arXiv.org:{arxiv}v1</guid><pubDate>{stamp}</pubDate></item>"
                    for arxiv, title, abstract in (item(day, i) for i in range(3)))
    return (f"<?xml version='1.0' encoding='UTF-8'?><rss version=\"2.0\"><channel><title>cs updates</title>"
            f"<link>https://arxiv.org/</link><description>d</description><pubDate>{stamp}</pubDate>{items}"
            f"</channel></rss>").encode()


def papercast(env: dict, *args: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "papercast.cli", *args, "--json"], env=env, cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout, done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def test_a_week_of_daily_fetches_reaches_the_weekly_newsletter(tmp_path, prefect_server):
    server, httpd = start_feed_server()
    try:
        config = write_config(tmp_path, readers=READERS, extra=f'[[sources]]\nname = "arxiv-cs"\nkind = "feed"\n'
                              f'url = "{server.url("/rss/cs")}"\ntimeout = 5\nretries = 0\n'
                              f'[classify]\nbackend = "keywords"\n')
        env = {**os.environ, **prefect_server}
        fetches = []
        for day in DAYS:
            server.routes["/rss/cs"] = Route(rss_of(day), etag=f'"{day}"')
            code, report = papercast(env, "fetch", "--config", str(config), "--as-of", day.isoformat())
            assert code == 0 and report["kind"] == "fetch" and report["new_papers"] == 3, report["errors"]
            assert report["newsletters"] == [] and report["delivery"]["mode"] == "none"
            fetches.append(report["run_id"])
        code, weekly = papercast(env, "run", "--config", str(config), "--as-of", (MONDAY + dt.timedelta(7)).isoformat())
    finally:
        httpd.shutdown()
    assert code == 0 and weekly["exit_code"] == 0 and weekly["not_done"] == []
    assert [run["run_id"] for run in weekly["fetches"]] == fetches
    assert [run["new_papers"] for run in weekly["fetches"]] == [3] * len(DAYS)
    got = {n["reader"]: set(n["papers"]) for n in weekly["newsletters"]}
    wanted = {"ada@example.org": ("efficient-llm", "reasoning"), "grace@example.org": ("multimodal",)}
    for reader, profiles in wanted.items():
        owed = {f"arxiv:{item(day, i)[0]}" for day in DAYS for i in range(3) if TOPICS[i][1] in profiles}
        assert got[reader] == owed, f"{reader}: every day's items of their profiles"
    edition = tmp_path / "archive" / "editions" / "efficient-llm" / f"{MONDAY + dt.timedelta(7)}.html"
    assert edition.is_file(), "papers of the fetch runs are published in the weekly run's edition"
