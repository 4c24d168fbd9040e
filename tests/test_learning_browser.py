"""A "more like this" click on the explore section, end to end: two real Daily Papers captures scored by the
shipped hybrid scorer, real newsletters written for Ada and Grace (same profiles), the real app under
uvicorn, headless Chromium.

1. Week 1 is written. Ada opens her newsletter (the HTML part of the .eml as written), sees the "Close to
   your interests" section below her picks, and clicks "More like this" under one of its papers: the app's
   page asks (nothing changes), she presses the button.
2. The vote is in the store; week 2 is planned and written: Ada's newsletter holds a paper that was below
   the threshold, raised for its likeness to the one she liked (its reason says so); Grace's is exactly
   what it would have been without the vote.

Which paper Ada likes is found on a copy of the state (the first of her explore section whose like raises a
week-2 paper): the test fails if none does. Screenshots of the pages at 375 and 1024 px land in
tests/artifacts/ (web-newsletter-explore-*.png shows the explore section).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import shutil
from pathlib import Path

import pytest

from cdp import Browser, chromium_available
from conftest import free_port, write_config
from papercast.config import load_settings
from papercast.delivery.write import record_written, write_issues
from papercast.newsletter.render import one_line
from papercast.relevance.backlog import classify_backlog
from papercast.sources import parse_input
from papercast.store import Store
from papercast.web.server import AppServer
from test_learning_planning import picks, plan_week
from test_web_browser import check_layout_and_shoot, open_newsletter
from webapp import SECRET, state_dump

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")]
ADA, GRACE = "ada@example.org", "grace@example.org"
WEEKS = [("001_0b28249de3011a72.txt", dt.date(2026, 3, 13)), ("003_4cebbeaa4a958479.txt", dt.date(2026, 3, 16))]
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
name = "{name.title()}"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 10
''' for name in ("ada", "grace"))
ENV = {"PAPERCAST_WEB_SECRET": SECRET}


def run_week(settings, store: Store, capture: Path, day: dt.date, write: bool) -> int:
    """A real capture stored, classified by the configured (hybrid) scorer, and, if asked, planned and written."""
    run = store.runs.start_run(day)
    store.papers.ingest_digest(parse_input(capture.read_bytes(), capture.name, day), run)
    classify_backlog(store, settings, run)
    if write:
        record_written(store.ledger, write_issues(list(plan_week(settings, store, day, run, keep=True).values()), settings,
                                           False), run)
    return run


def a_raising_like(settings, store: Store, run: int) -> tuple[str, str, str, list]:
    """On this (copied) state: the first paper of Ada's week-1 explore section whose like raises a week-2 paper
    into her issue, as (profile, liked paper, raised paper), and Grace's week-2 picks without any vote."""
    without = plan_week(settings, store, WEEKS[1][1], run)
    for item in store.ledger.delivered_on(ADA, "email", 1)[0].explore:
        store.votes.record_vote(ADA, item.profile_id, item.paper_id, True, "page")
        raised = [p for p, *_ in picks(plan_week(settings, store, WEEKS[1][1], run)[ADA])
                  if p not in {q for q, *_ in picks(without[ADA])}]
        with store.database.transaction() as db:
            db.execute("DELETE FROM reader_votes")
            db.execute("DELETE FROM reader_tastes")
        if raised:
            return item.profile_id, item.paper_id, raised[0], picks(without[GRACE])
    pytest.fail("no like on Ada's week-1 explore section raises a week-2 paper")


