"""Delivery: the ledger (written -> sent only once accepted), counted against a real SMTP server,
core first, then the whole flow through Prefect."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from pathlib import Path

import pytest

from conftest import AS_OF, digest_text, write_config
from mailserver import Recorder, free_port, mail_server
from papercast.jsonable import jsonable
from papercast.config import load_settings
from papercast.report import NewsletterEntry, NoNewsletter, RunReport
from papercast.store import Store
from stages import ingest, plan_and_write, send_pending

LONG = " It is evaluated on several benchmarks with consistent gains over strong baselines."
WEEK1 = [("Four-bit Quantization of Language Models", "We study quantization and pruning." + LONG),
         ("A Multimodal Model for Charts", "A vision-language model for visual question answering." + LONG),
         ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models." + LONG)]
WEEK2 = [("Pruning Transformers at Scale", "Structured pruning for language models." + LONG),
         ("Multimodal Retrieval of Figures", "A multimodal retriever for figures and tables." + LONG)]
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
name = "{name.title()}"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 5
''' for name in ["ada", "grace", "alan", "marie"])


def smtp_section(port: int, **extra) -> str:
    options = {"host": "127.0.0.1", "port": port, "security": "none", "from_addr": "papers@example.org",
               "timeout": 5, "retries": 2, "retry_backoff": 0.01, **extra}
    return "[smtp]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in options.items())


def settings_for(tmp_path, port: int, **extra):
    return load_settings(write_config(tmp_path, readers=READERS, extra=smtp_section(port, **extra)))


def message_ids(server: Recorder, reader: str) -> list[str]:
    return [email.message_from_bytes(r.data, policy=email.policy.default)["Message-ID"] for r in server.to(reader)]


def email_status(store: Store, issue_id: str) -> str:
    return next(d.status for d in store.ledger.channel_deliveries(issue_id) if d.channel == "email")


@pytest.fixture
def week(tmp_path):
    """A store with week 1 ingested and classified, and a running mail server."""
    with mail_server() as (server, port):
        settings = settings_for(tmp_path, port)
        with Store.open(settings.paths.state) as store:
            ingest(store, settings, WEEK1, dt.date(2026, 11, 16))
            yield settings, store, server


def test_one_message_per_reader_and_a_second_run_sends_none(week):
    settings, store, server = week
    written = plan_and_write(store, settings, AS_OF, sending=True)
    assert {email_status(store, w.issue_id) for w in written} == {"pending"}
    assert store.ledger.delivered("ada@example.org") == set()  # not counted before the server accepts it
    results = send_pending(store, settings)
    assert [r.status for r in results] == ["sent"] * 4
    assert sorted(r.rcpt_tos[0] for r in server.received) == sorted(w.reader for w in written)
    assert len(store.ledger.delivered("ada@example.org")) == 3
    assert plan_and_write(store, settings, AS_OF, sending=True) == []
    assert plan_and_write(store, settings, AS_OF + dt.timedelta(days=7), sending=True) == []
    assert send_pending(store, settings) == [] and len(server.received) == 4


def test_a_run_that_died_before_sending_sends_the_same_message_later(week):
    settings, store, server = week
    first = plan_and_write(store, settings, AS_OF, sending=True)  # ...and the process died here
    ingest(store, settings, WEEK2, dt.date(2026, 11, 25))
    assert plan_and_write(store, settings, AS_OF + dt.timedelta(days=7), sending=True) == [], \
        "a reader whose issue waits to be sent gets no new one before it is sent"
    send_pending(store, settings)
    assert message_ids(server, "ada@example.org") == [first[0].message_id]
    later = plan_and_write(store, settings, AS_OF + dt.timedelta(days=14), sending=True)  # week 2 was not lost
    assert sorted(len(w.papers) for w in later) == [2, 2, 2, 2]
    send_pending(store, settings)
    assert len(server.to("ada@example.org")) == 2


def test_550_for_one_reader_is_recorded_and_the_others_are_sent(tmp_path):
    recorder = Recorder(rcpt_replies={"alan@example.org": ["550 5.1.1 mailbox unavailable"]})
    with mail_server(recorder) as (server, port):
        settings = settings_for(tmp_path, port)
        with Store.open(settings.paths.state) as store:
            ingest(store, settings, WEEK1, dt.date(2026, 11, 16))
            plan_and_write(store, settings, AS_OF, sending=True)
            results = {r.reader: r for r in send_pending(store, settings)}
            assert results["alan@example.org"].status == "failed"
            assert results["alan@example.org"].reason == "550 5.1.1 mailbox unavailable"
            assert sorted(r for r, res in results.items() if res.status == "sent") == \
                ["ada@example.org", "grace@example.org", "marie@example.org"]
            assert store.ledger.delivered("alan@example.org") == set()
            retry = plan_and_write(store, settings, AS_OF + dt.timedelta(days=7), sending=True)  # tried again
            assert [w.reader for w in retry] == ["alan@example.org"]
            send_pending(store, settings)
    assert [len(server.to(f"{name}@example.org")) for name in ["ada", "grace", "alan", "marie"]] == [1, 1, 1, 1]


def test_451_then_250_is_retried_and_counted_once(tmp_path):
    with mail_server(Recorder(data_replies=["451 4.7.1 greylisted, try again"])) as (server, port):
        settings = settings_for(tmp_path, port)
        with Store.open(settings.paths.state) as store:
            ingest(store, settings, WEEK1, dt.date(2026, 11, 16))
            plan_and_write(store, settings, AS_OF, sending=True)
            results = send_pending(store, settings)
    assert [r.status for r in results] == ["sent"] * 4
    assert server.attempts == 5 and len(server.received) == 4


def test_unreachable_server_leaves_issues_pending_for_the_next_run_each_with_the_reason(tmp_path):
    settings = settings_for(tmp_path, free_port(), retries=0)
    with Store.open(settings.paths.state) as store:
        ingest(store, settings, WEEK1, dt.date(2026, 11, 16))
        written = plan_and_write(store, settings, AS_OF, sending=True)
        results = send_pending(store, settings)
        assert [(r.status, r.channel_down) for r in results] == [("pending", True)] * 4
        deliveries = [store.ledger.channel_deliveries(w.issue_id)[0] for w in written]
        assert all(d.status == "pending" and "cannot deliver after 1 attempts" in d.last_error for d in deliveries)
        assert [d.attempts for d in deliveries] == [1, 0, 0, 0], "only the first was tried: the server is down"
        with mail_server() as (server, port):
            settings = settings.model_copy(update={"smtp": settings.smtp.model_copy(update={"port": port})})
            assert plan_and_write(store, settings, AS_OF, sending=True) == []
            assert [r.status for r in send_pending(store, settings)] == ["sent"] * 4
    assert message_ids(server, "ada@example.org") == [written[0].message_id]


def test_dry_run_counts_deliveries_when_written_and_sends_nothing(week):
    settings, store, server = week
    written = plan_and_write(store, settings, AS_OF, sending=False)
    assert {email_status(store, w.issue_id) for w in written} == {"written"}
    assert len(store.ledger.delivered("ada@example.org")) == 3
    assert all(path.exists() for w in written for path in w.files)
    assert send_pending(store, settings) == [] and server.received == []


def entry(status: str, reason: str = "") -> NewsletterEntry:
    return NewsletterEntry("r@x.org", "i", (), *[Path("x")] * 3, "<m>", status, reason)


def test_delivery_totals_count_each_status():
    from papercast.report import STILL_PENDING

    report = RunReport(1, AS_OF, sending=True, newsletters=(
        entry("sent"), entry("sent"), entry("failed", "550"), entry("failed", "421" + STILL_PENDING)),
        no_newsletter=(NoNewsletter("x@example.org", reason="nothing new"),))
    assert report.delivery == {"mode": "send", "sent": 2, "failed": 2, "written": 0, "pending": 1, "skipped": 1}


def test_flow_sends_one_per_reader_then_none_and_reports_each(prefect_harness, tmp_path, monkeypatch):
    from papercast.flows.newsletter import weekly_newsletter

    recorder = Recorder(rcpt_replies={"marie@example.org": ["550 5.7.1 rejected"] * 2})
    with mail_server(recorder) as (server, port):
        config = write_config(tmp_path, readers=READERS, extra=smtp_section(port, password_env="TEST_PAPERCAST_PW"))
        (tmp_path / "inbox" / "week.txt").write_text(digest_text("Nov 16", WEEK1), encoding="utf-8")
        monkeypatch.setenv("TEST_PAPERCAST_PW", "secret")
        first = jsonable(weekly_newsletter(str(config), AS_OF, send=True))
        second = jsonable(weekly_newsletter(str(config), AS_OF, send=True))
    status = {n["reader"]: (n["status"], n["reason"]) for n in first["newsletters"]}
    assert status == {"ada@example.org": ("sent", ""), "grace@example.org": ("sent", ""),
                      "alan@example.org": ("sent", ""), "marie@example.org": ("failed", "550 5.7.1 rejected")}
    assert first["delivery"] == {"mode": "send", "sent": 3, "failed": 1, "written": 0, "pending": 0, "skipped": 0}
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["ada@example.org", "alan@example.org",
                                                              "grace@example.org"]
    # the second run: nothing new for the three who got theirs; the rejected reader is tried again
    assert second["delivery"] == {"mode": "send", "sent": 0, "failed": 1, "written": 0, "pending": 0, "skipped": 3}
    assert all(n["status"] == "skipped" and n["reason"] == "nothing new" for n in second["no_newsletter"])
    assert len(server.received) == 3


def test_cli_send_without_the_password_variable_is_one_line_before_anything_runs(tmp_path, monkeypatch, capsys):
    from papercast.cli import main

    with mail_server() as (server, port):
        config = write_config(tmp_path, readers=READERS,
                              extra=smtp_section(port, username="papercast", password_env="TEST_MISSING_PW"))
        (tmp_path / "inbox" / "week.txt").write_text(digest_text("Nov 16", WEEK1), encoding="utf-8")
        monkeypatch.delenv("TEST_MISSING_PW", raising=False)
        code = main(["run", "--config", str(config), "--as-of", AS_OF.isoformat(), "--send", "--json"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "\n" not in err
    assert "TEST_MISSING_PW is not set" in err
    assert server.attempts == 0 and not (tmp_path / "state").exists()
