"""Personalization: each reader gets only their profiles' papers, once, best first."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.relevance.keywords import KeywordScorer
from papercast.relevance.classify import classify_papers
from papercast.config import load_settings
from papercast.models import Digest, Paper
from papercast.newsletter.plan import plan_newsletters
from papercast.store import Store
from conftest import write_config

LONG = " It is evaluated on several benchmarks with consistent gains over strong baselines."
PAPERS = [
    ("Four-bit Quantization of Language Models", "We study quantization and pruning." + LONG),
    ("A Multimodal Model for Charts", "A vision-language model for visual question answering." + LONG),
    ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models." + LONG),
    ("Protein Structure Without Words", "We fold proteins." + LONG),
    ("Math Reasoning for Radiology", "Reasoning about radiology images with math." + LONG),
]


def ingest_and_classify(store: Store, settings, papers, day: int) -> None:
    run = store.start_run(dt.date(2026, 11, day))
    digest = Digest("d.txt", dt.date(2026, 11, day), tuple(Paper(t, a) for t, a in papers), content_hash=f"h{day}")
    _, new = store.ingest_digest(digest, run)
    store.save_assignments(classify_papers(new, settings.profiles, KeywordScorer(), 0.5))


@pytest.fixture
def setup(tmp_path):
    settings = load_settings(write_config(tmp_path))
    with Store.open(settings.paths.state) as store:
        ingest_and_classify(store, settings, PAPERS, 16)
        yield settings, store


def titles(plan) -> list[str]:
    return [item.paper.title for section in plan.sections for item in section.items]


def test_readers_get_only_papers_of_their_profiles_each_once(setup):
    settings, store = setup
    plans, nothing_new = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    by_reader = {p.reader.email: p for p in plans}
    ada = by_reader["ada@example.org"]
    assert sorted(titles(ada)) == ["Chain-of-Thought Distillation", "Four-bit Quantization of Language Models"]
    assert len(set(ada.paper_ids)) == len(ada.paper_ids)
    assert titles(by_reader["grace@example.org"]) == ["A Multimodal Model for Charts"]
    assert nothing_new == []
    for plan in plans:
        for section in plan.sections:
            assert section.profile_id in plan.reader.profiles
            assert all(item.assignment.profile_id == section.profile_id for item in section.items)
            scores = [item.assignment.score for item in section.items]
            assert scores == sorted(scores, reverse=True)


def test_exclude_keeps_a_paper_out(setup):
    settings, store = setup
    plans, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    assert all("Math Reasoning for Radiology" not in titles(p) for p in plans)


def test_max_papers_caps_the_newsletter(tmp_path):
    settings = load_settings(write_config(tmp_path))
    many = [(f"Quantization Trick Number {i}", "We study quantization." + LONG) for i in range(9)]
    with Store.open(settings.paths.state) as store:
        ingest_and_classify(store, settings, many, 16)
        plans, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    ada = next(p for p in plans if p.reader.email == "ada@example.org")
    assert len(ada.paper_ids) == 5


def test_a_paper_already_delivered_never_comes_back(setup):
    settings, store = setup
    plans, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    ada = next(p for p in plans if p.reader.email == "ada@example.org")
    issue = {"id": ada.issue_id, "reader": "ada@example.org", "run_id": 1, "date": "2026-11-23",
             "status": "written", "message_id": "<x@y>", "subject": "s", "html_path": None,
             "text_path": None, "eml_path": None}
    store.record_issue(issue, ada.paper_ids, cursor=0)  # cursor left behind on purpose
    again, _ = plan_newsletters(store, settings, dt.date(2026, 11, 30))
    ada_again = [p for p in again if p.reader.email == "ada@example.org"]
    assert ada_again == [] or not set(ada_again[0].paper_ids) & set(ada.paper_ids)


def test_nothing_new_means_no_newsletter(setup):
    settings, store = setup
    plans, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    for plan in plans:
        store.advance_cursor(plan.reader.email, plan.cursor)
    plans, nothing_new = plan_newsletters(store, settings, dt.date(2026, 11, 30))
    assert plans == [] and sorted(nothing_new) == ["ada@example.org", "grace@example.org"]


def test_issue_id_is_stable_for_the_same_plan(setup):
    settings, store = setup
    first, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    second, _ = plan_newsletters(store, settings, dt.date(2026, 11, 23))
    assert [p.issue_id for p in first] == [p.issue_id for p in second]
