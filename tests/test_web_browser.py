"""A reader's whole way, end to end: real `papercast run --send` runs (Prefect, aiosmtpd), the real
`papercast web` app, and headless Chromium.

1. The first run sends everyone their newsletter. Ada opens hers (the HTML part of the message as
   received): every paper title is a web link; she follows the unsubscribe link, sees a page that
   asks (nothing changed yet), presses the button.
2. The next run sends nothing to her, and every other reader still gets theirs; the report lists
   her as unsubscribed.
3. Grace's mail provider sends the RFC 8058 one-click POST for her; the next run skips her too.
4. Ada opens her link again and resubscribes; the next run sends her the papers she missed.

Screenshots at 375 and 1024 px of the newsletter and of each page, with nothing sticking out, land in
tests/artifacts/ (web-*.png).
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cdp import Browser, chromium_available
from conftest import PROJECT, free_port
from mailserver import Recorder, mail_server
from papercast.config import load_settings
from papercast.store import Store
from test_newsletter_browser import OVERFLOW
from webapp import SECRET, site_config, state_dump

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.org"
RUNS = [("001_0b28249de3011a72.txt", "2026-03-13"), ("003_4cebbeaa4a958479.txt", "2026-03-16"),
        ("000_78a9b9aaee6fab8d.txt", "2026-05-11"), (None, "2026-05-18")]
TITLE_LINKS = """Array.from(document.querySelectorAll('h3.paper-title')).map(h => {
  const a = h.querySelector('a');
  return {text: h.textContent.trim(), linked: a ? a.textContent.trim() : null, href: a ? a.href : null};
})"""


class Reader:
    """Runs papercast on one config, with the mail server that receives what it sends."""

    def __init__(self, config: Path, mail: Recorder, env: dict):
        self.config, self.mail, self.env = config, mail, env
        self.settings = load_settings(config)

    def run(self, digest: str | None, as_of: str, shared: Path) -> dict:
        if digest:
            shutil.copy(shared / digest, self.config.parent / "inbox" / digest)
        done = subprocess.run([sys.executable, "-m", "papercast.cli", "run", "--config", str(self.config),
                               "--as-of", as_of, "--send", "--json"], env=self.env, cwd=PROJECT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        assert SECRET not in done.stdout + done.stderr
        return json.loads(done.stdout)

    def received(self, reader: str) -> list[email.message.EmailMessage]:
        return [item.message for item in self.mail.to(reader)]


@pytest.fixture(scope="module")
def world(tmp_path_factory, prefect_server):
    folder = tmp_path_factory.mktemp("reader-world")
    port = free_port()
    env = {**prefect_server, "PAPERCAST_WEB_SECRET": SECRET}
    with mail_server() as (mail, smtp_port):
        smtp = (f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n'
                f'from_addr = "papers@example.org"\n[web]\nport = {port}\n')
        config = site_config(folder, f"http://127.0.0.1:{port}/", smtp)
        app = subprocess.Popen([sys.executable, "-m", "papercast.cli", "web", "--config", str(config)],
                               env=env, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", app)
            yield Reader(config, mail, env), f"http://127.0.0.1:{port}/"
        finally:
            app.terminate()
            app.wait(timeout=30)


def wait_until_up(url: str, app: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert app.poll() is None, app.stderr.read()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("papercast web did not come up")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def at_width(browser: Browser, width: int) -> None:
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                 mobile=width < 600)


def check_layout_and_shoot(browser: Browser, name: str) -> None:
    """At 375 and 1024 px: nothing wider than the viewport; a screenshot of each."""
    for width in (375, 1024):
        at_width(browser, width)
        browser.evaluate("location.reload()")
        browser.wait_for("Page.loadEventFired")
        layout = browser.evaluate(OVERFLOW)
        assert layout["scroll"] <= layout["width"] and layout["wide"] == [], (name, width, layout)
        shot = browser.screenshot(ARTIFACTS / f"web-{name}-{width}.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def open_newsletter(browser: Browser, message: email.message.EmailMessage, folder: Path) -> None:
    page = folder / "received.html"
    page.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    browser.goto(page.as_uri())


def click_text(browser: Browser, text: str) -> str:
    """Click the link or button whose text is `text`; the URL of the page it opens."""
    browser.evaluate(f"Array.from(document.querySelectorAll('a, button')).find(e => e.textContent.trim() === "
                     f"{json.dumps(text)}).click()")
    browser.wait_for("Page.loadEventFired")
    return browser.evaluate("location.href")


def subscription(world, reader: str) -> tuple[str, str]:
    with Store.of(world[0].settings) as store:
        found = store.subscriptions.subscription(reader)
    return found.status, found.via


def skipped(report: dict) -> dict[str, str]:
    return {entry["reader"]: entry["reason"] for entry in report["no_newsletter"]}


def test_unsubscribe_by_link_and_one_click_then_resubscribe(world, browser, shared_digests, tmp_path):
    reader, base = world
    first = reader.run(*RUNS[0], shared_digests)
    assert first["links"] == "signed" and {n["reader"] for n in first["newsletters"]} == {ADA, GRACE, ALAN}
    assert all(len(reader.received(r)) == 1 for r in (ADA, GRACE, ALAN))

    # Ada reads her newsletter: every title links to the web; she follows the unsubscribe link.
    open_newsletter(browser, reader.received(ADA)[0], tmp_path)
    titles = browser.evaluate(TITLE_LINKS)
    assert len(titles) >= 3 and all(t["linked"] == t["text"] and t["href"].startswith("https://") for t in titles)
    check_layout_and_shoot(browser, "newsletter")
    before = state_dump(reader.settings)
    page = click_text(browser, "Unsubscribe")
    assert page.startswith(base + "unsubscribe?r=") and browser.statuses[page] == 200
    assert browser.evaluate("document.querySelector('h1').textContent") == "Unsubscribe?"
    check_layout_and_shoot(browser, "unsubscribe-confirm")
    assert state_dump(reader.settings) == before  # opening the link changed nothing
    click_text(browser, "Unsubscribe")
    assert browser.evaluate("document.querySelector('h1').textContent") == "You are unsubscribed"
    check_layout_and_shoot(browser, "unsubscribed")
    assert subscription(world, ADA) == ("unsubscribed", "page")

    second = reader.run(*RUNS[1], shared_digests)
    assert skipped(second)[ADA] == "unsubscribed" and {n["reader"] for n in second["newsletters"]} == {GRACE, ALAN}
    assert [len(reader.received(r)) for r in (ADA, GRACE, ALAN)] == [1, 2, 2]

    # Grace's mail provider: the one-click POST to the URL in her message's List-Unsubscribe header.
    reply = httpx.post(unsubscribe_url_of(reader.received(GRACE)[-1]), data={"List-Unsubscribe": "One-Click"})
    assert reply.status_code == 200 and subscription(world, GRACE) == ("unsubscribed", "one-click")
    third = reader.run(*RUNS[2], shared_digests)
    assert skipped(third) == {ADA: "unsubscribed", GRACE: "unsubscribed"}
    assert [len(reader.received(r)) for r in (ADA, GRACE, ALAN)] == [1, 2, 3]

    # Ada comes back through the same link: the page offers a resubscribe button.
    browser.goto(page)
    click_text(browser, "Resubscribe")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Welcome back"
    check_layout_and_shoot(browser, "resubscribed")
    fourth = reader.run(*RUNS[3], shared_digests)
    assert [n["reader"] for n in fourth["newsletters"]] == [ADA]
    assert skipped(fourth) == {GRACE: "unsubscribed", ALAN: "nothing new"}
    assert [len(reader.received(r)) for r in (ADA, GRACE, ALAN)] == [2, 2, 3]
    missed = set(fourth["newsletters"][0]["papers"])
    got_first = next(n["papers"] for n in first["newsletters"] if n["reader"] == ADA)
    assert missed and not missed & set(got_first)  # what she missed, nothing twice
    leaked = [path for path in reader.config.parent.rglob("*") if path.is_file() and SECRET.encode() in
              path.read_bytes()]
    assert leaked == [] and all(SECRET not in item.data.decode("latin-1") for item in reader.mail.received)


def unsubscribe_url_of(message: email.message.EmailMessage) -> str:
    return next(part.strip(" <>") for part in message["List-Unsubscribe"].split(",") if "://" in part)
