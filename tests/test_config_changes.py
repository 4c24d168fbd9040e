"""What a config change between runs does (docs/reliability.md, "When the config changes"):
no paper is delivered twice or silently dropped because profiles or readers came or went."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PROFILES, READERS, write_config
from papercast.config import load_settings
from papercast.models import Digest, Paper
from papercast.store import Store
from stages import classify, ingest, plan, plan_and_write, send_pending

LONG = " It is evaluated on several benchmarks with consistent gains over strong baselines."
WEEK = [("Four-bit Quantization of Language Models", "We study quantization and pruning." + LONG),
        ("A Multimodal Model for Charts", "A vision-language model for visual question answering." + LONG),
        ("Math Word Problems Step by Step", "Chain-of-thought reasoning for math word problems." + LONG)]
SPEECH = """
[[profiles]]
id = "speech"
title = "Speech"
description = "Speech recognition."
keywords = ["speech", "asr", "quantization"]
"""
MONDAY = dt.date(2026, 11, 23)


def week_of(n: int) -> list[tuple[str, str]]:
    return [(f"{title} (part {n})", abstract) for title, abstract in WEEK]


def settings_with(folder, profiles: str = PROFILES, readers: str = READERS):
    return load_settings(write_config(folder, profiles=profiles, readers=readers))


def stored_only(store: Store, papers, day: dt.date) -> int:
    """Papers stored by a run that died before classifying them."""
    run = store.runs.start_run(day)
    store.papers.ingest_digest(Digest("d.txt", day, tuple(Paper(t, a) for t, a in papers), content_hash=f"x{day}"), run)
    return run


def test_a_profile_added_takes_the_unclassified_backlog_but_not_older_papers(tmp_path):
    before = settings_with(tmp_path)
    with Store.open(before.paths.state) as store:
        ingest(store, before, week_of(1), MONDAY - dt.timedelta(days=14))
        stored_only(store, week_of(2), MONDAY - dt.timedelta(days=7))  # ...and that run died
        after = settings_with(tmp_path, PROFILES + SPEECH)
        classified = classify(store, after, store.runs.start_run(MONDAY))
        speech = {a.paper_id for a in classified.assignments if a.profile_id == "speech"}
        titles = {store.papers.paper(pid).title for pid in speech}
    assert titles == {"Four-bit Quantization of Language Models (part 2)"}, "the backlog, not week 1"
    assert len(classified.papers) == 3 and classified.resumed == 3


def test_a_profile_removed_keeps_a_planned_issue_as_planned(tmp_path):
    before = settings_with(tmp_path)
    with Store.open(before.paths.state) as store:
        run = ingest(store, before, week_of(1), MONDAY)
        planned = {p.reader.email: p for p in plan(store, before, MONDAY, run).to_write}  # ...died here
        after = settings_with(tmp_path, PROFILES.replace('id = "multimodal"', 'id = "vision"'),
                              READERS.replace('["multimodal"]', '["vision"]'))
        written = {w.reader: w for w in plan_and_write(store, after, MONDAY + dt.timedelta(days=1), run_id=run)}
        assert set(written) == set(planned)
        assert written["grace@example.org"].papers == tuple(planned["grace@example.org"].paper_ids)
        grace = written["grace@example.org"].html.read_text(encoding="utf-8")
        assert "Vision-language models" in grace, "the section keeps the title it was planned with"
        again = plan(store, after, MONDAY + dt.timedelta(days=7), run)
        assert again.to_write == [], "nothing twice"


def test_a_reader_added_starts_with_the_last_week_not_the_whole_history(tmp_path):
    settings = settings_with(tmp_path)
    newcomer = READERS + '\n[[readers]]\nemail = "new@example.org"\nprofiles = ["efficient-llm", "multimodal"]\n'
    with Store.open(settings.paths.state) as store:
        for weeks_ago in (3, 2, 1):
            day = MONDAY - dt.timedelta(days=7 * weeks_ago)
            ingest(store, settings, week_of(weeks_ago), day)
            plan_and_write(store, settings, day)
        ingest(store, settings, week_of(0), MONDAY - dt.timedelta(days=2))
        joined = settings_with(tmp_path, readers=newcomer)
        written = {w.reader: w for w in plan_and_write(store, joined, MONDAY)}
        titles = sorted(store.papers.paper(pid).title for pid in written["new@example.org"].papers)
        again = plan(store, joined, MONDAY + dt.timedelta(days=7), 1)
    assert titles == ["A Multimodal Model for Charts (part 0)", "A Multimodal Model for Charts (part 1)",
                      "Four-bit Quantization of Language Models (part 0)",
                      "Four-bit Quantization of Language Models (part 1)"], "the runs of the last 7 days only"
    assert "new@example.org" in again.nothing_new, "then only what is new"


def test_a_reader_removed_keeps_their_unsent_issue_and_gets_it_once_when_back(tmp_path):
    from mailserver import mail_server

    with mail_server() as (server, port):
        smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom_addr = "p@example.org"\n'
        settings = load_settings(write_config(tmp_path, extra=smtp))
        without_grace = READERS.split("[[readers]]\nemail = \"grace")[0]
        gone = load_settings(write_config(tmp_path, readers=without_grace, extra=smtp))
        with Store.open(settings.paths.state) as store:
            run = ingest(store, settings, week_of(1), MONDAY)
            first = {w.reader: w for w in plan_and_write(store, settings, MONDAY, sending=True, run_id=run)}
            send_pending(store, gone, run)  # grace left the config before her issue was sent
            assert [r.rcpt_tos[0] for r in server.received] == ["ada@example.org"]
            assert plan_and_write(store, gone, MONDAY + dt.timedelta(days=7), sending=True) == []
            back = load_settings(write_config(tmp_path, extra=smtp))
            send_pending(store, back, run)
            assert plan_and_write(store, back, MONDAY + dt.timedelta(days=7), sending=True) == []
    received = [(r.rcpt_tos[0], r.message["Message-ID"]) for r in server.received]
    assert received == [("ada@example.org", first["ada@example.org"].message_id),
                        ("grace@example.org", first["grace@example.org"].message_id)]


@pytest.mark.parametrize("removed", ["reasoning"])
def test_removing_a_profile_from_the_config_needs_its_readers_changed_first(tmp_path, removed):
    from papercast.errors import ConfigError

    profiles = PROFILES.split(f'[[profiles]]\nid = "{removed}"')[0]
    with pytest.raises(ConfigError, match=f"unknown profile {removed}"):
        settings_with(tmp_path, profiles)
