"""What is trending: papers per profile per week, laid out as a small-multiples bar chart.

This module only computes geometry; templates/_chart.html.j2 draws it as inline SVG (autoescaped,
no JavaScript). A paper counts in the week (Monday first) of the edition it was published in, and each
week is labelled with its editions' date, the date on the edition pages. Bars are as tall as their
count against the tallest bar of the chart and never wider than a column, so one week reads as one
column per profile, not as equal ribbons; a profile at 0 shows its baseline and a 0. Labels wrap onto
a second line instead of being cut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from papercast.settings import Profile
from papercast.site.editions import Edition

WIDTH = 640
LABEL_WIDTH = 210
LABEL_CHARS = 30  # per line at the label's font size
TOTAL_WIDTH = 44
ROW_HEIGHT = 36
BAR_MAX_HEIGHT = 26
BAR_MAX_WIDTH = 28
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
    lines: tuple[str, ...]  # the title on one or two lines, never cut mid-word when it fits in two
    color: str
    top: float
    baseline: float
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
    label_width: int = LABEL_WIDTH


def week_start(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def chart_weeks(editions: list[Edition], limit: int) -> list[dt.date]:
    """Consecutive weeks, at most `limit`, ending with the newest week that has a paper."""
    seen = {week_start(e.date) for e in editions if e.size}
    if not seen:
        return []
    last = max(seen)
    first = max(min(seen), last - dt.timedelta(weeks=limit - 1))
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def weekly_counts(editions: list[Edition], profile_id: str, weeks: list[dt.date]) -> list[int]:
    counts = dict.fromkeys(weeks, 0)
    for edition in editions:
        week = week_start(edition.date)
        if edition.profile_id == profile_id and week in counts:
            counts[week] += edition.size
    return [counts[week] for week in weeks]


def edition_dates(editions: list[Edition], weeks: list[dt.date]) -> list[dt.date | None]:
    """Each week's latest edition date (the date the edition pages carry), None for a week without one."""
    latest: dict[dt.date, dt.date] = {}
    for edition in editions:
        week = week_start(edition.date)
        latest[week] = max(latest.get(week, edition.date), edition.date)
    return [latest.get(week) for week in weeks]


def column_name(week: dt.date, date: dt.date | None) -> str:
    return f"edition of {date.isoformat()}" if date else f"week of {week.isoformat()}"


def label_lines(text: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    """The title on at most two lines, broken between words; only a title longer than two lines loses its end."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    if len(lines) <= 2:
        return tuple(lines)
    second = " ".join(lines[1:])
    return lines[0], second[: width - 1].rstrip() + "…"


def chart_row(profile: Profile, counts: list[int], columns: list[str], index: int, peak: int) -> ChartRow:
    slot = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / len(columns)
    top, width = index * ROW_HEIGHT, min(slot * 0.7, BAR_MAX_WIDTH)
    baseline = top + ROW_HEIGHT - 4
    bars = []
    for position, (column, count) in enumerate(zip(columns, counts, strict=True)):
        height = round(BAR_MAX_HEIGHT * count / peak, 1) if peak else 0.0
        noun = "paper" if count == 1 else "papers"
        bars.append(
            Bar(
                round(LABEL_WIDTH + (position + 0.5) * slot - width / 2, 1),
                round(baseline - height, 1),
                round(max(width, 1.0), 1),
                height,
                count,
                f"{profile.title}, {column}: {count} {noun}",
            )
        )
    return ChartRow(
        profile.title,
        label_lines(profile.title),
        PALETTE[index % len(PALETTE)],
        top,
        baseline,
        sum(counts),
        tuple(bars),
    )


def chart_ticks(dates: list[dt.date]) -> tuple[Tick, ...]:
    slot = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / len(dates)
    step = max(1, -(-len(dates) // MAX_TICKS))
    chosen = sorted(range(len(dates) - 1, -1, -step))  # counted back from the newest week, which is always labelled
    return tuple(Tick(round(LABEL_WIDTH + (i + 0.5) * slot, 1), f"{dates[i].day} {dates[i]:%b}") for i in chosen)


def build_chart(editions: list[Edition], profiles: list[Profile], limit: int) -> Chart | None:
    """The chart of the last `limit` weeks, or None when no profile has a paper yet."""
    weeks = chart_weeks(editions, limit)
    if not weeks:
        return None
    dated = edition_dates(editions, weeks)
    columns = [column_name(week, date) for week, date in zip(weeks, dated, strict=True)]
    counts = {p.id: weekly_counts(editions, p.id, weeks) for p in profiles}
    peak = max(max(c) for c in counts.values())
    rows = tuple(chart_row(p, counts[p.id], columns, i, peak) for i, p in enumerate(profiles))
    dates = [date or week for week, date in zip(weeks, dated, strict=True)]
    span = (
        f"the edition of {dates[0].isoformat()}"
        if len(weeks) == 1
        else f"the {len(weeks)} weeks from {dates[0].isoformat()} to the edition of {dates[-1].isoformat()}"
    )
    summary = f"Papers per profile in {span}; the tallest bar is {peak} {'paper' if peak == 1 else 'papers'}."
    return Chart(WIDTH, len(rows) * ROW_HEIGHT + AXIS_HEIGHT, rows, chart_ticks(dates), tuple(weeks), summary)
