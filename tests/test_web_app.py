"""The reader app under uvicorn on 127.0.0.1, driven over real sockets (httpx, and raw requests where a
client would clean the path up): one-click unsubscribes as mail providers send them, the confirm
pages, forged and altered links, the private files around the public archive, and every route.

Real newsletters from a real Daily Papers capture; the links tested are the ones in their .eml files.
"""

from __future__ import annotations

import logging
import os
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from starlette.routing import Mount, Route

from conftest import free_port
from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.store import Store
from papercast.links.issue import feed_link, vote_links
from papercast.links.reader import TUNE, ReaderLinks
from papercast.web.server import AppServer
from papercast.links.signing import LinkKeys, link_keys
from webapp import (OLD_SECRET, SECRET, WITH_A_FEED, build_site, raw_request, site_config, state_dump,
                    subscriptions, unsubscribe_url)

pytestmark = pytest.mark.slow
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.org"
DIGEST = "001_0b28249de3011a72.txt"
ENV = {"PAPERCAST_WEB_SECRET": SECRET}


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    folder = tmp_path_factory.mktemp("reader-site")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERCAST_WEB_SECRET", SECRET)
        built = build_site(folder, f"http://127.0.0.1:{port}/", shared_digests / DIGEST, readers=WITH_A_FEED)
    archive = built.settings.paths.archive
    newsletter = next((archive / "newsletters").rglob("*.html"))
    (archive / "editions" / "leak.html").symlink_to(newsletter)  # a symlink out of the public folder
    (archive / "feeds" / "private").symlink_to(archive / "newsletters", target_is_directory=True)
    with AppServer(built.settings, ENV, port=port) as server:
        yield built, server


@pytest.fixture(autouse=True)
def everyone_subscribed(request):
    if "site" in request.fixturenames:
        with Store.of(request.getfixturevalue("site")[0].settings) as store, store.database.transaction() as db:
            db.execute("DELETE FROM reader_subscriptions")


def link_of(site, reader: str) -> str:
    return unsubscribe_url(site[0].emls[reader])


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    fields = dict(parse_qsl(parts.query))
    fields.update(changes)
    return parts._replace(query="&".join(f"{k}={v}" for k, v in fields.items() if v is not None)).geturl()


def one_click(url: str) -> httpx.Response:
    """What a mail provider sends for its unsubscribe button (RFC 8058)."""
    return httpx.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=10)


# -- unsubscribing ----------------------------------------------------------------


def test_the_link_in_the_message_points_at_this_app(site):
    built, server = site
    url = link_of(site, ADA)
    assert url.startswith(server.url + "unsubscribe?r=") and "ada" not in url


def test_get_and_head_show_a_page_and_change_nothing(site):
    built, server = site
    before = state_dump(built.settings)
    page = httpx.get(link_of(site, ADA), timeout=10)
    assert page.status_code == 200 and "Unsubscribe?" in page.text
    assert '<form class="confirm" method="post">' in page.text and 'name="confirm" value="yes"' in page.text
    assert "a…@example.org" in page.text and ADA not in page.text
    assert page.headers["cache-control"] == "no-store" and "noindex" in page.headers["x-robots-tag"]
    assert httpx.head(link_of(site, ADA), timeout=10).status_code == 200
    assert state_dump(built.settings) == before


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_post_as_a_mail_provider_sends_it(site, encoding):
    built, server = site
    url = link_of(site, GRACE)
    if encoding == "urlencoded":
        reply = one_click(url)
    else:
        reply = httpx.post(url, files={"List-Unsubscribe": (None, "One-Click")}, timeout=10)
    assert reply.status_code == 200 and reply.text == "unsubscribed\n"
    assert subscriptions(built.settings) == {GRACE: "unsubscribed"}
    assert one_click(url).status_code == 200  # a provider that repeats its POST: still 2xx, recorded once
    with Store.of(built.settings) as store:
        assert store.subscriptions.subscription(GRACE).via == "one-click"


def test_the_confirm_button_unsubscribes_and_the_next_page_resubscribes(site):
    built, server = site
    url = link_of(site, ALAN)
    done = httpx.post(url, data={"confirm": "yes"}, timeout=10)
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert subscriptions(built.settings) == {ALAN: "unsubscribed"}
    assert "You are unsubscribed" in httpx.get(url, timeout=10).text  # the link again: says so, offers a way back
    action = unescape(re.search(r'<form class="confirm" method="post" action="([^"]+)"', done.text).group(1))
    assert action.startswith("resubscribe?r=")
    back = httpx.post(server.url + action, data={"confirm": "yes"}, timeout=10)
    assert back.status_code == 200 and "Welcome back" in back.text
    assert subscriptions(built.settings) == {ALAN: "subscribed"}


