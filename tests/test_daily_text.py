"""The Daily Papers text parser, on the real captures and on damaged copies."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, digest_text
from papercast.errors import SourceError
from papercast.sources import parse_input
from papercast.sources.daily_text import infer_date, parse_daily_text

ABSTRACT = ("We study a problem that matters. Our method improves results on many benchmarks by a clear margin, "
            "and we release code and data so that others can build on it in future work on this topic.")

REAL = [("001_0b28249de3011a72.txt", dt.date(2026, 3, 12), 67),
        ("003_4cebbeaa4a958479.txt", dt.date(2026, 3, 14), 85),
        ("000_78a9b9aaee6fab8d.txt", dt.date(2026, 5, 7), 96)]


@pytest.mark.parametrize(("name", "date", "count"), REAL)
def test_real_digests_parse_completely(shared_digests, name, date, count):
    digest = parse_input((shared_digests / name).read_bytes(), name, AS_OF)
    assert (digest.date, len(digest.papers)) == (date, count)
    assert digest.warnings == ()
    assert all(p.title and len(p.abstract.split()) > 40 for p in digest.papers)
    assert digest.content_hash and digest.format == "daily-text"


def test_long_title_with_a_full_stop_stays_a_title(shared_digests):
    digest = parse_input((shared_digests / REAL[1][0]).read_bytes(), "x", AS_OF)
    titles = [p.title for p in digest.papers]
    assert any(t.startswith("A for-loop is all you need. For solving") for t in titles)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(dt.date(2026, 11, 23), dt.date(2026, 5, 7)), (dt.date(2026, 5, 7), dt.date(2026, 5, 7)),
     (dt.date(2026, 5, 6), dt.date(2025, 5, 7)), (dt.date(2026, 1, 2), dt.date(2025, 5, 7))],
)
def test_year_is_the_most_recent_not_after_as_of(as_of, expected):
    assert infer_date("May 7", as_of) == expected


def test_leap_day_goes_back_to_a_leap_year():
    assert infer_date("Feb 29", dt.date(2027, 3, 1)) == dt.date(2024, 2, 29)


def test_crlf_and_extra_header_lines_are_tolerated():
    text = digest_text("Nov 20", [("Paper One", ABSTRACT), ("Paper Two", ABSTRACT)])
    text = "Some banner we did not expect\n" + text
    digest = parse_daily_text(text.replace("\n", "\r\n"), "crlf.txt", AS_OF)
    assert [p.title for p in digest.papers] == ["Paper One", "Paper Two"]
    assert any("unexpected header" in w.message for w in digest.warnings)


def test_missing_abstract_and_repeated_title_become_warnings():
    text = digest_text("Nov 20", [("Paper One", ABSTRACT), ("Paper One", ABSTRACT)])
    text = text.replace("Nov 20\n\n", "Nov 20\n\nLonely Title Without Abstract\n\n")
    digest = parse_daily_text(text, "odd.txt", AS_OF)
    assert [p.title for p in digest.papers] == ["Lonely Title Without Abstract", "Paper One"]
    assert digest.papers[0].abstract == ""
    messages = " | ".join(w.message for w in digest.warnings)
    assert "without an abstract" in messages and "repeated title" in messages
    assert all(w.source == "odd.txt" for w in digest.warnings)


def test_truncated_file_keeps_what_it_has_and_warns():
    text = digest_text("Nov 20", [("Paper One", ABSTRACT), ("Paper Two", ABSTRACT)])
    cut = text[: text.rindex("in future work")]
    digest = parse_daily_text(cut, "cut.txt", AS_OF)
    assert len(digest.papers) == 2
    assert any("truncated" in w.message for w in digest.warnings)


def test_tex_residue_and_non_ascii_survive():
    abstract = "We bound the error by Acdot S_1^{-alpha} on 8times 8 grids in Zürich, with $O(n)$ cost. " + ABSTRACT
    digest = parse_daily_text(digest_text("Nov 20", [("Über TeX", abstract)]), "tex.txt", AS_OF)
    assert digest.papers[0].abstract.startswith("We bound the error by Acdot S_1^{-alpha}")
    assert digest.papers[0].title == "Über TeX"


@pytest.mark.parametrize("data", [b"just some notes\nnothing like a digest\n", b"", b"\x00\x01\x02binary"])
def test_not_a_digest_is_a_clear_error_naming_the_file(data):
    with pytest.raises(SourceError) as caught:
        parse_input(data, "/inbox/notes.txt", AS_OF)
    assert caught.value.one_line().startswith("/inbox/notes.txt: ")
