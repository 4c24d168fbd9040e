"""Votes and private feeds through the real app under uvicorn on 127.0.0.1 (httpx over real sockets): the
links in real newsletters (a real Daily Papers capture), the confirm pages, a vote recorded and replaced,
every forged or altered link refused with nothing stored, and the private feed fetched by its URL
(valid Atom, an entry per paper of the reader's issues, the same ids when rebuilt, 403 when tampered,
no address anywhere)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import feedparser
import httpx
import pytest

from conftest import AS_OF, free_port
from papercast.store import Store
from papercast.links.issue import NOT_FOR_ME, feed_link, vote_links
from papercast.links.reader import ReaderLinks
from papercast.web.server import AppServer
from papercast.links.signing import LinkKeys, SignedLink, link_keys
from papercast.sources import parse_input
from stages import classify, plan_and_write
from test_web_app import with_query
from webapp import OLD_SECRET, SECRET, WITH_A_FEED, build_site, state_dump

pytestmark = pytest.mark.slow
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.org"
DIGEST, LATER = "001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt"
ENV = {"PAPERCAST_WEB_SECRET": SECRET}


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    folder = tmp_path_factory.mktemp("votes-site")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERCAST_WEB_SECRET", SECRET)
        built = build_site(folder, f"http://127.0.0.1:{port}/", shared_digests / DIGEST, readers=WITH_A_FEED)
    with AppServer(built.settings, ENV, port=port) as server:
        yield built, server


@pytest.fixture(autouse=True)
def no_votes(request):
    if "site" in request.fixturenames:
        with Store.of(request.getfixturevalue("site")[0].settings) as store, store.database.transaction() as db:
            db.execute("DELETE FROM reader_votes")


def text_part(site, reader: str) -> str:
    message = email.message_from_bytes(site[0].emls[reader].read_bytes(), policy=email.policy.default)
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def vote_urls(site, reader: str, label: str = "More like this") -> list[str]:
    """The vote links of one kind in the reader's message, paper by paper."""
    return re.findall(rf"^  {label}: (\S+)$", text_part(site, reader), flags=re.M)


def feed_url(site, reader: str) -> str:
    return re.search(r"^Your private feed .*: (\S+)$", text_part(site, reader), flags=re.M).group(1)


def votes(site) -> list[tuple[str, str, str, bool, str]]:
    with Store.of(site[0].settings) as store:
        return [(v.reader, v.profile_id, v.paper_id, v.liked, v.via) for mine in store.votes.votes_of(
            [ADA, GRACE, ALAN]).values() for v in mine]