@pytest.fixture(scope="module")
def world(tmp_path_factory, shared_digests):
    folder = tmp_path_factory.mktemp("feedback-world")
    port = free_port()
    settings = load_settings(write_config(folder, readers=READERS,
                                          extra=f'[site]\nbase_url = "http://127.0.0.1:{port}/"\n'))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERCAST_WEB_SECRET", SECRET)
        with Store.of(settings) as store:
            run_week(settings, store, shared_digests / WEEKS[0][0], WEEKS[0][1], write=True)
            second = run_week(settings, store, shared_digests / WEEKS[1][0], WEEKS[1][1], write=False)
        copy = settings.model_copy(update={"paths": settings.paths.model_copy(
            update={"state": folder / "trial.sqlite"})})
        shutil.copy(settings.paths.state, copy.paths.state)
        with Store.of(copy) as trial:
            chosen = a_raising_like(copy, trial, second)
    with AppServer(settings, ENV, port=port) as server:
        yield settings, server, second, chosen


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def received(settings, issue_id: str) -> email.message.EmailMessage:
    return email.message_from_bytes((settings.paths.archive / "outbox" / f"{issue_id}.eml").read_bytes(),
                                    policy=email.policy.default)


def click_vote(browser: Browser, title: str, label: str) -> str:
    """Click the vote link `label` in the card of the paper titled `title`; the URL of the page it opens."""
    browser.evaluate(f"""Array.from(document.querySelectorAll('td.card')).find(card =>
        card.querySelector('h3').textContent.trim().replace(/\\s+/g, ' ') === {json.dumps(title)})
        .querySelectorAll('p.votes a')
        .forEach(a => {{ if (a.textContent.trim() === {json.dumps(label)}) a.click(); }})""")
    browser.wait_for("Page.loadEventFired")
    return browser.evaluate("location.href")


def test_a_more_like_this_click_on_the_explore_section_raises_papers_like_it_for_her_alone(
        world, browser, monkeypatch, tmp_path):
    settings, server, run, (profile, liked, raised, grace_without) = world
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    with Store.of(settings) as store:
        first = store.ledger.delivered_on(ADA, "email", 1)[0]
        titles = {pid: paper.title for pid, paper in store.papers.papers([liked, raised]).items()}
    open_newsletter(browser, received(settings, first.id), tmp_path)
    assert browser.evaluate("document.querySelector('h2.explore').textContent").startswith("Close to your interests")
    explored = browser.evaluate("Array.from(document.querySelectorAll('td.explore-card h3')).map(h => h.textContent)")
    assert one_line(titles[liked]) in [one_line(t) for t in explored]
    check_layout_and_shoot(browser, "newsletter-explore")
    before = state_dump(settings)
    page = click_vote(browser, one_line(titles[liked]), "More like this")
    assert page.startswith(server.url + "more-like-this?r=") and browser.statuses[page] == 200
    assert browser.evaluate("document.querySelector('h1').textContent") == "More like this?"
    check_layout_and_shoot(browser, "vote-confirm")
    assert state_dump(settings) == before  # opening the link changed nothing
    browser.evaluate("document.querySelector('form.confirm button').click()")
    browser.wait_for("Page.loadEventFired")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Thank you, noted"
    check_layout_and_shoot(browser, "vote-recorded")
    with Store.of(settings) as store:
        assert [(v.profile_id, v.paper_id, v.liked, v.via) for v in store.votes.votes_of([ADA, GRACE])[ADA]] == [
            (profile, liked, True, "page")]
        kept = store.votes.tastes([(ADA, profile)])  # fitted by the app as the vote came in
        assert [taste.voted[0][0] for taste in kept.values()] == [liked]
        written = {w.reader: w for w in write_issues(list(plan_week(settings, store, WEEKS[1][1], run,
                                                                     keep=True).values()), settings, False)}
        record_written(store.ledger, list(written.values()), run)
        issues = {reader: store.ledger.issue(w.issue_id) for reader, w in written.items()}
    ada = {item.paper_id: item for section in issues[ADA].sections for item in section.items}
    assert raised in ada and ada[raised].profile_id == profile and ada[raised].score >= 0.5
    assert f"like a paper you marked more like this: '{titles[liked][:40]}" in ada[raised].why
    html = received(settings, issues[ADA].id).get_body(("html",)).get_content()
    assert one_line(titles[raised]).replace("&", "&amp;") in one_line(html) and "you marked more like this" in html
    grace = [(item.paper_id, s.profile_id, item.score, item.why) for s in issues[GRACE].sections for item in s.items]
    assert grace == grace_without and raised not in {p for p, *_ in grace}  # her newsletter did not move
