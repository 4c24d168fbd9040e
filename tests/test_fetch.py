"""Fetching sources from a real HTTP server on 127.0.0.1: conditional GET, failures, and the flow's report."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import AS_OF, digest_text, write_config
from feedserver import Route, start_feed_server
from papercast.jsonable import jsonable
from papercast import __version__
from papercast.settings import Source
from papercast.errors import SourceError
from papercast.sources.fetch import Validators, failed_fetch, fetch_feed, is_transient, user_agent

FEEDS = Path(__file__).parent / "data" / "feeds"
CL_RSS = (FEEDS / "arxiv-cs.CL.rss").read_bytes()
ETAG = '"cl-20261120"'
MODIFIED = "Fri, 20 Nov 2026 05:30:00 GMT"


@pytest.fixture
def server():
    state, httpd = start_feed_server()
    yield state
    httpd.shutdown()
    httpd.server_close()


def feed_source(server, path: str, **options) -> Source:
    return Source(name="arxiv-cs.CL", kind="feed", url=server.url(path), **options)


def test_first_fetch_returns_the_body_and_the_validators(server):
    server.routes["/rss/cs.CL"] = Route(CL_RSS, etag=ETAG, last_modified=MODIFIED)
    outcome = fetch_feed(feed_source(server, "/rss/cs.CL"))
    assert (outcome.status, outcome.http_status, outcome.data) == ("fetched", 200, CL_RSS)
    assert outcome.validators == Validators(ETAG, MODIFIED)
    assert outcome.input_file().source == "arxiv-cs.CL"


def test_an_unchanged_feed_answers_304_to_the_stored_etag(server):
    server.routes["/rss/cs.CL"] = Route(CL_RSS, etag=ETAG)
    outcome = fetch_feed(feed_source(server, "/rss/cs.CL"), Validators(ETAG, None))
    assert (outcome.status, outcome.http_status, outcome.data) == ("not-modified", 304, b"")
    assert outcome.validators.etag == ETAG and outcome.input_file() is None
    assert server.hits("/rss/cs.CL")[0]["if-none-match"] == ETAG


def test_last_modified_alone_also_makes_a_conditional_request(server):
    server.routes["/hf"] = Route(b"[]", content_type="application/json", last_modified=MODIFIED)
    source = Source(name="hf", kind="hf-daily", url=server.url("/hf"))
    assert fetch_feed(source, Validators(None, MODIFIED)).status == "not-modified"
    assert fetch_feed(source, Validators(None, "Thu, 19 Nov 2026 00:00:00 GMT")).status == "fetched"


def test_requests_carry_a_clear_user_agent(server):
    server.routes["/rss/cs.CL"] = Route(CL_RSS)
    fetch_feed(feed_source(server, "/rss/cs.CL"))
    agent = server.hits("/rss/cs.CL")[0]["user-agent"]
    assert agent == user_agent() and agent.startswith(f"papercast/{__version__} (")


@pytest.mark.parametrize("status, transient", [(500, True), (503, True), (429, True), (404, False), (403, False)])
def test_an_http_error_is_a_source_error_naming_the_source_and_status(server, status, transient):
    server.routes["/rss/cs.CL"] = Route(status=status)
    with pytest.raises(SourceError, match=f"HTTP {status}") as caught:
        fetch_feed(feed_source(server, "/rss/cs.CL"))
    assert caught.value.source == "arxiv-cs.CL" and is_transient(caught.value) is transient
    assert failed_fetch(feed_source(server, "/x"), caught.value).reason.startswith(f"HTTP {status}")


def test_a_slow_server_times_out(server):
    server.routes["/slow"] = Route(CL_RSS, delay=1.5)
    with pytest.raises(SourceError, match="within 0.3 s") as caught:
        fetch_feed(feed_source(server, "/slow", timeout=0.3))
    assert is_transient(caught.value)


@pytest.mark.parametrize("kind", ["feed", "hf-daily"])
def test_a_trickling_server_is_given_up_at_the_deadline(server, kind):
    """One byte every 0.1 s keeps every read short; the timeout bounds the whole request all the same."""
    server.routes["/trickle"] = Route(CL_RSS[:400], trickle=0.1)  # 40 s and more to send it all
    source = Source(name="slow", kind=kind, url=server.url("/trickle"), timeout=1.5)
    started = time.monotonic()
    with pytest.raises(SourceError, match="no complete answer from .* within 1.5 s") as caught:
        fetch_feed(source)
    took = time.monotonic() - started
    print(f"\ntrickling {kind} source, timeout 1.5 s: given up after {took:.2f} s")
    assert 1.4 <= took <= 2.0 and is_transient(caught.value)


def test_nothing_listening_is_a_source_error(server):
    source = Source(name="gone", kind="feed", url="http://127.0.0.1:9/rss")
    with pytest.raises(SourceError, match="cannot fetch") as caught:
        fetch_feed(source)
    assert caught.value.source == "gone"


def test_an_oversized_body_is_refused(server):
    server.routes["/big"] = Route(b"x" * 3_000_000)
    with pytest.raises(SourceError, match="larger than 1 MB") as caught:
        fetch_feed(feed_source(server, "/big"), max_bytes=1024 * 1024)
    assert not is_transient(caught.value)


# -- the weekly flow with feed sources -------------------------------------------------------

SOURCES = """
[[sources]]
name = "arxiv-cs.CL"
kind = "feed"
url = "{base}/rss/cs.CL"
timeout = 5

