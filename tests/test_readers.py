"""Readers who unsubscribe: recorded in the store, nothing planned or sent to them from then on (an issue
still waiting is withdrawn, even between writing and sending), listed in the report; a resubscribe
restores delivery with what they missed; `papercast readers` lists and changes subscriptions.
Real SQLite and a real SMTP server (aiosmtpd); the core stages without Prefect."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import AS_OF
from papercast.jsonable import jsonable
from papercast.cli import main
from papercast.report import RunOutcome, assemble_report
from papercast.store import Store
from papercast.store.readers import CLI, ONE_CLICK
from stages import ingest, plan, plan_and_write, send_pending
from test_deliver import WEEK2, week  # noqa: F401  (the week fixture: four readers, week 1, a mail server)

ADA, GRACE = "ada@example.org", "grace@example.org"
WEEK2_DAY = dt.date(2026, 11, 30)




def report_for(store, settings, run_id, planning=None, sending=True) -> dict:
    return jsonable(assemble_report(store, settings, run_id, AS_OF, sending, RunOutcome(planning=planning), "keywords"))


def test_a_change_is_recorded_once_with_when_and_how(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as store:
        assert store.subscriptions.subscription(ADA).subscribed and store.subscriptions.subscription(ADA).since is None
        first, changed = store.subscriptions.set_subscribed("Ada@Example.org", False, ONE_CLICK)
        again, changed_again = store.subscriptions.set_subscribed(ADA, False, CLI)  # a provider repeating its POST
        assert changed and not changed_again and again == first
        assert (first.status, first.via, first.reader) == ("unsubscribed", "one-click", ADA)
        assert store.subscriptions.unsubscribed([GRACE, "ADA@example.org"]) == {"ADA@example.org"}
        back, changed = store.subscriptions.set_subscribed(ADA, True, CLI)
        assert changed and back.subscribed and back.since >= first.since and store.subscriptions.unsubscribed([ADA]) == set()
        assert list(store.subscriptions.subscriptions()) == [ADA]


def test_an_unsubscribed_reader_gets_nothing_planned_and_is_reported(week):
    settings, store, server = week
    store.subscriptions.set_subscribed(ADA, False, ONE_CLICK)
    run_id = store.runs.start_run(AS_OF)
    planning = plan(store, settings, AS_OF, run_id)
    assert ADA not in {issue.reader.email for issue in planning.to_write} and len(planning.to_write) == 3
    assert planning.unsubscribed == [ADA]
    report = report_for(store, settings, run_id, planning)
    assert {"reader": ADA, "status": "skipped", "reason": "unsubscribed"} in report["no_newsletter"]
    assert report["links"] == "none"


def test_an_issue_waiting_to_be_sent_is_withdrawn_by_the_next_run(week):
    settings, store, server = week
    written = plan_and_write(store, settings, AS_OF, sending=True)  # a run that died before sending
    ada_issue = next(w.issue_id for w in written if w.reader == ADA)
    store.subscriptions.set_subscribed(ADA, False, ONE_CLICK)
    run_id = store.runs.start_run(AS_OF)
    planning = plan(store, settings, AS_OF, run_id)
    results = send_pending(store, settings, run_id)
    assert sorted(r.reader for r in results) == sorted(["grace@example.org", "alan@example.org", "marie@example.org"])
    assert server.to(ADA) == [] and len(server.received) == 3
    assert store.ledger.issue(ada_issue).status == "withdrawn" and store.ledger.delivered(ADA) == set()
    assert [d.status for d in store.ledger.channel_deliveries(ada_issue)] == ["withdrawn"]
    assert planning.unsubscribed == [ADA] and ADA not in planning.waiting and len(planning.waiting) == 3
    report = report_for(store, settings, run_id, planning)
    assert [n["reader"] for n in report["no_newsletter"] if n["reason"] == "unsubscribed"] == [ADA]
    assert ADA not in [n["reader"] for n in report["newsletters"]]


def test_unsubscribing_between_writing_and_sending_stops_that_message(week):
    settings, store, server = week
    run_id = store.runs.start_run(AS_OF)
    plan_and_write(store, settings, AS_OF, sending=True, run_id=run_id)
    store.subscriptions.set_subscribed(GRACE, False, ONE_CLICK)  # the app records it while the run is under way
    results = {r.reader: r.status for r in send_pending(store, settings, run_id)}
    assert results[GRACE] == "withdrawn" and server.to(GRACE) == [] and len(server.received) == 3
    report = report_for(store, settings, run_id)
    assert GRACE not in [n["reader"] for n in report["newsletters"]]
    assert {"reader": GRACE, "status": "skipped", "reason": "unsubscribed"} in report["no_newsletter"]
    assert report["delivery"]["sent"] == 3 and report["delivery"]["skipped"] == 1


def test_a_resubscribed_reader_gets_what_they_missed_with_the_next_issue(week):
    settings, store, server = week
    plan_and_write(store, settings, AS_OF, sending=True)
    store.subscriptions.set_subscribed(ADA, False, ONE_CLICK)
    send_pending(store, settings)  # ada's issue withdrawn
    ingest(store, settings, WEEK2, WEEK2_DAY)
    plan_and_write(store, settings, WEEK2_DAY, sending=True)
    send_pending(store, settings)
    assert server.to(ADA) == [] and len(server.to(GRACE)) == 2
    store.subscriptions.set_subscribed(ADA, True, CLI)
    written = plan_and_write(store, settings, WEEK2_DAY, sending=True)
    send_pending(store, settings)
    assert [w.reader for w in written] == [ADA] and len(written[0].papers) == 5  # week 1's three and week 2's two
    assert len(server.to(ADA)) == 1 and len(store.ledger.delivered(ADA)) == 5


def test_resubscribing_the_same_day_sends_the_withdrawn_issue_after_all(week):
    settings, store, server = week
    first = next(w for w in plan_and_write(store, settings, AS_OF, sending=True) if w.reader == ADA)
    store.subscriptions.set_subscribed(ADA, False, ONE_CLICK)
    send_pending(store, settings)
    store.subscriptions.set_subscribed(ADA, True, CLI)  # a click by mistake, undone at once
    again = plan_and_write(store, settings, AS_OF, sending=True)
    send_pending(store, settings)
    assert [w.issue_id for w in again] == [first.issue_id]  # the same issue, planned once more
    assert len(server.to(ADA)) == 1 and store.ledger.issue(first.issue_id).status == "done"


def test_cli_lists_readers_and_changes_one(week, capsys):
    settings, store, server = week
    config = str(settings.source_file)
    assert main(["readers", "--config", config, "--unsubscribe", "GRACE@example.org"]) == 0
    assert capsys.readouterr().out.startswith("grace@example.org: now unsubscribed since ")
    assert main(["readers", "--config", config, "--unsubscribe", GRACE]) == 0
    assert capsys.readouterr().out.startswith("grace@example.org: already unsubscribed since ")
    assert main(["readers", "--config", config]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].split()[0] == ADA and lines[0].endswith("  subscribed")
    assert lines[1].startswith(GRACE) and "unsubscribed since" in lines[1] and lines[1].endswith("(cli)")
    assert main(["readers", "--config", config, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["email"], r["status"], r["via"]) for r in rows[:2]] == [(ADA, "subscribed", None),
                                                                       (GRACE, "unsubscribed", "cli")]
    assert main(["readers", "--config", config, "--resubscribe", GRACE]) == 0
    assert store.subscriptions.subscription(GRACE).subscribed


def test_cli_refuses_an_unknown_reader_and_two_changes_at_once(week, capsys):
    settings, store, server = week
    config = str(settings.source_file)
    assert main(["readers", "--config", config, "--unsubscribe", "nobody@example.org"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "unknown reader nobody@example.org" in err
    with pytest.raises(SystemExit) as exited:
        main(["readers", "--config", config, "--unsubscribe", ADA, "--resubscribe", ADA])
    assert exited.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    assert store.subscriptions.subscriptions() == {}


def test_a_reader_removed_from_the_config_is_still_listed_when_the_state_knows_them(week, capsys):
    settings, store, server = week
    store.subscriptions.set_subscribed("gone@example.org", False, ONE_CLICK)
    assert main(["readers", "--config", str(settings.source_file)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("(one-click) (not in the config)")


def test_cli_lists_names_with_control_characters_escaped(tmp_path, capsys):
    from conftest import READERS, write_config

    forged = READERS.replace('name = "Ada Lovelace"', 'name = "Ada\\r\\ngrace@example.org  Grace  subscribed\\u001b[2J"')
    config = write_config(tmp_path, readers=forged)
    assert main(["readers", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 2 and "\x1b" not in out and "\r" not in out
    assert "Ada\\r\\ngrace@example.org  Grace  subscribed\\x1b[2J" in out.splitlines()[0]
    assert main(["readers", "--config", str(config), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"].startswith("Ada\r\n")  # JSON escapes it itself
