"""What a profile would take: the stored papers of the last weeks, scored against it, before it goes live.

`papercast preview --config F --profile ID [--weeks N]` prints `preview_lines(preview(...))`: the
papers the profile would take, best first, with score and reason, then the nearest misses, and
a warning when it would take almost nothing or almost everything. It runs without Prefect and
without changing the state (it reads papers and their cached vectors, and caches vectors of
papers that had none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papercast.errors import ConfigError
from papercast.models import StoredPaper
from papercast.relevance.base import Scorer
from papercast.relevance.registry import make_scorer
from papercast.settings import Profile, Settings

if TYPE_CHECKING:
    from papercast.store import Store

MISSES = 5
TOO_FEW_PER_WEEK = 1.0  # fewer papers a week than this: "almost nothing"
TOO_MANY_SHARE = 0.4  # a larger share of all papers than this: "almost everything"
TITLE_WIDTH = 90


@dataclass(frozen=True)
class Candidate:
    paper: StoredPaper
    score: float
    why: str


@dataclass(frozen=True)
class Preview:
    """The papers first seen from `first` to `last` that `profile` would take (best first), the nearest misses."""

    profile: Profile
    first: dt.date
    last: dt.date
    weeks: int
    threshold: float
    seen: int
    taken: list[Candidate]
    misses: list[Candidate]
    warning: str | None


def preview(
    store: Store,
    settings: Settings,
    profile_id: str,
    weeks: int = 4,
    as_of: dt.date | None = None,
    scorer: Scorer | None = None,
    misses: int = MISSES,
) -> Preview:
    """Score the papers first seen in the `weeks` weeks up to `as_of` (default: the latest stored paper's
    first sighting, so a state last fed weeks ago still previews its last weeks) against one profile."""
    profile = find_profile(settings, profile_id)
    last = as_of or store.papers.latest_first_seen() or dt.date.today()
    first = last - dt.timedelta(days=7 * weeks - 1)
    papers = store.papers.papers_seen_between(first, last)
    threshold = profile.threshold if profile.threshold is not None else settings.classify.threshold
    ranked = rank(papers, profile, scorer or make_scorer(settings, cache=store.vectors)) if papers else []
    taken = [c for c in ranked if c.score >= threshold]
    return Preview(
        profile,
        first,
        last,
        weeks,
        threshold,
        len(papers),
        taken,
        [c for c in ranked if c.score < threshold][:misses],
        warning(len(taken), len(papers), weeks),
    )


def find_profile(settings: Settings, profile_id: str) -> Profile:
    for profile in settings.profiles:
        if profile.id == profile_id:
            return profile
    known = ", ".join(p.id for p in settings.profiles)
    raise ConfigError(f"no profile '{profile_id}'", source=str(settings.source_file), hint=f"profiles: {known}")


def rank(papers: Sequence[StoredPaper], profile: Profile, scorer: Scorer) -> list[Candidate]:
    """Every paper with its score and reason, best first (ties: the paper stored first)."""
    rows = scorer.score(papers, [profile])
    found = [Candidate(paper, row[0].value, row[0].why) for paper, row in zip(papers, rows, strict=False)]
    return sorted(found, key=lambda c: -c.score)


def warning(taken: int, seen: int, weeks: int) -> str | None:
    """Why the profile needs another look, or None."""
    if seen == 0:
        return "no stored papers in these weeks: run papercast first (or papercast fetch), or ask for more --weeks"
    if taken < TOO_FEW_PER_WEEK * weeks:
        return (
            f"takes almost nothing ({taken} of {seen} papers in {weeks} weeks): widen the description, "
            "add keywords that papers on the topic use, or lower its threshold"
        )
    if taken > TOO_MANY_SHARE * seen:
        return (
            f"takes almost everything ({taken} of {seen} papers): narrow the description, drop broad "
            "keywords, add exclude terms, or raise its threshold"
        )
    return None


def preview_lines(result: Preview) -> list[str]:
    """The preview as lines for a terminal."""
    p = result.profile
    lines = [
        f"Profile '{p.id}' ({p.title}): would take {len(result.taken)} of {result.seen} papers first seen "
        f"{result.first.isoformat()} to {result.last.isoformat()} ({result.weeks} weeks), "
        f"threshold {result.threshold:.2f}"
    ]
    if result.taken:
        lines += ["", "Would take, best first:"] + [candidate_line(c) for c in result.taken]
    if result.misses:
        lines += ["", "Nearest misses:"] + [candidate_line(c) for c in result.misses]
    if result.warning:
        lines += ["", f"Warning: {result.warning}"]
    return lines


def candidate_line(candidate: Candidate) -> str:
    title = candidate.paper.title
    title = title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1].rstrip() + "…"
    return f"  {candidate.score:.2f}  {title}\n        {candidate.why}"
