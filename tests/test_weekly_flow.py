"""The weekly flow end to end, through a real Prefect run, on the real digests."""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, write_config
from papercast.config import load_settings

ORDER = [("001_0b28249de3011a72.txt", 67), ("003_4cebbeaa4a958479.txt", 78), ("000_78a9b9aaee6fab8d.txt", 74)]
HOSTILE = ("Breaking <script>alert(1)</script> {{ 7*7 }} Reasoning",
           "We show that chain-of-thought reasoning improves math accuracy {{ 7*7 }} <img src=x onerror=alert(1)>. "
           "The method is simple, it is evaluated on eight benchmarks, and it beats strong baselines by a wide margin.")


@pytest.fixture(scope="module")
def weekly(prefect_harness):
    from papercast.flows.newsletter import weekly_newsletter
    from papercast.jsonable import jsonable

    return lambda *args, **kwargs: jsonable(weekly_newsletter(*args, **kwargs))  # the report as --json prints it


@pytest.fixture(scope="module")
def real_weeks(tmp_path_factory, weekly, shared_digests):
    """Three runs, one real digest each in date order, then a rerun, then a re-dropped file."""
    folder = tmp_path_factory.mktemp("weekly")
    config = write_config(folder)
    reports = []
    for name, _ in ORDER:
        shutil.copy(shared_digests / name, folder / "inbox" / name)
        reports.append(weekly(str(config), AS_OF))
    reports.append(weekly(str(config), AS_OF))
    shutil.copy(shared_digests / ORDER[0][0], folder / "inbox" / "dropped-again.txt")
    reports.append(weekly(str(config), AS_OF))
    return config, reports


def test_new_papers_per_run_match_the_real_digests(real_weeks):
    _, reports = real_weeks
    assert [r["new_papers"] for r in reports[:3]] == [n for _, n in ORDER]
    assert [d["new"] for d in reports[2]["digests"] if not d["already_ingested"]] == [74]


def test_rerun_with_nothing_new_writes_no_newsletter(real_weeks):
    _, reports = real_weeks
    rerun = reports[3]
    assert rerun["new_papers"] == 0 and rerun["newsletters"] == []
    assert {r["reason"] for r in rerun["no_newsletter"]} == {"nothing new"}


def test_dropping_an_ingested_file_again_changes_nothing(real_weeks):
    _, reports = real_weeks
    again = reports[4]
    assert again["new_papers"] == 0 and again["newsletters"] == []
    dropped = [d for d in again["digests"] if d["source"].endswith("dropped-again.txt")]
    assert dropped and dropped[0]["already_ingested"]


def test_report_follows_the_contract(real_weeks):
    config, reports = real_weeks
    report = reports[0]
    settings = load_settings(config)
    assert set(report) >= {"new_papers", "digests", "profiles", "newsletters", "feeds", "errors"}
    assert set(report["profiles"]) == {p.id for p in settings.profiles}
    for items in report["profiles"].values():
        assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
        assert all(set(i) >= {"id", "title", "score", "why"} and i["why"] for i in items)
    for letter in report["newsletters"]:
        for key in ("html", "text", "eml"):
            assert Path(letter[key]).is_absolute() and Path(letter[key]).exists()
    assert Path(report["report_path"]).exists()


def test_newsletters_hold_only_assigned_papers_never_repeated(real_weeks):
    config, reports = real_weeks
    settings = load_settings(config)
    readers = {r.email: r for r in settings.readers}
    assigned = {}
    seen: dict[str, set[str]] = {}
    for report in reports:
        for profile, items in report["profiles"].items():
            for item in items:
                assigned.setdefault(item["id"], set()).add(profile)
        for letter in report["newsletters"]:
            reader = readers[letter["reader"]]
            assert len(letter["papers"]) <= reader.max_papers
            for paper_id in letter["papers"]:
                assert assigned[paper_id] & set(reader.profiles)
            got = seen.setdefault(letter["reader"], set())
            assert not got & set(letter["papers"]), "a paper was sent to the same reader twice"
            got.update(letter["papers"])
    assert seen, "the real digests should produce newsletters"


def test_eml_files_are_multipart_alternative_with_text_and_html(real_weeks):
    _, reports = real_weeks
    for letter in reports[0]["newsletters"]:
        message = email.message_from_bytes(Path(letter["eml"]).read_bytes(), policy=email.policy.default)
        assert message.get_content_type() == "multipart/alternative"
        parts = [part.get_content_type() for part in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert message["To"].addresses[0].addr_spec == letter["reader"]
        assert message["Message-ID"] and message["List-Unsubscribe"]


def test_hostile_paper_text_is_escaped_in_every_html_output(tmp_path, weekly):
    from conftest import digest_text

    config = write_config(tmp_path)
    (tmp_path / "inbox" / "hostile.txt").write_text(digest_text("Nov 20", [HOSTILE]), encoding="utf-8")
    report = weekly(str(config), AS_OF)
    html_files = [p for p in (tmp_path / "archive").rglob("*.html") if "Breaking" in p.read_text(encoding="utf-8")]
    assert report["newsletters"] and len(html_files) >= 2  # a newsletter and an edition page at least
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "<img src=x" not in text, path
        assert "{{ 7*7 }}" in text, f"template syntax in paper text was evaluated or lost in {path}"
    for letter in report["newsletters"]:
        message = email.message_from_bytes(Path(letter["eml"]).read_bytes(), policy=email.policy.default)
        html = message.get_body(("html",)).get_content()
        assert "&lt;script&gt;" in html and "<script>" not in html


def test_a_bad_file_is_reported_and_the_others_still_ingested(tmp_path, weekly):
    from conftest import digest_text

    config = write_config(tmp_path)
    (tmp_path / "inbox" / "a-notes.txt").write_text("meeting notes, not a digest\n", encoding="utf-8")
    (tmp_path / "inbox" / "b-good.txt").write_text(digest_text("Nov 20", [HOSTILE]), encoding="utf-8")
    report = weekly(str(config), AS_OF)
    assert report["new_papers"] == 1
    assert len(report["errors"]) == 1 and report["errors"][0]["source"].endswith("a-notes.txt")


def test_the_report_comes_back_quoted_only_when_the_caller_asks(tmp_path, prefect_harness):
    """The CLI asks for the report quoted (Prefect then does not walk it); a deployment or a direct call gets it
    as it is, and the flow's parameters do not change either way."""
    from conftest import digest_text
    from prefect.utilities.annotations import quote

    from papercast.flows.newsletter import weekly_newsletter
    from papercast.flows.quoting import report_quoted
    from papercast.report import RunReport

    config = write_config(tmp_path)
    (tmp_path / "inbox" / "good.txt").write_text(digest_text("Nov 20", [HOSTILE]), encoding="utf-8")
    with report_quoted():
        asked = weekly_newsletter(str(config), AS_OF)
    plain = weekly_newsletter(str(config), AS_OF)
    assert isinstance(asked, quote) and isinstance(asked.unwrap(), RunReport) and asked.unwrap().new_papers == 1
    assert isinstance(plain, RunReport) and plain.new_papers == 0
