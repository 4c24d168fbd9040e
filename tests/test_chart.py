"""The weekly chart's geometry: which weeks, what counts, bar heights and labels, with one week and with many."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.settings import Profile
from papercast.models import Assignment, StoredPaper
from papercast.site.chart import (BAR_MAX_HEIGHT, BAR_MAX_WIDTH, LABEL_CHARS, build_chart, chart_weeks, label_lines,
                                  week_start, weekly_counts)
from papercast.site.editions import Edition, EditionItem

PROFILES = [Profile(id="a", title="Alpha"), Profile(id="b", title="Beta")]


def edition(profile_id: str, date: str, papers: int) -> Edition:
    """An edition of `papers` papers, published on `date` (a weekly run's date)."""
    items = tuple(EditionItem(StoredPaper(f"t:{profile_id}{date}{i}", f"Paper {i}", "", dt.date(2026, 1, 1), "src"),
                              Assignment(f"t:{profile_id}{date}{i}", profile_id, 0.5, "why")) for i in range(papers))
    return Edition(profile_id, profile_id.upper(), dt.date.fromisoformat(date), items)


@pytest.mark.parametrize("day, monday", [("2026-11-23", "2026-11-23"), ("2026-11-29", "2026-11-23"),
                                         ("2026-03-12", "2026-03-09"), ("2026-01-01", "2025-12-29")])
def test_week_starts_on_monday(day, monday):
    assert week_start(dt.date.fromisoformat(day)) == dt.date.fromisoformat(monday)


def test_weeks_are_the_editions_weeks_consecutive_and_limited_to_the_newest():
    editions = [edition("a", "2026-03-12", 1), edition("a", "2026-05-07", 2)]
    weeks = chart_weeks(editions, 52)
    assert weeks[0] == dt.date(2026, 3, 9) and weeks[-1] == dt.date(2026, 5, 4) and len(weeks) == 9
    assert chart_weeks(editions, 3) == [dt.date(2026, 4, 20), dt.date(2026, 4, 27), dt.date(2026, 5, 4)]
    assert chart_weeks([], 12) == [] and chart_weeks([edition("a", "2026-03-12", 0)], 12) == []


def test_a_paper_counts_in_the_week_of_its_edition():
    editions = [edition("a", "2026-03-09", 2), edition("a", "2026-03-12", 1), edition("b", "2026-05-04", 1)]
    weeks = chart_weeks(editions, 12)
    assert weekly_counts(editions, "a", weeks)[0] == 3 and sum(weekly_counts(editions, "a", weeks)) == 3
    assert weekly_counts(editions, "b", weeks)[-1] == 1


def test_one_week_bars_are_proportional_columns_labelled_with_the_editions_date():
    """The first week's archive: 3, 1 and 2 papers must not look alike; the date is the editions' date."""
    profiles = [Profile(id=p, title=p.upper()) for p in ("a", "b", "c", "d")]
    editions = [edition("a", "2026-12-07", 3), edition("b", "2026-12-07", 1), edition("c", "2026-12-07", 2)]
    chart = build_chart(editions, profiles, 12)
    heights = [row.bars[0].height for row in chart.rows]
    assert heights == [BAR_MAX_HEIGHT, pytest.approx(BAR_MAX_HEIGHT / 3, abs=0.1),
                       pytest.approx(BAR_MAX_HEIGHT * 2 / 3, abs=0.1), 0.0], "proportional, and a profile at 0 has none"
    assert all(row.bars[0].width <= BAR_MAX_WIDTH for row in chart.rows), "a column, not a ribbon across the chart"
    assert [row.total for row in chart.rows] == [3, 1, 2, 0]
    assert [tick.label for tick in chart.ticks] == ["7 Dec"]
    assert chart.summary == "Papers per profile in the edition of 2026-12-07; the tallest bar is 3 papers."
    assert "weeks" not in chart.summary and chart.rows[1].bars[0].tooltip == "B, edition of 2026-12-07: 1 paper"


def test_many_weeks_keep_empty_weeks_and_label_at_most_six():
    editions = [edition("a", f"2026-{month:02d}-{day:02d}", n) for month, day, n in
                [(3, 16, 2), (4, 13, 4), (5, 11, 1), (6, 8, 3)]] + [edition("b", "2026-06-08", 1)]
    chart = build_chart(editions, PROFILES, 52)
    alpha, beta = chart.rows
    assert len(chart.weeks) == 13 and len(chart.ticks) <= 6 and chart.ticks[-1].label == "8 Jun"
    assert [bar.count for bar in alpha.bars if bar.count] == [2, 4, 1, 3]
    assert max(bar.height for bar in alpha.bars) == BAR_MAX_HEIGHT and beta.bars[-1].height == BAR_MAX_HEIGHT / 4
    assert alpha.bars[1].tooltip == "Alpha, week of 2026-03-23: 0 papers"
    assert chart.summary.startswith("Papers per profile in the 13 weeks from 2026-03-16 to the edition of 2026-06-08")
    assert all(bar.x + bar.width <= chart.width - 44 for bar in alpha.bars)


def test_long_titles_wrap_onto_two_lines_instead_of_being_cut():
    title = "Model architectures and neural architecture search"
    assert label_lines(title) == ("Model architectures and neural", "architecture search")
    assert all(len(line) <= LABEL_CHARS for line in label_lines(title))
    assert label_lines("Reasoning") == ("Reasoning",)
    long = label_lines(" ".join(["word"] * 40))
    assert len(long) == 2 and long[1].endswith("…")


def test_no_papers_no_chart():
    assert build_chart([], PROFILES, 12) is None
