"""Personalization: each reader gets only their profiles' papers, once, best first."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.store import Store
from stages import ingest, plan, plan_and_write

LONG = " It is evaluated on several benchmarks with consistent gains over strong baselines."
PAPERS = [
    ("Four-bit Quantization of Language Models", "We study quantization and pruning." + LONG),
    ("A Multimodal Model for Charts", "A vision-language model for visual question answering." + LONG),
    ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models." + LONG),
    ("Protein Structure Without Words", "We fold proteins." + LONG),
    ("Math Reasoning for Radiology", "Reasoning about radiology images with math." + LONG),
]
WEEK = dt.date(2026, 11, 23)


@pytest.fixture
def setup(tmp_path):
    settings = load_settings(write_config(tmp_path))
    with Store.open(settings.paths.state) as store:
        run = ingest(store, settings, PAPERS, dt.date(2026, 11, 16))
        yield settings, store, run


def titles(plan) -> list[str]:
    return [item.paper.title for section in plan.sections for item in section.items]


def test_readers_get_only_papers_of_their_profiles_each_once(setup):
    settings, store, run = setup
    planning = plan(store, settings, WEEK, run)
    by_reader = {p.reader.email: p for p in planning.to_write}
    ada = by_reader["ada@example.org"]
    assert sorted(titles(ada)) == ["Chain-of-Thought Distillation", "Four-bit Quantization of Language Models"]
    assert len(set(ada.paper_ids)) == len(ada.paper_ids)
    assert titles(by_reader["grace@example.org"]) == ["A Multimodal Model for Charts"]
    assert planning.nothing_new == []
    for issue in planning.to_write:
        for section in issue.sections:
            assert section.profile_id in issue.reader.profiles
            assert all(item.assignment.profile_id == section.profile_id for item in section.items)
            scores = [item.assignment.score for item in section.items]
            assert scores == sorted(scores, reverse=True)


def test_exclude_keeps_a_paper_out(setup):
    settings, store, run = setup
    assert all("Math Reasoning for Radiology" not in titles(p) for p in plan(store, settings, WEEK, run).to_write)


def test_max_papers_caps_the_newsletter(tmp_path):
    settings = load_settings(write_config(tmp_path))
    many = [(f"Quantization Trick Number {i}", "We study quantization." + LONG) for i in range(9)]
    with Store.open(settings.paths.state) as store:
        run = ingest(store, settings, many, dt.date(2026, 11, 16))
        plans = plan(store, settings, WEEK, run).to_write
    ada = next(p for p in plans if p.reader.email == "ada@example.org")
    assert len(ada.paper_ids) == 5


def test_a_paper_already_delivered_never_comes_back(setup):
    settings, store, run = setup
    first = plan_and_write(store, settings, WEEK, run_id=run)
    ada = next(w for w in first if w.reader == "ada@example.org")
    with store.database.transaction() as db:  # the cursor left behind on purpose: only the ledger stops repeats
        db.execute("UPDATE reader_cursors SET paper_seq = 0")
    again = plan(store, settings, WEEK + dt.timedelta(days=7), run).to_write
    ada_again = [p for p in again if p.reader.email == "ada@example.org"]
    assert ada_again == [] or not set(ada_again[0].paper_ids) & set(ada.papers)


def test_nothing_new_means_no_newsletter(setup):
    settings, store, run = setup
    plan_and_write(store, settings, WEEK, run_id=run)
    planning = plan(store, settings, WEEK + dt.timedelta(days=7), run)
    assert planning.to_write == [] and sorted(planning.nothing_new) == ["ada@example.org", "grace@example.org"]


def test_a_planned_issue_is_recorded_and_finished_unchanged_by_the_next_run(setup):
    settings, store, run = setup
    first = plan(store, settings, WEEK, run).to_write  # ...and the run died before writing
    assert {store.ledger.issue(p.issue_id).status for p in first} == {"planned"}
    again = plan(store, settings, WEEK + dt.timedelta(days=1), run)
    assert [p.issue_id for p in again.to_write] == [p.issue_id for p in first]
    assert again.to_write == first and again.resumed == len(first)