[[sources]]
name = "hf-daily"
kind = "hf-daily"
url = "{base}/api/daily_papers"
timeout = 5

[[sources]]
name = "lab-blog"
kind = "feed"
url = "{base}/lab/feed.atom"
timeout = 5
retries = 1
retry_delay = 0

[[sources]]
name = "gone"
kind = "feed"
url = "{base}/moved-away.rss"
retries = 3
retry_delay = 0
"""


@pytest.fixture(scope="module")
def feed_weeks(prefect_harness, tmp_path_factory):
    """Three runs against a local server: all fetched; unchanged (304) with the lab feed failing (500);
    the lab feed back and malformed. An inbox digest is ingested in the first run; "gone" is a 404."""
    from papercast.flows.newsletter import weekly_newsletter

    state, httpd = start_feed_server()
    state.routes.update({
        "/rss/cs.CL": Route(CL_RSS, etag=ETAG),
        "/api/daily_papers?date=2026-11-21": Route((FEEDS / "hf-daily.json").read_bytes(), "application/json",
                                                   last_modified=MODIFIED),
        "/lab/feed.atom": Route((FEEDS / "lab-blog.atom").read_bytes(), "application/atom+xml", etag='"l1"'),
    })
    folder = tmp_path_factory.mktemp("feeds")
    config = write_config(folder, extra=SOURCES.format(base=f"http://127.0.0.1:{state.port}"))
    (folder / "inbox" / "week.txt").write_text(digest_text("Nov 20", [("A Text-Only Paper on Reasoning",
                                                                       "Chain-of-thought math reasoning.")]))
    reports = [jsonable(weekly_newsletter(str(config), AS_OF))]
    state.routes["/lab/feed.atom"] = Route(status=500)
    reports.append(jsonable(weekly_newsletter(str(config), AS_OF)))
    state.routes["/lab/feed.atom"] = Route((FEEDS / "malformed.rss").read_bytes(), etag='"l2"')
    reports.append(jsonable(weekly_newsletter(str(config), AS_OF)))
    httpd.shutdown()
    httpd.server_close()
    return state, reports


def statuses(report) -> dict[str, tuple]:
    return {s["name"]: (s["status"], s["entries"], s["new"]) for s in report["sources"]}


def test_first_run_fetches_every_source_and_reports_it(feed_weeks):
    _, reports = feed_weeks
    first = reports[0]
    assert statuses(first) == {"arxiv-cs.CL": ("fetched", 3, 3), "hf-daily": ("fetched", 2, 1),
                               "lab-blog": ("fetched", 2, 2), "gone": ("failed", 0, 0)}
    digests = {d["source"]: (d["date"], d["papers"], d["new"]) for d in first["digests"]}
    assert digests["arxiv-cs.CL"] == ("2026-11-20", 3, 3) and digests["hf-daily:2026-11-21"] == ("2026-11-21", 2, 1)
    days = next(s["days"] for s in first["sources"] if s["name"] == "hf-daily")
    assert [(d["date"], d["status"]) for d in days] == [(f"2026-11-{n}", "fetched" if n == 21 else "empty")
                                                        for n in range(17, 24)], "a 404 is a day without a list"
    assert first["new_papers"] == 1 + 3 + 1 + 2
    assert [(e["source"], e["message"][:8]) for e in first["errors"]] == [("gone", "HTTP 404")]


def test_an_unchanged_feed_costs_one_conditional_request(feed_weeks):
    server, reports = feed_weeks
    assert statuses(reports[1])["arxiv-cs.CL"] == ("not-modified", 0, 0)
    cl_requests = server.hits("/rss/cs.CL")
    assert len(cl_requests) == 3 and "if-none-match" not in cl_requests[0]
    assert [h["if-none-match"] for h in cl_requests[1:]] == [ETAG, ETAG]


def test_an_hf_daily_source_asks_again_only_from_its_last_day(feed_weeks):
    server, reports = feed_weeks
    daily = [path.rpartition("=")[2] for path, _ in server.requests if path.startswith("/api/daily_papers")]
    assert sorted(daily[:7]) == [f"2026-11-{n}" for n in range(17, 24)], "a first run asks for the last week"
    assert daily[7:] == ["2026-11-23"] * 2, "the next ones from the last day that answered (again) on"
    assert statuses(reports[1])["hf-daily"] == ("fetched", 0, 0)


def test_a_failing_source_is_reported_with_its_reason_and_the_rest_runs(feed_weeks):
    server, reports = feed_weeks
    lab = next(s for s in reports[1]["sources"] if s["name"] == "lab-blog")
    assert lab["status"] == "failed" and lab["reason"].startswith("HTTP 500")
    assert [e["source"] for e in reports[1]["errors"]] == ["lab-blog", "gone"]
    assert len(server.hits("/lab/feed.atom")) == 1 + 2 + 1  # run 1, run 2 with one retry, run 3
    assert len(server.hits("/moved-away.rss")) == 3  # a 404 is not retried, once per run
    assert "newsletters" in reports[1] and reports[1]["report_path"]


def test_after_a_failure_the_feed_is_fetched_in_full_and_a_malformed_one_warns(feed_weeks):
    server, reports = feed_weeks
    assert server.hits("/lab/feed.atom")[-1]["if-none-match"] == '"l1"'  # the last good copy's etag
    assert statuses(reports[2])["lab-blog"] == ("fetched", 1, 1)
    assert any(w["source"] == "lab-blog" and "malformed feed" in w["message"] for w in reports[2]["warnings"])
    assert [e["source"] for e in reports[2]["errors"]] == ["gone"]


def test_a_run_gives_up_a_trickling_source_at_its_deadline_and_reports_it_failed(prefect_harness, tmp_path):
    """The run (and its lock) waits no longer than the source's timeout for a peer that sends a byte at a time."""
    from papercast.flows.newsletter import weekly_newsletter

    state, httpd = start_feed_server()
    state.routes["/rss/cs.CL"] = Route(CL_RSS, trickle=0.2)  # a byte every 0.2 s: over an hour to send it all
    trickling = f'[[sources]]\nname = "trickle"\nkind = "feed"\nurl = "{state.url("/rss/cs.CL")}"\n' \
                'timeout = 3\nretries = 0\n'
    config = write_config(tmp_path, extra=trickling)
    try:
        started = time.monotonic()
        report = jsonable(weekly_newsletter(str(config), AS_OF))
        took = time.monotonic() - started
    finally:
        httpd.shutdown()
        httpd.server_close()
    fetch = report["timings"]["ingest"]
    print(f"\nrun with a trickling source (timeout 3 s): ingest stage {fetch:.2f} s, whole run {took:.2f} s")
    source = next(s for s in report["sources"] if s["name"] == "trickle")
    assert source["status"] == "failed" and "no complete answer" in source["reason"] and "within 3 s" in source["reason"]
    assert 3.0 <= fetch < 4.5
