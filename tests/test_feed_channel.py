"""The feed channel and the reader's links in their issues, through the core stages (no Prefect, no app):
channels per reader, the ledger per channel (an issue is settled once no channel is pending and one
delivered it), the run report, the private feed built from the ledger (valid Atom, one entry per paper,
the same ids when rebuilt, no address), vote and feed links in the message (golden, same bytes when
written again) and `papercast readers` with channels and votes. Real SQLite and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import feedparser
import pytest

from conftest import AS_OF, write_config
from goldens import assert_golden
from mailserver import mail_server
from papercast.jsonable import jsonable
from papercast.cli import main
from papercast.config import load_settings
from papercast.delivery.feed import reader_feed
from papercast.delivery.registry import channels_for
from papercast.delivery.write import write_issues
from papercast.report import RunOutcome, assemble_report
from papercast.store import Store
from papercast.links.issue import feed_link
from papercast.links.reader import ReaderLinks
from papercast.links.signing import link_keys
from stages import ingest, plan, plan_and_write, send_pending
from test_deliver import WEEK1, WEEK2, smtp_section

SECRET = "feed-test-secret-0123456789abcdef"
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.org"
CHANNELS = {ADA: '["email"]', GRACE: '["email", "feed"]', ALAN: '["feed"]'}
READERS = "".join(f'''
[[readers]]
email = "{reader}"
name = "{reader.split("@")[0].title()}"
profiles = ["efficient-llm", "multimodal", "reasoning"]
channels = {channels}
''' for reader, channels in CHANNELS.items())
SITE = '[site]\nbase_url = "https://papers.example.org/"\n'


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)


@pytest.fixture
def week(tmp_path):
    with mail_server() as (server, port):
        settings = load_settings(write_config(tmp_path, readers=READERS, extra=SITE + smtp_section(port)))
        with Store.of(settings) as store:
            ingest(store, settings, WEEK1, dt.date(2026, 11, 16))
            yield settings, store, server


def statuses(store: Store, issue_id: str) -> dict[str, str]:
    return {d.channel: d.status for d in store.ledger.channel_deliveries(issue_id)}


def test_each_reader_gets_their_channels_and_an_issue_settles_once_none_is_pending(week):
    settings, store, server = week
    written = {w.reader: w for w in plan_and_write(store, settings, AS_OF, sending=True)}
    assert {reader: statuses(store, w.issue_id) for reader, w in written.items()} == {
        ADA: {"email": "pending"}, GRACE: {"email": "pending", "feed": "written"}, ALAN: {"feed": "written"}}
    assert written[ALAN].files == () and store.ledger.issue(written[ALAN].issue_id).status == "done"  # in her feed now
    assert store.ledger.issue(written[GRACE].issue_id).status == "written"  # the email is still owed
    assert len(store.ledger.delivered(ALAN)) == 3 and store.ledger.delivered(GRACE) == set()
    assert sorted(r.reader for r in send_pending(store, settings)) == [ADA, GRACE]  # the feed sends nothing
    assert sorted(r.rcpt_tos[0] for r in server.received) == [ADA, GRACE]
    assert store.ledger.issue(written[GRACE].issue_id).status == "done" and len(store.ledger.delivered(GRACE)) == 3
    assert [c.name for c in channels_for(settings)] == ["email", "feed"]
    assert [c.name for c in channels_for(settings, settings.readers[2])] == ["feed"]


def test_the_report_lists_a_feed_readers_issue_with_every_channel(week):
    settings, store, server = week
    run = store.runs.start_run(AS_OF)
    planning = plan(store, settings, AS_OF, run)
    written = write_issues(planning.to_write, settings, False)
    from papercast.delivery.write import record_written

    record_written(store.ledger, written, run)
    report = jsonable(assemble_report(store, settings, run, AS_OF, False,
                                      RunOutcome(planning=planning, written=written), "keywords"))
    entries = {n["reader"]: n for n in report["newsletters"]}
    assert {reader: entry["channels"] for reader, entry in entries.items()} == {
        ADA: {"email": "written"}, GRACE: {"email": "written", "feed": "written"}, ALAN: {"feed": "written"}}
    assert entries[ALAN]["eml"] is None and entries[ALAN]["status"] == "written" and entries[ALAN]["message_id"] == ""
    assert entries[GRACE]["eml"].endswith(".eml") and report["delivery"]["written"] == 3


def feed_of(store: Store, settings, reader) -> bytes:
    links = ReaderLinks.of(settings, link_keys(settings, {"PAPERCAST_WEB_SECRET": SECRET}))
    url = links.url(feed_link(links, reader.email))
    return reader_feed(store, settings, reader, links, url, links.keys.reader_id(reader.email))


def test_the_private_feed_has_an_entry_per_paper_with_lasting_ids_and_no_address(week):
    settings, store, server = week
    alan = settings.readers[2]
    plan_and_write(store, settings, AS_OF)
    first = feed_of(store, settings, alan)
    assert first == feed_of(store, settings, alan)  # built again from the same state: the same bytes
    ingest(store, settings, WEEK2, AS_OF + dt.timedelta(days=1))
    plan_and_write(store, settings, AS_OF + dt.timedelta(days=7))
    parsed, before = feedparser.parse(feed_of(store, settings, alan)), feedparser.parse(first)
    assert parsed.bozo == 0 and before.bozo == 0, parsed.get("bozo_exception")
    issues = store.ledger.delivered_on(ALAN, "feed", 10)
    assert len(issues) == 2 and [e.id for e in parsed.entries] == [
        f"urn:papercast:paper:{pid}" for issue in issues for pid in issue.paper_ids]
    assert [e.id for e in parsed.entries][-3:] == [e.id for e in before.entries]  # week 1's ids unchanged
    entry = parsed.entries[0]
    assert entry.link.startswith("https://arxiv.org/") and "Why:" in entry.content[0].value
    assert "more-like-this?r=" in entry.content[0].value and "not-for-me?r=" in entry.content[0].value
    assert parsed.feed.links[0].href.startswith("https://papers.example.org/feed?r=")
    text = feed_of(store, settings, alan).decode("utf-8")
    assert "@" not in text and "%40" not in text and "Alan" not in text  # no address at all, not even her name
    assert feedparser.parse(feed_of(store, settings, settings.readers[0])).entries == []  # ada: email only


def test_vote_and_feed_links_are_in_the_message_and_the_same_issue_is_the_same_bytes(week):
    settings, store, server = week
    written = {w.reader: w for w in plan_and_write(store, settings, AS_OF)}
    grace = written[GRACE]
    raw = grace.files[0].read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text, html = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
    assert text.count("More like this: https://papers.example.org/more-like-this?r=") == 3
    assert text.count("Not for me: https://papers.example.org/not-for-me?r=") == 3
    assert "https://papers.example.org/feed?r=" in text and html.count(">More like this</a>") == 3
    assert "feed?r=" not in written[ADA].files[0].read_text()  # email only: no feed to show
    issue = store.ledger.issue(grace.issue_id)
    again = write_issues(plan_records(store, settings, [issue]), settings, False)
    assert again[0].files[0].read_bytes() == raw
    assert_golden("newsletter-feedback.txt", text, [(r"\b(r|s)=[A-Za-z0-9_-]+", r"\1=SIGNED")])


def plan_records(store, settings, records):
    from papercast.newsletter.plan import materialize

    return materialize(store, settings, records)


def test_readers_command_shows_channels_and_vote_counts(week, capsys):
    settings, store, server = week
    store.votes.record_vote(GRACE, "reasoning", "p1", True, "page")
    store.votes.record_vote(GRACE, "reasoning", "p2", False, "page")
    store.votes.record_vote(GRACE, "multimodal", "p3", True, "page")
    store.votes.record_vote("gone@example.org", "reasoning", "p1", True, "page")
    assert main(["readers", "--config", str(settings.source_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    grace = next(line for line in lines if line.startswith(GRACE))
    assert "email,feed" in grace and "votes: 2 more like this, 1 not for me" in grace
    assert "votes: 0 more like this, 0 not for me" in lines[0] and lines[-1].startswith("gone@example.org")
    assert main(["readers", "--config", str(settings.source_file), "--json"]) == 0
    rows = {row["email"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[GRACE]["channels"] == ["email", "feed"] and rows[ALAN]["channels"] == ["feed"]
    assert rows[GRACE]["votes"] == {"more_like_this": 2, "not_for_me": 1}
    assert rows["gone@example.org"]["configured"] is False


def test_readers_command_prints_a_feed_readers_link_and_refuses_others(week, capsys, monkeypatch):
    settings, store, server = week
    written = {w.reader: w for w in plan_and_write(store, settings, AS_OF)}
    config = str(settings.source_file)
    assert main(["readers", "--config", config, "--feed-link", "Alan@example.org"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://papers.example.org/feed?r=") and "alan" not in link
    grace_text = written[GRACE].text.read_text()
    assert main(["readers", "--config", config, "--feed-link", GRACE]) == 0
    assert capsys.readouterr().out.strip() in grace_text  # the link her newsletters show
    assert main(["readers", "--config", config, "--feed-link", ADA]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "ada@example.org gets no private feed" in err
    monkeypatch.delenv("PAPERCAST_WEB_SECRET")
    assert main(["readers", "--config", config, "--feed-link", ALAN]) == 1
    assert "PAPERCAST_WEB_SECRET is not set" in capsys.readouterr().err