@pytest.mark.parametrize(("body", "kind", "status"), [
    (b"", "application/x-www-form-urlencoded", 400),
    (b"List-Unsubscribe=Yes", "application/x-www-form-urlencoded", 400),
    (b"confirm=no", "application/x-www-form-urlencoded", 400),
    (b"List-Unsubscribe=One-Click&" + b"x" * 9000, "application/x-www-form-urlencoded", 413),
    (b"{\"List-Unsubscribe\": \"One-Click\"}", "application/json", 400),
])
def test_a_post_that_does_not_confirm_changes_nothing(site, body, kind, status):
    built, server = site
    before = state_dump(built.settings)
    reply = httpx.post(link_of(site, ADA), content=body, headers={"Content-Type": kind}, timeout=10)
    assert reply.status_code == status
    assert state_dump(built.settings) == before


# -- forged, altered, cut and retired links --------------------------------------------


def forged_links(site) -> dict[str, str]:
    ada, grace = link_of(site, ADA), link_of(site, GRACE)
    fields = dict(parse_qsl(urlsplit(ada).query))
    old = ReaderLinks.of(site[0].settings, LinkKeys((OLD_SECRET.encode(),))).unsubscribe(ADA)
    resubscribe = ReaderLinks.of(site[0].settings, link_keys(site[0].settings, ENV)).resubscribe(ADA)
    return {
        "other reader": with_query(ada, r=dict(parse_qsl(urlsplit(grace).query))["r"]),
        "other paper": with_query(ada, p="arxiv:2611.00001"),
        "other list": with_query(ada, l="papercast.example.net"),
        "other action": ada.replace("/unsubscribe?", "/resubscribe?"),
        "another action's link": resubscribe.replace("/resubscribe?", "/unsubscribe?"),
        "cut signature": with_query(ada, s=fields["s"][:-1]),
        "no signature": with_query(ada, s=None),
        "unsigned": with_query(ada, s="unsigned"),
        "signature twice": ada + "&s=" + fields["s"],
        "no reader": with_query(ada, r=None),
        "old secret": old,
        "random signature": with_query(ada, s="A" * 22),
    }


@pytest.mark.parametrize("case", ["other reader", "other paper", "other list", "other action",
                                  "another action's link", "cut signature", "no signature", "unsigned",
                                  "signature twice", "no reader", "old secret", "random signature"])
def test_a_forged_link_is_403_and_changes_nothing(site, case):
    built, server = site
    url = forged_links(site)[case]
    before = state_dump(built.settings)
    assert one_click(url).status_code == 403
    assert httpx.post(url, data={"confirm": "yes"}, timeout=10).status_code == 403
    page = httpx.get(url, timeout=10)
    assert page.status_code == 403 and "not valid" in page.text
    assert state_dump(built.settings) == before


def test_any_character_of_the_token_changed_is_refused(site):
    built, server = site
    url = link_of(site, ADA)
    start = url.index("?r=") + 3
    before = state_dump(built.settings)
    changed = [url[:i] + ("b" if url[i] != "b" else "c") + url[i + 1:] for i in range(start, len(url))
               if url[i] not in "&="]
    assert len(changed) > 50
    for forged in changed:
        assert one_click(forged).status_code in (400, 403, 404), forged
    assert state_dump(built.settings) == before


def test_during_rotation_the_previous_secret_is_still_accepted(site):
    built, server = site
    old_link = ReaderLinks.of(built.settings, LinkKeys((OLD_SECRET.encode(),))).unsubscribe(ADA)
    old_path = old_link.removeprefix(built.settings.site.base_url)
    with AppServer(built.settings, {"PAPERCAST_WEB_SECRET": f"{SECRET} {OLD_SECRET}"}) as rotating:
        assert httpx.get(rotating.url + old_path, timeout=10).status_code == 200
        assert one_click(rotating.url + old_path).status_code == 200
    assert subscriptions(built.settings) == {ADA: "unsubscribed"}


# -- the public archive, and nothing else ---------------------------------------------------


def test_the_public_archive_is_served(site):
    built, server = site
    archive = built.settings.paths.archive
    index = httpx.get(server.url, timeout=10)
    assert index.status_code == 200 and index.headers["content-type"] == "text/html; charset=utf-8"
    assert index.text == (archive / "index.html").read_text(encoding="utf-8")
    for path in ["index.html", "profiles/efficient-llm.html", "feeds/all.rss.xml", "feeds/all.atom.xml",
                 next(p.relative_to(archive).as_posix() for p in (archive / "editions").rglob("20*.html"))]:
        reply = httpx.get(server.url + path, timeout=10)
        assert reply.status_code == 200 and reply.content == (archive / path).read_bytes(), path
    assert httpx.get(server.url + "feeds/all.rss.xml", timeout=10).headers["content-type"].startswith(
        "application/rss+xml")
    assert httpx.head(server.url + "index.html", timeout=10).status_code == 200


