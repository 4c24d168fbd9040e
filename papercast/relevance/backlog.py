"""The classify stage: every stored paper a profile has not been scored against yet, a chunk at a time.

Each profile remembers how far (in stored order) it is classified. A chunk's assignments and
the profiles' new progress are saved in one transaction, so a run killed mid-way leaves the
rest of the backlog for the next run, which classifies it before anything is planned: no
paper is stored as seen and then forgotten. A profile added to the config starts where the
others stand: it takes the backlog still to classify, not the papers classified before it.

After each chunk the stage tells an optional `on_progress` callback how far it is (a long
backlog, such as a new user's first run over a year of daily files, takes minutes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from papercast.faults import checkpoint
from papercast.models import Assignment, StoredPaper
from papercast.relevance.base import Scorer
from papercast.relevance.classify import ScoredPairs, score_pairs
from papercast.relevance.registry import make_scorer
from papercast.settings import Profile, Settings
from papercast.store import Store

CHUNK = 100  # papers per transaction


@dataclass
class Classified:
    """What a classify stage did: the papers it scored, their assignments, and how many were owed
    by an earlier run (stored then, classified now)."""

    papers: list[StoredPaper] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    resumed: int = 0


@dataclass(frozen=True)
class ClassifyProgress:
    """How far a classify stage is: papers classified and owed in all, seconds since it started."""

    done: int
    total: int
    elapsed: float


def classify_backlog(
    store: Store,
    settings: Settings,
    run_id: int,
    chunk: int = CHUNK,
    scorer_for: Callable[..., Scorer] = make_scorer,
    on_progress: Callable[[ClassifyProgress], None] | None = None,
) -> Classified:
    """Classify every paper some profile still owes a score, oldest first; `on_progress` after each chunk."""
    started = time.monotonic()
    progress = store.classification.classification_progress([p.id for p in settings.profiles])
    owed = store.papers.count_after(min(progress.values(), default=0)) if on_progress else 0
    result, scorer = Classified(), None
    while papers := store.papers.papers_after(min(progress.values(), default=0), chunk):
        scorer = scorer or scorer_for(settings, cache=store.vectors)  # no model load when nothing is owed
        found = classify_chunk(papers, settings.profiles, progress, scorer, settings.classify.threshold)
        advanced = {pid: papers[-1].seq for pid, seq in progress.items() if seq < papers[-1].seq}
        store.classification.save_classified(found.joined, advanced, found.near)
        progress.update(advanced)
        result.papers += papers
        result.assignments += found.joined
        result.resumed += sum(1 for paper in papers if paper.first_run != run_id)
        checkpoint("classify.chunk")
        if on_progress:
            on_progress(ClassifyProgress(len(result.papers), max(owed, len(result.papers)), time.monotonic() - started))
    checkpoint("classify.done")
    return result


def classify_chunk(
    papers: list[StoredPaper], profiles: list[Profile], progress: dict[str, int], scorer: Scorer, threshold: float
) -> ScoredPairs:
    """The (paper, profile) pairs not classified yet: those that joined, and those kept near the threshold."""
    due = [profile for profile in profiles if progress[profile.id] < papers[-1].seq]
    seq = {paper.id: paper.seq for paper in papers}
    scored = score_pairs(papers, due, scorer, threshold)
    return ScoredPairs(
        [a for a in scored.joined if seq[a.paper_id] > progress[a.profile_id]],
        [a for a in scored.near if seq[a.paper_id] > progress[a.profile_id]],
    )
