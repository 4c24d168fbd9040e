"""The run summary: one renderer, from the typed run report, for the terminal and the Prefect artifact."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from papercast.models import DigestResult, Problem
from papercast.report import NewsletterEntry, NoNewsletter, ProfilePick, Resumed, RunReport
from papercast.summary import summary_lines, summary_markdown

PICK = ProfilePick("a", "A", 0.9, "why")


def letter(reader: str, status: str, reason: str = "") -> NewsletterEntry:
    return NewsletterEntry(reader, "i", (), Path("x.html"), Path("x.txt"), None, "", status, reason)


REPORT = RunReport(
    7, dt.date(2026, 11, 23), new_papers=3, sending=True,
    digests=(DigestResult("/in/week|1.txt", dt.date(2026, 11, 20), 5, 3),
             DigestResult("/in/old.txt", dt.date(2026, 11, 13), 4, 0, skipped=True)),
    profiles={"reasoning": (PICK, replace(PICK, id="b")), "multimodal": ()},
    newsletters=(letter("a@x.org", "sent"), letter("b@x.org", "failed", "550 mailbox unavailable"),
                 letter("c@x.org", "sent")),
    no_newsletter=(NoNewsletter("d@x.org", reason="nothing new"),),
    warnings=(Problem("/in/week|1.txt", "abstract missing"),),
    timings={"ingest": 0.25, "classify": 1.5}, report_path="/archive/reports/run-00007.json")


def test_summary_names_digests_profiles_newsletters_failures_and_problems():
    lines = summary_lines(REPORT)
    assert lines[0] == "papercast run 7 as of 2026-11-23: 3 new papers"
    assert "  week|1.txt (2026-11-20): 5 papers, 3 new" in lines and "  old.txt (2026-11-13): already ingested" in lines
    assert "  new papers per profile: reasoning 2, multimodal 0" in lines
    assert "  newsletters written: 3; readers without one: nothing new: 1" in lines
    assert "  sent: 2; failed: 1; still pending: 0" in lines
    assert "  failed: b@x.org: 550 mailbox unavailable" in lines
    assert "  warning: /in/week|1.txt: abstract missing" in lines
    assert "  time: ingest 0.25s, classify 1.50s" in lines
    assert "  archive: /archive" in lines
    assert lines[-1] == "  not done (exit 3): 1 problem, named above; the next run tries again"


def test_a_dry_run_says_no_sending_and_a_run_with_nothing_left_has_no_last_line():
    report = replace(REPORT, sending=False, newsletters=(letter("a@x.org", "written"),), digests=(), warnings=())
    lines = summary_lines(report)
    assert "  newsletters written: 1; readers without one: nothing new: 1" in lines
    assert not any(line.startswith("  sent:") or "not done" in line for line in lines)


def test_the_artifact_is_the_same_summary_under_a_heading():
    text = summary_markdown(REPORT)
    assert text.startswith("# papercast run 7 — as of 2026-11-23\n\n```text\n")
    assert text.endswith("\n```\n") and "\n".join(summary_lines(REPORT)) in text


def test_the_summary_says_what_was_resumed_and_why_readers_got_nothing():
    report = replace(REPORT, resumed=Resumed(classified=67, sent=3),
                     no_newsletter=(NoNewsletter("d@x.org", reason="nothing new"),
                                    NoNewsletter("e@x.org", reason="unsubscribed")))
    lines = summary_lines(report)
    assert "  finished what an earlier run left: 67 papers classified, 3 messages sent" in lines
    assert "  newsletters written: 3; readers without one: nothing new: 1; unsubscribed: 1" in lines
    assert not any("earlier run" in line for line in summary_lines(replace(report, resumed=Resumed())))
