"""The Markdown run summary (published as a Prefect artifact) from a run report."""

from __future__ import annotations

from papercast.summary import summary_lines, summary_markdown

REPORT = {
    "run_id": 7, "as_of": "2026-11-23", "new_papers": 3,
    "digests": [{"source": "/in/week|1.txt", "date": "2026-11-20", "papers": 5, "new": 3, "already_ingested": False},
                {"source": "/in/old.txt", "date": "2026-11-13", "papers": 4, "new": 0, "already_ingested": True}],
    "profiles": {"reasoning": [{"id": "a"}, {"id": "b"}], "multimodal": []},
    "newsletters": [{"reader": "a@x.org", "status": "sent"}, {"reader": "b@x.org", "status": "failed"},
                    {"reader": "c@x.org", "status": "sent"}],
    "no_newsletter": [{"reader": "d@x.org"}],
    "delivery": {"mode": "send", "sent": 2, "failed": 1, "pending": 0},
    "warnings": [{"source": "/in/week|1.txt", "message": "abstract missing"}], "errors": [],
    "timings": {"ingest": 0.25, "classify": 1.5},
}


def test_summary_lists_sources_profiles_and_delivery_counts():
    text = summary_markdown(REPORT)
    assert text.startswith("# papercast run 7 — as of 2026-11-23")
    assert "**3 new papers** from 2 digests." in text
    assert "| week\\|1.txt | 2026-11-20 | 5 | 3 |" in text and "| old.txt | 2026-11-13 | 4 | already ingested |" in text
    assert "| reasoning | 2 |" in text and "| multimodal | 0 |" in text
    for line in ("newsletters written: 3 (send)", "newsletters sent: 2", "newsletters failed: 1",
                 "readers without a newsletter (nothing new): 1"):
        assert f"- {line}" in text
    assert "warning: `week\\|1.txt`: abstract missing" in text and "classify 1.50 s" in text


def test_summary_of_a_dry_run_without_delivery_totals_counts_the_newsletters():
    report = {**REPORT, "delivery": None, "newsletters": [{"reader": "a@x.org", "status": "written"}],
              "digests": [], "warnings": []}
    text = summary_markdown(report)
    assert "- newsletters written: 1 (dry-run)" in text and "- newsletters sent: 0" in text
    assert "No digests this run." in text and "## Problems" not in text


def test_plain_text_summary_names_digests_counts_failures_and_problems():
    report = {**REPORT, "report_path": "/archive/reports/run-00007.json",
              "newsletters": [{"reader": "a@x.org", "status": "sent", "reason": ""},
                              {"reader": "b@x.org", "status": "failed", "reason": "550 mailbox unavailable"}]}
    lines = summary_lines(report)
    assert lines[0] == "papercast run 7 as of 2026-11-23: 3 new papers"
    assert "  week|1.txt (2026-11-20): 5 papers, 3 new" in lines and "  old.txt (2026-11-13): already ingested" in lines
    assert "  new papers per profile: reasoning 2, multimodal 0" in lines
    assert "  failed: b@x.org: 550 mailbox unavailable" in lines
    assert "  warning: /in/week|1.txt: abstract missing" in lines
    assert lines[-1] == "  archive: /archive"


def test_both_summaries_say_what_was_resumed_and_why_readers_got_nothing():
    report = {**REPORT, "report_path": "/archive/reports/run-00007.json",
              "newsletters": [{"reader": n["reader"], "status": n["status"], "reason": ""} for n in REPORT["newsletters"]],
              "resumed": {"classified": 67, "written": 0, "sent": 3},
              "no_newsletter": [{"reader": "d@x.org", "reason": "nothing new"},
                                {"reader": "e@x.org", "reason": "unsubscribed"}]}
    lines = summary_lines(report)
    assert "  finished what an earlier run left: 67 papers classified, 3 messages sent" in lines
    assert "  newsletters written: 3; readers without one: nothing new: 1; unsubscribed: 1" in lines
    text = summary_markdown(report)
    assert "- finished what an earlier run left: 67 papers classified, 3 messages sent" in text
    assert "- readers without a newsletter (unsubscribed): 1" in text
    quiet = summary_lines({**report, "resumed": {"classified": 0, "written": 0, "sent": 0}})
    assert not any("earlier run" in line for line in quiet)
