"""Missed weeks and manual runs: every new paper reaches each interested reader exactly once."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import digest_text, write_config

KEYWORDS = '[classify]\nbackend = "keywords"'  # the classifier does not matter here; keep the test fast

WEEK_ONE = "001_0b28249de3011a72.txt"            # Mar 12
GAP_WEEKS = ["003_4cebbeaa4a958479.txt", "000_78a9b9aaee6fab8d.txt"]  # Mar 14, May 7
LATE_WEEK = [("Quantization of reasoning models at 2-bit", "We study quantization and pruning of math "
              "reasoning models and keep chain-of-thought accuracy with a fraction of the memory."),
             ("A multimodal benchmark for chart questions", "A vision-language benchmark with visual "
              "question answering over charts, and multimodal baselines that still fall short.")]
READERS = """
[[readers]]
email = "ada@example.org"
profiles = ["efficient-llm", "reasoning"]
max_papers = 500

[[readers]]
email = "grace@example.org"
profiles = ["multimodal"]
max_papers = 500
"""


@pytest.fixture(scope="module")
def weekly(prefect_harness):
    from papercast.flows.newsletter import weekly_newsletter
    from papercast.jsonable import jsonable

    return lambda *args, **kwargs: jsonable(weekly_newsletter(*args, **kwargs))  # the report as --json prints it


def deliveries(reports: list[dict]) -> dict[str, Counter]:
    got: dict[str, Counter] = {}
    for report in reports:
        for letter in report["newsletters"]:
            got.setdefault(letter["reader"], Counter()).update(letter["papers"])
    return got


def wanted(reports: list[dict], profiles: list[str]) -> set[str]:
    return {item["id"] for r in reports for pid in profiles for item in r["profiles"].get(pid, [])}


def test_run_after_a_three_week_gap_delivers_every_new_paper_once(tmp_path, weekly, shared_digests):
    config = write_config(tmp_path, readers=READERS, extra=KEYWORDS)
    inbox = tmp_path / "inbox"
    shutil.copy(shared_digests / WEEK_ONE, inbox / WEEK_ONE)
    reports = [weekly(str(config), dt.date(2026, 3, 13))]
    for name in GAP_WEEKS:  # three weeks without a run: three digests pile up in the inbox
        shutil.copy(shared_digests / name, inbox / name)
    (inbox / "late.txt").write_text(digest_text("May 14", LATE_WEEK), encoding="utf-8")
    reports.append(weekly(str(config), dt.date(2026, 5, 18)))
    reports.append(weekly(str(config), dt.date(2026, 5, 25)))  # the next week: nothing new
    assert [len(r["digests"]) for r in reports[:2]] == [1, 4]
    assert reports[1]["new_papers"] == 78 + 74 + 2 and reports[2]["new_papers"] == 0
    got = deliveries(reports)
    for reader, profiles in [("ada@example.org", ["efficient-llm", "reasoning"]),
                             ("grace@example.org", ["multimodal"])]:
        assert set(got[reader]) == wanted(reports, profiles) and wanted(reports[1:], profiles)
        assert max(got[reader].values()) == 1, f"a paper reached {reader} twice"
    assert reports[2]["newsletters"] == []


def test_manual_runs_on_a_subset_lose_nothing_for_the_next_full_run(tmp_path, weekly, shared_digests):
    config = write_config(tmp_path, readers=READERS, extra=KEYWORDS)
    for name in [WEEK_ONE, *GAP_WEEKS]:
        shutil.copy(shared_digests / name, tmp_path / "inbox" / name)
    as_of = dt.date(2026, 5, 18)
    manual = weekly(str(config), as_of, profiles=["reasoning"], readers=["ada@example.org"])
    assert {n["reader"] for n in manual["newsletters"]} == {"ada@example.org"}
    assert set(manual["profiles"]) == {"efficient-llm", "multimodal", "reasoning"}  # all classified
    reasoning_only = set(deliveries([manual])["ada@example.org"])
    assert reasoning_only and reasoning_only <= wanted([manual], ["reasoning"])
    full = weekly(str(config), as_of)
    got = deliveries([manual, full])
    assert full["new_papers"] == 0 and set(got["ada@example.org"]) == wanted([manual], ["efficient-llm", "reasoning"])
    assert not set(deliveries([full])["ada@example.org"]) & reasoning_only
    assert max(got["ada@example.org"].values()) == 1 and set(got["grace@example.org"]) == wanted([manual], ["multimodal"])


def test_an_empty_week_sends_nothing_by_default_and_a_note_once_when_configured(tmp_path, weekly, shared_digests):
    config = write_config(tmp_path, readers=READERS, extra=KEYWORDS + '\n[schedule]\nnothing_new = "note"')
    shutil.copy(shared_digests / WEEK_ONE, tmp_path / "inbox" / WEEK_ONE)
    first = weekly(str(config), dt.date(2026, 3, 13))
    assert first["newsletters"] and not any(n.get("note") for n in first["newsletters"])
    quiet = weekly(str(config), dt.date(2026, 3, 20))
    again = weekly(str(config), dt.date(2026, 3, 20))
    assert quiet["new_papers"] == 0 and quiet["no_newsletter"] == []
    assert sorted(n["reader"] for n in quiet["newsletters"]) == ["ada@example.org", "grace@example.org"]
    for note in quiet["newsletters"]:
        assert note["note"] and note["papers"] == []
        text = Path(note["text"]).read_text(encoding="utf-8")
        assert "nothing new" in text.lower() and Path(note["eml"]).is_file()
    assert again["newsletters"] == [] and len(again["no_newsletter"]) == 2, "the same day's note is not sent twice"
    default = write_config(tmp_path / "default", readers=READERS, extra=KEYWORDS)
    assert weekly(str(default), dt.date(2026, 3, 20))["newsletters"] == []
