"""Walk the published archive in headless Chromium, served by a local HTTP server from a sub-folder.

index -> profile -> edition -> a paper's link, then every page and link of the site.
The screenshot of the index is kept in tests/artifacts/archive-index.png.
"""

from __future__ import annotations

import functools
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from cdp import Browser, chromium_available
from site_builder import build_real_store, linked_papers, publish

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ALL_LINKS = "Array.from(document.querySelectorAll('a[href], link[rel=alternate]')).map(a => a.href)"

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="module")
def site(server, shared_digests):
    """The archive at <root>/site/archive/, papers' own pages at <root>/papers/ on the same server."""
    root, url = server
    for paper in linked_papers(""):
        page = root / "papers" / paper.link
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!DOCTYPE html><title>{paper.arxiv_id}</title><h1>{paper.title}</h1>", encoding="utf-8")
    settings = build_real_store(root / "site", shared_digests, link_base=f"{url}papers/")
    publish(settings)
    return settings.paths.archive, f"{url}site/archive/"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_walk_index_profile_edition_paper(site, browser):
    _, base = site
    assert browser.goto(base + "index.html") == base + "index.html"
    shot = browser.screenshot(ARTIFACTS / "archive-index.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert browser.evaluate("document.querySelectorAll('svg rect').length") > 0
    assert browser.click("a.profile") == base + "profiles/efficient-llm.html"
    assert browser.evaluate("document.querySelector('h1').textContent") == "Efficient LLM inference"
    assert browser.click("a.edition") == base + "editions/efficient-llm/2026-11-23.html"
    paper = browser.evaluate("document.querySelector('a.paper').href")
    assert paper == "https://arxiv.org/abs/2611.00001", "the title links where the newsletter's does (offline here)"
    assert browser.statuses[base + "index.html"] == 200


def test_permalink_of_a_paper_without_own_link_lands_on_its_card(site, browser):
    _, base = site
    browser.goto(base + "editions/reasoning/2026-03-16.html")
    titles = browser.evaluate("Array.from(document.querySelectorAll('article.card h3')).map(h => h.querySelector("
                              "'a.paper') ? h.querySelector('a.paper').href : null)")
    assert titles and all(href and href.startswith("https://arxiv.org/search/") for href in titles), \
        "a paper without an id still links, as in the newsletter: arXiv's title search"
    anchor = browser.evaluate("document.querySelector('article.card').id")
    browser.evaluate("document.querySelector('a.permalink').click()")
    assert browser.evaluate("location.hash") == f"#{anchor}"


def test_no_broken_relative_link_anywhere_in_the_site(site, browser):
    _, base = site
    queue, visited, checked = [base + "index.html"], set(), 0
    while queue:
        page = queue.pop()
        if page in visited:
            continue
        visited.add(page)
        assert browser.goto(page) == page and browser.statuses.get(page) == 200, page
        for link in browser.evaluate(ALL_LINKS):
            target, fragment = urldefrag(link)
            if not target.startswith(base):
                continue
            assert http_status(target) == 200, f"{page}: broken link {link}"
            if fragment:
                browser_html = urllib.request.urlopen(target, timeout=10).read().decode("utf-8")
                assert f'id="{fragment}"' in browser_html, f"{page}: missing anchor {link}"
            if target.endswith(".html"):
                queue.append(target)
            checked += 1
    assert len(visited) >= 10 and checked > 100
    assert browser.failures == []


def test_site_also_works_from_file_urls(site, browser):
    archive, _ = site
    index = archive.resolve().as_uri() + "/index.html"
    browser.goto(index)
    assert browser.click("a.profile").endswith("/profiles/efficient-llm.html")
    assert browser.click("a.edition").endswith("/editions/efficient-llm/2026-11-23.html")
    assert browser.evaluate("document.querySelectorAll('article.card').length") >= 1