def private_targets(site) -> list[str]:
    """Every file around the public folders, by its path from the config's folder and from the archive."""
    built, _ = site
    folder, archive = built.settings.source_file.parent, built.settings.paths.archive
    public = [archive / "index.html", *(archive / name for name in ("profiles", "editions", "feeds"))]
    files = [p for p in folder.rglob("*") if p.is_file() and not any(p == q or q in p.parents for q in public)]
    assert any("outbox" in p.parts for p in files) and any("reports" in p.parts for p in files)
    targets = ["/" + p.relative_to(folder).as_posix() for p in files]
    return targets + ["/" + p.relative_to(archive).as_posix() for p in files if archive in p.parents]


def test_every_private_file_is_404(site):
    built, server = site
    targets = private_targets(site)
    assert len(targets) >= 10
    for target in targets:
        assert raw_request(server.url, target)[0] == 404, target


@pytest.mark.parametrize("target", [
    "/editions/../papercast.toml", "/editions/../../papercast.toml", "/feeds/../outbox/",
    "/editions/%2e%2e/%2e%2e/papercast.toml", "/editions/%2E%2E%2F%2E%2E%2Fpapercast.toml",
    "/profiles/..%2f..%2fpapercast.toml", "/editions/.%2e/newsletters/", "/editions/..\\..\\papercast.toml",
    "/editions//etc/passwd", "/editions/%2fetc%2fpasswd", "//etc/passwd", "/feeds/%00.xml",
    "/editions/leak.html", "/feeds/private/", "/editions/.hidden.html", "/editions/", "/profiles", "/feeds/",
    "/index.html/..", "/../archive/index.html", "/newsletters/", "/outbox/", "/reports/latest.json",
    "/state/papercast.sqlite", "/papercast.toml", "/archive/index.html",
])
def test_traversal_and_private_folders_are_404(site, target):
    built, server = site
    assert raw_request(server.url, target)[0] == 404


def test_the_symlinks_out_exist_and_are_still_refused(site):
    built, server = site
    leak = built.settings.paths.archive / "editions" / "leak.html"
    assert leak.is_symlink() and leak.resolve().is_file()
    inside = next((built.settings.paths.archive / "feeds" / "private").rglob("*.html"))
    target = "/feeds/private/" + inside.relative_to(built.settings.paths.archive / "feeds" / "private").as_posix()
    assert raw_request(server.url, target)[0] == 404


# -- every route, every response ---------------------------------------------------------------


def served(routes, prefix: str = "") -> dict[str, set[str]]:
    """Path -> methods of every route, Mounts opened."""
    found: dict[str, set[str]] = {}
    for route in routes:
        if isinstance(route, Mount):
            found.update(served(route.routes, prefix + route.path))
        else:
            assert isinstance(route, Route), route
            found[prefix + route.path] = set(route.methods)
    return found


GET = {"GET", "HEAD"}
ROUTES = {  # every route the app serves: a request that must succeed, and one that must be refused
    "/healthz": (GET, "healthz", None),
    "/": (GET, "", None),
    "/index.html": (GET, "index.html", "index.html/"),
    "/profiles/{path:path}": (GET, "profiles/efficient-llm.html", "profiles/../index.html"),
    "/editions/{path:path}": (GET, "EDITION", "editions/leak.html"),
    "/feeds/{path:path}": (GET, "feeds/all.rss.xml", "feeds/private/"),
    "/unsubscribe": (GET | {"POST"}, "UNSUBSCRIBE", "unsubscribe?r=x&s=y"),
    "/resubscribe": (GET | {"POST"}, "RESUBSCRIBE", "resubscribe?r=x&s=y"),
    "/more-like-this": (GET | {"POST"}, "MORE", "more-like-this?r=x&l=reasoning&p=y&s=z"),
    "/not-for-me": (GET | {"POST"}, "FEWER", "not-for-me?r=x&l=reasoning&p=y&s=z"),
    "/feed": (GET, "FEED", "feed?r=x&s=y"),
    "/tune": (GET, "TUNE", "tune?r=x&l=reasoning&s=y"),
}


