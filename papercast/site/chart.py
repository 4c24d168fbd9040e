"""What is trending: papers per profile per week, laid out as a small-multiples bar chart.

This module only computes geometry; templates/_chart.html.j2 draws it as inline
SVG (autoescaped, no JavaScript). A paper counts in the week (Monday first) of
the digest that first brought it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from papercast.config import Profile
from papercast.site.editions import Edition

WIDTH = 640
LABEL_WIDTH = 200
TOTAL_WIDTH = 44
ROW_HEIGHT = 30
BAR_MAX_HEIGHT = 22
AXIS_HEIGHT = 22
MAX_TICKS = 6
PALETTE = ("#12508a", "#4b5d2e", "#a0522d", "#6a3d9a", "#1b7f79", "#b8860b", "#8b1a4a", "#555555")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    tooltip: str


@dataclass(frozen=True)
class ChartRow:
    title: str
    label: str
    color: str
    top: float
    total: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]
    weeks: tuple[dt.date, ...]
    summary: str


def week_start(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def chart_weeks(editions: list[Edition], limit: int) -> list[dt.date]:
    """Consecutive weeks, at most `limit`, ending with the newest week that has a paper."""
    seen = {week_start(entry.paper.first_seen) for e in editions for entry in e.items}
    if not seen:
        return []
    last = max(seen)
    first = max(min(seen), last - dt.timedelta(weeks=limit - 1))
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def weekly_counts(editions: list[Edition], profile_id: str, weeks: list[dt.date]) -> list[int]:
    counts = dict.fromkeys(weeks, 0)
    for edition in editions:
        if edition.profile_id == profile_id:
            for entry in edition.items:
                week = week_start(entry.paper.first_seen)
                if week in counts:
                    counts[week] += 1
    return [counts[week] for week in weeks]


def short_label(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def chart_row(profile: Profile, counts: list[int], weeks: list[dt.date], index: int, peak: int) -> ChartRow:
    slot = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / len(weeks)
    top = index * ROW_HEIGHT
    bars = []
    for position, (week, count) in enumerate(zip(weeks, counts)):
        height = round(BAR_MAX_HEIGHT * count / peak, 1) if peak else 0.0
        noun = "paper" if count == 1 else "papers"
        bars.append(Bar(round(LABEL_WIDTH + position * slot + slot * 0.15, 1), round(top + 26 - height, 1),
                        round(max(slot * 0.7, 1.0), 1), height, count,
                        f"{profile.title}, week of {week.isoformat()}: {count} {noun}"))
    color = PALETTE[index % len(PALETTE)]
    return ChartRow(profile.title, short_label(profile.title), color, top, sum(counts), tuple(bars))


def chart_ticks(weeks: list[dt.date]) -> tuple[Tick, ...]:
    slot = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / len(weeks)
    step = max(1, -(-len(weeks) // MAX_TICKS))
    chosen = sorted(range(len(weeks) - 1, -1, -step))  # counted back from the newest week, which is always labelled
    return tuple(Tick(round(LABEL_WIDTH + (i + 0.5) * slot, 1), f"{weeks[i].day} {weeks[i]:%b}") for i in chosen)


def build_chart(editions: list[Edition], profiles: list[Profile], limit: int) -> Chart | None:
    """The chart of the last `limit` weeks, or None when no profile has a paper yet."""
    weeks = chart_weeks(editions, limit)
    if not weeks:
        return None
    counts = {p.id: weekly_counts(editions, p.id, weeks) for p in profiles}
    peak = max(max(c) for c in counts.values())
    rows = tuple(chart_row(p, counts[p.id], weeks, i, peak) for i, p in enumerate(profiles))
    summary = (f"Papers per profile per week, {len(weeks)} weeks from {weeks[0].isoformat()}"
               f" to {weeks[-1].isoformat()}; the tallest bar is {peak} papers.")
    return Chart(WIDTH, len(rows) * ROW_HEIGHT + AXIS_HEIGHT, rows, chart_ticks(weeks), tuple(weeks), summary)
