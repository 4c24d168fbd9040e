"""The weekly chart's geometry: which weeks, what counts, bar heights and labels."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.site.chart import BAR_MAX_HEIGHT, build_chart, chart_weeks, week_start, weekly_counts
from papercast.config import Profile
from papercast.site.editions import Edition, EditionItem
from papercast.models import Assignment, StoredPaper

PROFILES = [Profile(id="a", title="Alpha"), Profile(id="b", title="Beta")]


def edition(profile_id: str, seen: list[str]) -> Edition:
    items = tuple(EditionItem(StoredPaper(f"t:{profile_id}{i}", f"Paper {i}", "", dt.date.fromisoformat(day), "src"),
                              Assignment(f"t:{profile_id}{i}", profile_id, 0.5, "why"))
                  for i, day in enumerate(seen))
    return Edition(profile_id, profile_id.upper(), dt.date(2026, 11, 23), items)


@pytest.mark.parametrize("day, monday", [("2026-11-23", "2026-11-23"), ("2026-11-29", "2026-11-23"),
                                         ("2026-03-12", "2026-03-09"), ("2026-01-01", "2025-12-29")])
def test_week_starts_on_monday(day, monday):
    assert week_start(dt.date.fromisoformat(day)) == dt.date.fromisoformat(monday)


def test_weeks_are_consecutive_and_limited_to_the_newest():
    editions = [edition("a", ["2026-03-12", "2026-05-07"])]
    weeks = chart_weeks(editions, 52)
    assert weeks[0] == dt.date(2026, 3, 9) and weeks[-1] == dt.date(2026, 5, 4) and len(weeks) == 9
    assert chart_weeks(editions, 3) == [dt.date(2026, 4, 20), dt.date(2026, 4, 27), dt.date(2026, 5, 4)]
    assert chart_weeks([], 12) == []


def test_counts_per_profile_per_week():
    editions = [edition("a", ["2026-03-12", "2026-03-14", "2026-05-07"]), edition("b", ["2026-05-08"])]
    weeks = chart_weeks(editions, 12)
    counts = weekly_counts(editions, "a", weeks)
    assert counts[0] == 2 and counts[-1] == 1 and sum(counts) == 3
    assert weekly_counts(editions, "b", weeks)[-1] == 1


def test_tallest_bar_is_full_height_and_empty_weeks_have_none():
    editions = [edition("a", ["2026-03-12", "2026-03-14", "2026-03-16"]), edition("b", ["2026-03-17"])]
    chart = build_chart(editions, PROFILES, 12)
    alpha, beta = chart.rows
    assert [bar.count for bar in alpha.bars] == [2, 1] and [bar.count for bar in beta.bars] == [0, 1]
    assert alpha.bars[0].height == BAR_MAX_HEIGHT and beta.bars[0].height == 0
    assert alpha.bars[1].height == pytest.approx(BAR_MAX_HEIGHT / 2, abs=0.1)
    assert alpha.total == 3 and beta.bars[1].tooltip == "Beta, week of 2026-03-16: 1 paper"
    assert chart.ticks[-1].label == "16 Mar" and all(bar.x < chart.width for bar in alpha.bars)


def test_no_papers_no_chart():
    assert build_chart([], PROFILES, 12) is None
