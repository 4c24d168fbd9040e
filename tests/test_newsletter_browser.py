"""The sent HTML newsletter in headless Chromium, narrow (375 px) and wide (1024 px).

What is checked is the HTML part of the .eml as a mail client gets it (CSS inlined, no
<style>): nothing sticks out horizontally and every paper title is on screen. Screenshots
are kept in tests/artifacts/newsletter-<width>.png.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
from pathlib import Path

import pytest

from cdp import Browser, chromium_available
from conftest import AS_OF, write_config
from papercast.config import load_settings
from papercast.sources import parse_input
from papercast.store import Store
from stages import classify, plan_and_write

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LONG_WORD = "Sub" + "quadratic" * 14 + "Attention"  # one unbreakable 131-letter word
READER = """
[[readers]]
email = "ada@example.org"
name = "Ada Lovelace"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 14
"""
SMTP = '[smtp]\nfrom_addr = "papers@example.org"\nunsubscribe_url = "https://example.org/u?list={list}&r={token}"\n' \
       '[classify]\nthreshold = 0.3\n'

OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 0.5 || el.getBoundingClientRect().left < -0.5)
    .map(el => el.tagName + ':' + el.textContent.slice(0, 40));
  return {inner: window.innerWidth, width, scroll: document.documentElement.scrollWidth, wide};
})()"""
TITLES = """Array.from(document.querySelectorAll('h3.paper-title')).map(el => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {text: el.textContent, left: r.left, right: r.right, width: r.width, height: r.height,
          visible: s.visibility === 'visible' && s.display !== 'none' && parseFloat(s.opacity) > 0};
})"""

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")


@pytest.fixture(scope="module")
def newsletter(tmp_path_factory, shared_digests) -> tuple[Path, list[str]]:
    """One reader's real newsletter from a real digest (one title made a very long word), as sent."""
    folder = tmp_path_factory.mktemp("newsletter")
    settings = load_settings(write_config(folder, readers=READER, extra=SMTP))
    digest = parse_input((shared_digests / "001_0b28249de3011a72.txt").read_bytes(), "001.txt", AS_OF)
    first = digest.papers[0]
    papers = (dataclasses.replace(first, title=f"{LONG_WORD}: {first.title}"), *digest.papers[1:])
    digest = dataclasses.replace(digest, papers=papers)
    with Store.open(settings.paths.state) as store:
        run = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(digest, run)
        classify(store, settings, run)
        written = plan_and_write(store, settings, AS_OF, run_id=run)
        titles = [" ".join(store.papers.paper(pid).title.split()) for pid in written[0].papers]
    message = email.message_from_bytes(written[0].files[0].read_bytes(), policy=email.policy.default)
    page = folder / "sent.html"
    page.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    return page, titles


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


@pytest.mark.parametrize("width", [375, 1024])
def test_nothing_overflows_and_every_title_is_visible(newsletter, browser, width):
    page, titles = newsletter
    assert len(titles) >= 8 and any(LONG_WORD in title for title in titles)
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                 mobile=width < 600)
    browser.goto(page.as_uri())
    layout = browser.evaluate(OVERFLOW)
    assert layout["inner"] == width  # the viewport; `width` below is it less any scroll bar
    assert layout["scroll"] <= layout["width"] and layout["wide"] == [], layout
    shown = browser.evaluate(TITLES)
    assert [" ".join(t["text"].split()) for t in shown] == titles
    for title in shown:
        assert title["visible"] and title["width"] > 0 and title["height"] > 0, title
        assert 0 <= title["left"] and title["right"] <= layout["width"], title
    shot = browser.screenshot(ARTIFACTS / f"newsletter-{width}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_wide_clients_get_a_centred_readable_column(newsletter, browser):
    page, _ = newsletter
    browser.call("Emulation.setDeviceMetricsOverride", width=1024, height=900, deviceScaleFactor=1, mobile=False)
    browser.goto(page.as_uri())
    sheet = browser.evaluate("(() => { const r = document.querySelector('table.sheet').getBoundingClientRect();"
                             " return {left: r.left, right: r.right, width: r.width}; })()")
    assert sheet["width"] <= 640
    visible = browser.evaluate("document.documentElement.clientWidth")
    assert abs(sheet["left"] - (visible - sheet["right"])) <= 1  # centred