def test_every_route_is_listed_here_and_answers_as_listed(site):
    built, server = site
    app = server.config.app
    assert served(app.routes) == {path: methods for path, (methods, _, _) in ROUTES.items()}
    keys = link_keys(built.settings, ENV)
    links = ReaderLinks.of(built.settings, keys)
    edition = next((built.settings.paths.archive / "editions").rglob("20*.html"))
    with Store.of(built.settings) as store:
        section = store.ledger.delivered_on(ADA, "email", 1)[0].sections[0]
    more, fewer = vote_links(links, ADA, [(section.profile_id, section.items[0].paper_id)]).popitem()[1]
    feed = links.url(feed_link(links, ALAN))  # alan's channels include the feed (webapp.WITH_A_FEED)
    examples = {"EDITION": edition.relative_to(built.settings.paths.archive).as_posix(),
                "UNSUBSCRIBE": links.unsubscribe(ADA).removeprefix(server.url),
                "RESUBSCRIBE": links.resubscribe(ADA).removeprefix(server.url),
                "MORE": more.removeprefix(server.url), "FEWER": fewer.removeprefix(server.url),
                "FEED": feed.removeprefix(server.url),
                "TUNE": (links.action_url(TUNE, ADA, "reasoning") or "").removeprefix(server.url)}
    for path, (methods, good, bad) in ROUTES.items():
        assert raw_request(server.url, "/" + examples.get(good, good))[0] == 200, path
        if bad:
            assert raw_request(server.url, "/" + bad)[0] in (403, 404), path
        if "POST" not in methods:
            assert raw_request(server.url, "/" + examples.get(good, good), "POST")[0] == 405, path


def test_every_response_carries_the_security_headers_and_the_log_never_the_query(site, caplog):
    built, server = site
    caplog.set_level(logging.INFO, logger="papercast.web")
    url = link_of(site, ADA)
    for reply in [httpx.get(server.url, timeout=10), httpx.get(url, timeout=10),
                  httpx.get(server.url + "nothing", timeout=10), one_click(with_query(url, s="A" * 22))]:
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["referrer-policy"] == "no-referrer"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /unsubscribe 200" in logged and "?" not in logged and SECRET not in logged


# -- where the app lives, its config, its secret ------------------------------------------------------


def test_under_a_base_path_the_links_and_the_archive_work_there(tmp_path, shared_digests, monkeypatch):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    built = build_site(tmp_path, f"http://127.0.0.1:{port}/papers/", shared_digests / DIGEST)
    url = unsubscribe_url(built.emls[ADA])
    assert url.startswith(f"http://127.0.0.1:{port}/papers/unsubscribe?")
    with AppServer(built.settings, ENV, port=port) as server:
        assert one_click(url).status_code == 200
        assert httpx.get(server.url + "papers/index.html", timeout=10).status_code == 200
        assert httpx.get(server.url + "index.html", timeout=10).status_code == 200  # a proxy that strips the path
    assert subscriptions(built.settings) == {ADA: "unsubscribed"}


def test_a_reader_added_to_the_config_while_it_runs_is_known_at_once(site):
    built, server = site
    config = built.settings.source_file
    original = config.read_text(encoding="utf-8")
    new_reader = '\n[[readers]]\nemail = "new@example.org"\nprofiles = ["reasoning"]\n'
    try:
        config.write_text(original + new_reader, encoding="utf-8")
        os.utime(config, ns=(1, 2_000_000_000_000_000_000))  # a different mtime, whatever the clock's resolution
        url = ReaderLinks.of(load_settings(config), link_keys(built.settings, ENV)).unsubscribe("new@example.org")
        assert one_click(url.replace(built.settings.site.base_url, server.url)).status_code == 200
    finally:
        config.write_text(original, encoding="utf-8")
    assert subscriptions(built.settings) == {"new@example.org": "unsubscribed"}


def test_without_a_secret_the_archive_is_served_and_links_are_refused(tmp_path, monkeypatch, shared_digests):
    monkeypatch.delenv("PAPERCAST_WEB_SECRET", raising=False)
    settings = load_settings(site_config(tmp_path, "http://127.0.0.1:1/"))
    with pytest.raises(ConfigError, match="PAPERCAST_WEB_SECRET is not set"):
        AppServer(settings, {})
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "papercast.toml").write_text(settings.source_file.read_text().replace(
        'base_url = "http://127.0.0.1:1/"', 'title = "papercast"'), encoding="utf-8")
    with AppServer(load_settings(plain / "papercast.toml"), {}) as server:
        assert httpx.get(server.url + "healthz", timeout=10).status_code == 200
        assert httpx.get(server.url + "unsubscribe?r=x&s=y", timeout=10).status_code == 503
