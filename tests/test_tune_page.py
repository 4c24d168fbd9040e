"""The tune page through the real app under uvicorn on 127.0.0.1 (httpx over real sockets), on a real Daily
Papers capture: its link in the newsletter and from `papercast readers --tune-link`, about a dozen stored
papers each with the usual signed vote links, a fresh set after votes, forged links refused showing nothing,
a new reader tuning before any newsletter, and what a reader sees at 375 and 1024 px (headless Chromium)."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from cdp import Browser, chromium_available
from conftest import free_port
from papercast.config import load_settings
from papercast.links.reader import TUNE, ReaderLinks
from papercast.links.signing import SignedLink, link_keys
from papercast.store import Store
from test_web_app import with_query
from test_web_browser import check_layout_and_shoot
from webapp import READERS, SECRET, build_site, state_dump

pytestmark = pytest.mark.slow  # the page reads MiniLM vectors (computed once under the keyword backend)
ADA, NEWCOMER = "ada@example.org", "newcomer@example.org"
DIGEST = "001_0b28249de3011a72.txt"
ENV = {"PAPERCAST_WEB_SECRET": SECRET}
LATE_READER = READERS + '\n[[readers]]\nemail = "newcomer@example.org"\nprofiles = ["reasoning"]\n'
VOTE = re.compile(r'href="([^"]*(more-like-this|not-for-me)\?[^"]*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    folder = tmp_path_factory.mktemp("tune-site")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERCAST_WEB_SECRET", SECRET)
        built = build_site(folder, f"http://127.0.0.1:{port}/", shared_digests / DIGEST)
    (folder / "papercast.toml").write_text((folder / "papercast.toml").read_text() + LATE_READER[len(READERS):])
    settings = load_settings(folder / "papercast.toml")
    from papercast.web.server import AppServer

    with AppServer(settings, ENV, port=port) as server:
        yield settings, server


@pytest.fixture(autouse=True)
def no_votes(site):
    with Store.of(site[0]) as store, store.database.transaction() as db:
        db.execute("DELETE FROM reader_votes")


def tune_url(settings, email: str, profile: str) -> str:
    return ReaderLinks.of(settings, link_keys(settings, ENV)).action_url(TUNE, email, profile) or ""


def listed(page: str) -> dict[str, dict[bool, str]]:
    """paper id -> {liked: absolute vote URL} from the tune page's links."""
    found: dict[str, dict[bool, str]] = {}
    for url, action in VOTE.findall(page):
        fields = dict(parse_qsl(urlsplit(unescape(url)).query))
        found.setdefault(fields["p"], {})[action == "more-like-this"] = unescape(url)
    return found


def vote(server, relative: str) -> None:
    reply = httpx.post(server.url + relative, data={"confirm": "yes"}, timeout=30)
    assert reply.status_code == 200 and "Thank you, noted" in reply.text
    assert "More papers to vote on in" in reply.text and "tune?r=" in reply.text


def test_the_tune_page_lists_a_dozen_papers_with_signed_vote_links_for_that_profile(site):
    settings, server = site
    reply = httpx.get(tune_url(settings, ADA, "reasoning"), timeout=30)
    assert reply.status_code == 200 and "Tune “Reasoning”" in reply.text
    papers = listed(reply.text)
    assert 6 <= len(papers) <= 12 and all(set(links) == {True, False} for links in papers.values())
    for links in papers.values():
        fields = dict(parse_qsl(urlsplit(links[True]).query))
        assert fields["l"] == "reasoning" and fields["s"]
    assert httpx.get(server.url + papers.popitem()[1][True], timeout=10).status_code == 200  # the ask page


def test_after_votes_the_page_offers_a_fresh_set_without_the_papers_voted_on(site):
    settings, server = site
    url = tune_url(settings, ADA, "reasoning")
    first = listed(httpx.get(url, timeout=30).text)
    voted = list(first)[:3]
    for number, paper in enumerate(voted):
        vote(server, first[paper][number == 0])  # one "more like this", two "not for me"
    second = listed(httpx.get(url, timeout=30).text)
    assert not set(voted) & set(second) and second
    assert "You have voted on 3 papers in this interest" in httpx.get(url, timeout=30).text
    with Store.of(settings) as store:
        assert {(v.paper_id, v.liked) for v in store.votes.votes_of([ADA])[ADA]} == {
            (voted[0], True), (voted[1], False), (voted[2], False)}


@pytest.mark.parametrize("forgery", ["signature", "reader", "profile", "action"])
def test_a_forged_tune_link_answers_403_and_shows_nothing(site, forgery):
    settings, _ = site
    url = tune_url(settings, ADA, "reasoning")
    fields = dict(parse_qsl(urlsplit(url).query))
    if forgery == "signature":
        forged = with_query(url, s=fields["s"][:-1] + ("A" if fields["s"][-1] != "A" else "B"))
    elif forgery == "reader":
        forged = with_query(url, r=link_keys(settings, ENV).reader_id("grace@example.org"))
    elif forgery == "profile":
        forged = with_query(url, l="multimodal")
    else:  # a valid signature for another action
        keys = link_keys(settings, ENV)
        other = SignedLink("feed", fields["r"], "reasoning", "")
        forged = with_query(url, s=keys.sign(other))
    before = state_dump(settings)
    reply = httpx.get(forged, timeout=30)
    assert reply.status_code == 403 and "more-like-this" not in reply.text and "Tune" not in reply.text
    assert state_dump(settings) == before


def test_a_profile_the_reader_does_not_follow_answers_404(site):
    settings, _ = site
    reply = httpx.get(tune_url(settings, "newcomer@example.org", "multimodal"), timeout=30)
    assert reply.status_code == 404 and "more-like-this" not in reply.text


def test_a_new_reader_can_tune_before_the_first_newsletter(site):
    settings, server = site
    with Store.of(settings) as store:
        assert store.ledger.reader_cursor(NEWCOMER) is None  # never planned: no newsletter yet
    papers = listed(httpx.get(tune_url(settings, NEWCOMER, "reasoning"), timeout=30).text)
    assert papers
    vote(server, next(iter(papers.values()))[True])


def test_readers_tune_link_prints_a_working_link_per_profile(site, tmp_path):
    settings, _ = site
    done = subprocess.run([sys.executable, "-m", "papercast.cli", "readers", "--config", str(settings.source_file),
                           "--tune-link", ADA], capture_output=True, text=True, env={**ENV, "PATH": ""})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == ["efficient-llm", "multimodal", "reasoning"]
    assert all(httpx.get(line.split(": ", 1)[1], timeout=30).status_code == 200 for line in lines)


@pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")
def test_a_tune_page_reads_well_at_375_and_1024_px(site, tmp_path_factory):
    settings, _ = site
    browser = Browser(tmp_path_factory.mktemp("chromium-tune"))
    try:
        browser.goto(tune_url(settings, ADA, "reasoning"))
        assert browser.evaluate("document.querySelectorAll('.tune-card').length") >= 6
        check_layout_and_shoot(browser, "tune-page")
    finally:
        browser.close()


def test_the_tune_page_only_reads_the_state(site):
    settings, server = site
    before = state_dump(settings)
    assert httpx.get(tune_url(settings, ADA, "efficient-llm"), timeout=30).status_code == 200
    assert state_dump(settings) == before
