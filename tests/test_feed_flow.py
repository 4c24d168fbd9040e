"""The weekly flow through a real Prefect run with readers on different channels: email, email and feed,
the feed alone. Sent against a real SMTP server; the private feed fetched from the real app by the URL in
the reader's newsletter; a vote cast through the app is planned with by the next run. The flow itself
knows no channel: it asks each for what it still owes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import httpx
import pytest

from conftest import AS_OF, free_port, write_config
from mailserver import mail_server
from papercast.jsonable import jsonable
from papercast.config import load_settings
from papercast.store import Store
from papercast.web.server import AppServer
from test_deliver import smtp_section
from webapp import FAST, SECRET

pytestmark = pytest.mark.slow
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.org"
WEEKS = ["001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt"]
READERS = "".join(f'''
[[readers]]
email = "{reader}"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 4
channels = {channels}
''' for reader, channels in ((ADA, '["email"]'), (GRACE, '["email", "feed"]'), (ALAN, '["feed"]')))


def test_a_week_on_every_channel_then_a_vote_through_the_app(tmp_path, prefect_harness, shared_digests,
                                                              monkeypatch):
    from papercast.flows.newsletter import weekly_newsletter

    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    with mail_server() as (mail, smtp_port):
        config = write_config(tmp_path, readers=READERS, extra=f'[site]\nbase_url = "http://127.0.0.1:{port}/"\n'
                              + FAST + smtp_section(smtp_port))
        settings = load_settings(config)
        shutil.copy(shared_digests / WEEKS[0], tmp_path / "inbox" / WEEKS[0])
        first = jsonable(weekly_newsletter(str(config), AS_OF, send=True))
        entries = {n["reader"]: n for n in first["newsletters"]}
        assert {r: n["channels"] for r, n in entries.items()} == {
            ADA: {"email": "sent"}, GRACE: {"email": "sent", "feed": "written"}, ALAN: {"feed": "written"}}
        assert entries[ALAN]["eml"] is None and sorted(m.rcpt_tos[0] for m in mail.received) == [ADA, GRACE]
        with Store.of(settings) as store:
            assert {store.ledger.issue(n["issue"]).status for n in first["newsletters"]} == {"done"}
        feed = re.search(r"Your private feed .*: (\S+)", Path(entries[ALAN]["text"]).read_text()).group(1)
        message = next(m.message for m in mail.received if m.rcpt_tos == [ADA])
        vote = re.search(r"More like this: (\S+)", message.get_body(("plain",)).get_content()).group(1)
        with AppServer(settings, {"PAPERCAST_WEB_SECRET": SECRET}, port=port):
            parsed = feedparser.parse(httpx.get(feed, timeout=10).content)
            assert parsed.bozo == 0 and [e.id.rsplit(":", 1)[-1] for e in parsed.entries] == [
                p.rsplit(":", 1)[-1] for p in entries[ALAN]["papers"]]
            assert httpx.post(vote, data={"confirm": "yes"}, timeout=10).status_code == 200
        shutil.copy(shared_digests / WEEKS[1], tmp_path / "inbox" / WEEKS[1])
        second = jsonable(weekly_newsletter(str(config), AS_OF.replace(day=30), send=True))
    assert {n["reader"] for n in second["newsletters"]} == {ADA, GRACE, ALAN}
    assert sorted(m.rcpt_tos[0] for m in mail.received) == [ADA, ADA, GRACE, GRACE]
    with Store.of(settings) as store:
        assert len(store.votes.votes_of([ADA])[ADA]) == 1 and len(store.ledger.delivered_on(ALAN, "feed", 10)) == 2
