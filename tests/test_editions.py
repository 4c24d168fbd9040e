"""Editions from the store: grouping, order, anchors and which paper links may be published."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.site.editions import collect_editions, paper_anchor, profile_archives, public_link
from papercast.models import Assignment, Digest, Paper
from papercast.store import Store


@pytest.mark.parametrize("link, expected", [
    ("https://arxiv.org/abs/2611.00001", "https://arxiv.org/abs/2611.00001"),
    ("  http://example.net/p  ", "http://example.net/p"),
    ("javascript:alert(1)", None), ("JAVASCRIPT:alert(1)", None), ("data:text/html,x", None),
    ("/relative/path", None), ("https:///no-host", None), ("", None), (None, None)])
def test_public_link_keeps_only_absolute_http_urls(link, expected):
    assert public_link(link) == expected


def test_paper_anchor_is_a_safe_distinct_id():
    assert paper_anchor("arxiv:2611.00001") == "p-arxiv-2611-00001"
    assert paper_anchor("t:0123abcd") == "p-t-0123abcd"
    assert paper_anchor("arxiv:2611.00001") != paper_anchor("arxiv:2611.00002")


def test_editions_group_by_profile_and_run_date_newest_first(tmp_path):
    settings = load_settings(write_config(tmp_path))
    old, new = Paper("Old pruning paper"), Paper("New pruning paper")
    with Store.open(settings.paths.state) as store:
        for as_of, paper, score in [(dt.date(2026, 11, 16), old, 0.7), (dt.date(2026, 11, 23), new, 0.9)]:
            run_id = store.runs.start_run(as_of)
            store.papers.ingest_digest(Digest(paper.title, as_of, (paper,), paper.title), run_id)
            store.classification.save_assignments([Assignment(paper.id, "efficient-llm", score, "why"),
                                    Assignment(paper.id, "not-configured", score, "why")])
        editions = collect_editions(store.classification, settings.profiles)
    assert [(e.profile_id, e.date.isoformat(), len(e.items)) for e in editions] == [
        ("efficient-llm", "2026-11-23", 1), ("efficient-llm", "2026-11-16", 1)]
    archives = profile_archives(editions, settings.profiles)
    assert [a.profile.id for a in archives] == ["efficient-llm", "multimodal", "reasoning"]
    assert archives[0].paper_count == 2 and archives[1].editions == ()
    assert editions[0].path == "editions/efficient-llm/2026-11-23.html" and archives[0].path == "profiles/efficient-llm.html"