def fields(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# -- votes ------------------------------------------------------------------------


def test_every_paper_carries_both_links_for_its_reader_profile_and_paper(site):
    built, server = site
    more, fewer = vote_urls(site, ADA), vote_urls(site, ADA, "Not for me")
    with Store.of(built.settings) as store:
        issue = store.ledger.delivered_on(ADA, "email", 1)[0]
    pairs = [(section.profile_id, item.paper_id) for section in issue.sections for item in section.items]
    assert [(fields(u)["l"], fields(u)["p"]) for u in more] == pairs
    assert [(fields(u)["l"], fields(u)["p"]) for u in fewer] == pairs
    assert all(u.startswith(server.url + "more-like-this?r=") and "ada" not in u for u in more)


def test_opening_a_vote_link_asks_and_changes_nothing(site):
    built, server = site
    before = state_dump(built.settings)
    page = httpx.get(vote_urls(site, ADA)[0], timeout=10)
    assert page.status_code == 200 and "More like this?" in page.text and "Nothing changes until" in page.text
    assert 'name="confirm" value="yes"' in page.text and page.headers["cache-control"] == "no-store"
    assert httpx.head(vote_urls(site, ADA)[0], timeout=10).status_code == 200
    assert state_dump(built.settings) == before


def test_the_button_records_the_vote_and_a_second_vote_replaces_it(site):
    built, server = site
    url = vote_urls(site, ADA)[1]
    done = httpx.post(url, data={"confirm": "yes"}, timeout=10)
    assert done.status_code == 200 and "Thank you, noted" in done.text and "lean toward papers like" in done.text
    assert "Other readers’ newsletters do not change." in unescape(done.text)
    profile, paper = fields(url)["l"], fields(url)["p"]
    assert votes(site) == [(ADA, profile, paper, True, "page")]
    assert httpx.post(url, data={"confirm": "yes"}, timeout=10).status_code == 200  # pressed twice: one vote
    assert "You said: more like this" in httpx.get(url, timeout=10).text
    other = unescape(re.search(r'<form class="confirm" method="post" action="([^"]+)"', done.text).group(1))
    assert other.startswith(NOT_FOR_ME + "?r=") and fields(other)["p"] == paper
    changed = httpx.post(server.url + other, data={"confirm": "yes"}, timeout=10)
    assert changed.status_code == 200 and "away from papers like" in changed.text
    assert votes(site) == [(ADA, profile, paper, False, "page")]  # replaced, not added


@pytest.mark.parametrize(("body", "status"), [(b"", 400), (b"confirm=no", 400), (b"List-Unsubscribe=One-Click", 400),
                                              (b"confirm=yes&" + b"x" * 9000, 413)])
def test_a_post_that_does_not_confirm_records_nothing(site, body, status):
    built, server = site
    before = state_dump(built.settings)
    reply = httpx.post(vote_urls(site, ADA)[0], content=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    assert reply.status_code == status and state_dump(built.settings) == before


def forged_votes(site) -> dict[str, str]:
    ada, grace = vote_urls(site, ADA)[0], vote_urls(site, GRACE)[0]
    mine = fields(ada)
    other_paper = fields(vote_urls(site, ADA)[1])["p"]
    old = ReaderLinks.of(site[0].settings, LinkKeys((OLD_SECRET.encode(),)))
    return {
        "other reader": with_query(ada, r=fields(grace)["r"]),
        "other paper": with_query(ada, p=other_paper),
        "other profile": with_query(ada, l="multimodal" if mine["l"] != "multimodal" else "reasoning"),
        "other action": ada.replace("/more-like-this?", "/not-for-me?"),
        "an unsubscribe link's signature": with_query(ada, s=fields(
            ReaderLinks.of(site[0].settings, link_keys(site[0].settings, ENV)).unsubscribe(ADA))["s"]),
        "cut signature": with_query(ada, s=mine["s"][:-1]),
        "no signature": with_query(ada, s=None),
        "unsigned": with_query(ada, s="unsigned"),
        "signature twice": ada + "&s=" + mine["s"],
        "paper twice": ada + "&p=" + other_paper,
        "no reader": with_query(ada, r=None),
        "no paper": with_query(ada, p=None),
        "old secret": vote_links(old, ADA, [(mine["l"], mine["p"])])[mine["p"]][0],
        "random signature": with_query(ada, s="A" * 22),
    }


@pytest.mark.parametrize("case", ["other reader", "other paper", "other profile", "other action",
                                  "an unsubscribe link's signature", "cut signature", "no signature", "unsigned",
                                  "signature twice", "paper twice", "no reader", "no paper", "old secret",
                                  "random signature"])
def test_a_forged_vote_link_is_403_and_stores_nothing(site, case):
    built, server = site
    url = forged_votes(site)[case]
    before = state_dump(built.settings)
    assert httpx.post(url, data={"confirm": "yes"}, timeout=10).status_code == 403
    page = httpx.get(url, timeout=10)
    assert page.status_code == 403 and "not valid" in page.text
    assert state_dump(built.settings) == before and votes(site) == []


def test_any_character_of_a_vote_link_changed_is_refused(site):
    built, server = site
    url = vote_urls(site, GRACE)[0]
    before = state_dump(built.settings)
    start = url.index("?r=") + 3
    changed = [url[:i] + ("b" if url[i] != "b" else "c") + url[i + 1:] for i in range(start, len(url))
               if url[i] not in "&="]
    assert len(changed) > 60
    for forged in changed:
        assert httpx.post(forged, data={"confirm": "yes"}, timeout=10).status_code in (400, 403, 404), forged
    assert state_dump(built.settings) == before


def test_a_signed_vote_for_a_profile_not_followed_or_an_unknown_paper_stores_nothing(site):
    built, server = site
    links = ReaderLinks.of(built.settings, link_keys(built.settings, ENV))
    paper = fields(vote_urls(site, ADA)[0])["p"]
    before = state_dump(built.settings)
    for profile, paper_id in (("no-such-profile", paper), (fields(vote_urls(site, ADA)[0])["l"], "arxiv:9999.99999")):
        url = vote_links(links, ADA, [(profile, paper_id)])[paper_id][0]
        assert httpx.get(url, timeout=10).status_code == 404
        assert httpx.post(url, data={"confirm": "yes"}, timeout=10).status_code == 404
    assert state_dump(built.settings) == before


# -- the private feed ---------------------------------------------------------------------


def test_the_private_feed_is_valid_atom_with_an_entry_per_paper_and_no_address(site):
    built, server = site
    url = feed_url(site, ALAN)
    assert url.startswith(server.url + "feed?r=") and "alan" not in url.lower()
    reply = httpx.get(url, timeout=10)
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert reply.headers["cache-control"] == "private, no-cache"
    parsed = feedparser.parse(reply.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    with Store.of(built.settings) as store:
        issues = store.ledger.delivered_on(ALAN, "feed", 100)
    assert [e.id for e in parsed.entries] == [f"urn:papercast:paper:{p}" for i in issues for p in i.paper_ids]
    assert len(parsed.entries) >= 3 and all(e.link.startswith("https://arxiv.org/") for e in parsed.entries)
    assert "@" not in reply.text and "Alan" not in reply.text
    assert httpx.get(url, headers={"If-None-Match": reply.headers["etag"]}, timeout=10).status_code == 304
    assert "feed?r=" not in text_part(site, ADA)  # her channels are email alone: no feed shown


def test_a_tampered_feed_url_is_403_and_a_reader_without_the_channel_has_none(site):
    built, server = site
    url = feed_url(site, ALAN)
    start = url.index("?r=") + 3
    for i in range(start, len(url)):
        if url[i] not in "&=":
            forged = url[:i] + ("b" if url[i] != "b" else "c") + url[i + 1:]
            assert httpx.get(forged, timeout=10).status_code in (403, 404), forged
    assert httpx.get(with_query(url, s=fields(url)["s"][:-1]), timeout=10).status_code == 403
    assert httpx.get(with_query(url, r=fields(vote_urls(site, GRACE)[0])["r"]), timeout=10).status_code == 403
    links = ReaderLinks.of(built.settings, link_keys(built.settings, ENV))
    no_feed = httpx.get(links.url(feed_link(links, ADA)), timeout=10)  # signed, but not one of her channels
    assert no_feed.status_code == 404
    assert httpx.post(url, timeout=10).status_code == 405


def test_the_feed_keeps_its_ids_when_rebuilt_and_grows_by_the_next_issue(site, shared_digests, monkeypatch):
    built, server = site
    url = feed_url(site, ALAN)
    first = httpx.get(url, timeout=10).content
    assert httpx.get(url, timeout=10).content == first  # rebuilt from the same ledger: the same bytes
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    later = AS_OF + dt.timedelta(days=7)
    with Store.of(built.settings) as store:
        run = store.runs.start_run(later)
        store.papers.ingest_digest(parse_input((shared_digests / LATER).read_bytes(), LATER, later), run)
        classify(store, built.settings, run)
        plan_and_write(store, built.settings, later, run_id=run)
    old, new = feedparser.parse(first), feedparser.parse(httpx.get(url, timeout=10).content)
    assert new.bozo == 0 and len(new.entries) > len(old.entries)
    assert [e.id for e in new.entries][-len(old.entries):] == [e.id for e in old.entries]
    assert {e.id: e.published for e in new.entries if e.id in {o.id for o in old.entries}} == {
        e.id: e.published for e in old.entries}


def test_every_new_link_is_signed_over_its_own_fields():
    """The fields that name a vote: changing any one changes the signature (what the 403s above rely on)."""
    keys = LinkKeys((SECRET.encode(),))
    link = SignedLink("more-like-this", keys.reader_id(ADA), "reasoning", "arxiv:2611.00001")
    variants = [SignedLink("not-for-me", link.reader, link.scope, link.paper),
                SignedLink(link.action, keys.reader_id(GRACE), link.scope, link.paper),
                SignedLink(link.action, link.reader, "multimodal", link.paper),
                SignedLink(link.action, link.reader, link.scope, "arxiv:2611.00002")]
    assert all(keys.sign(v) != keys.sign(link) for v in variants) and keys.verify(link, keys.sign(link)) == 0
