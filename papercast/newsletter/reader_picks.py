"""A reader's picks and the "close to your interests" section, from their profiles' scores and their taste.

Pure: the caller gathers the candidates (each (paper, profile) with the profile's score), the papers'
centred vectors and the reader's taste models (papercast.relevance.taste); nothing here reads the store.

- A reader with no votes in a profile takes that profile's papers exactly as scored: a pair joins at the
  profile's threshold.
- A reader with votes in a profile takes the pair at their own score, logit(score) + b + w·x, and it joins
  when that reaches the same threshold; its reason gains what the votes did ("like 3 papers you marked
  more like this: '…'").
- Each paper once, under the profile where it scored best, the best `limit` first.
- Then the explore section: per profile, up to `explore` papers just below the threshold (the reader's
  own score, at least EXPLORE_FLOOR), not picked, not delivered: the papers a "more like this" can bring in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import Item
from papercast.relevance.explain import quote
from papercast.relevance.taste import Taste, logit, sigmoid

EXPLORE = 3  # papers per profile in the explore section, by default
EXPLORE_FLOOR = 0.1  # a paper less likely than this is not "close to your interests"
NOTICEABLE = 0.05  # a score moved less than this by the votes gets no note


@dataclass(frozen=True)
class Candidate:
    """A (paper, profile) the reader may get, with the profile's score and the scorer's reason ("" unknown)."""

    paper: StoredPaper
    profile_id: str
    score: float
    why: str = ""


@dataclass(frozen=True)
class Voted:
    """The papers a taste model was fitted on: their titles and centred vectors, in the model's order."""

    titles: tuple[str, ...]
    vectors: np.ndarray


@dataclass(frozen=True)
class ReaderTaste:
    """One reader's models, by profile (profiles without votes are absent)."""

    models: Mapping[str, tuple[Taste, Voted]]

    def scores(self, profile_id: str, priors: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """The reader's scores of candidates of one profile (the profile's own without a model)."""
        if profile_id not in self.models or not len(priors):
            return priors
        taste, _ = self.models[profile_id]
        return np.round(sigmoid(taste.logits(logit(priors), vectors)), 4)


@dataclass(frozen=True)
class Picked:
    picks: list[Item]
    explore: list[Item]


def pick(
    candidates: Sequence[Candidate],
    vectors: Mapping[str, np.ndarray],
    taste: ReaderTaste,
    thresholds: Mapping[str, float],
    limit: int,
    explore: int,
    delivered: set[str],
) -> Picked:
    """The reader's picks and explore items from their candidates (every profile of theirs, any score)."""
    scored = rescored(candidates, vectors, taste)
    joined = [row for row in scored if row[1] >= thresholds[row[0].profile_id] and row[0].paper.id not in delivered]
    picks = best_once(joined)[:limit]
    taken = {row[0].paper.id for row in picks} | delivered
    return Picked(
        [with_reason(row, taste, vectors) for row in picks], explore_section(scored, thresholds, taken, explore)
    )


def explore_section(
    rows: Sequence[Row], thresholds: Mapping[str, float], taken: set[str], per_profile: int
) -> list[Item]:
    """Up to `per_profile` papers of each profile just below its threshold (at least EXPLORE_FLOOR), not taken."""
    below = [
        row for row in rows if EXPLORE_FLOOR <= row[1] < thresholds[row[0].profile_id] and row[0].paper.id not in taken
    ]
    return [explore_item(row) for row in close_ones(below, per_profile)]


Row = tuple[Candidate, float]  # a candidate and the reader's score of it


def rescored(candidates: Sequence[Candidate], vectors: Mapping[str, np.ndarray], taste: ReaderTaste) -> list[Row]:
    """Every candidate with the reader's score, one profile at a time."""
    rows: list[Row] = []
    for profile_id in dict.fromkeys(c.profile_id for c in candidates):
        mine = [c for c in candidates if c.profile_id == profile_id]
        priors = np.array([c.score for c in mine])
        if profile_id in taste.models:
            stacked = np.stack([vectors[c.paper.id] for c in mine])
            scores = taste.scores(profile_id, priors, stacked)
        else:
            scores = priors
        rows += list(zip(mine, scores.tolist(), strict=True))
    return rows


def best_once(rows: list[Row]) -> list[Row]:
    """Each paper once, under its best-scoring profile, best first (ties as `best_per_paper`: by paper id)."""
    best: dict[str, Row] = {}
    for row in rows:
        current = best.get(row[0].paper.id)
        if current is None or row[1] > current[1]:
            best[row[0].paper.id] = row
    return sorted(best.values(), key=lambda row: (-row[1], row[0].paper.id))


def close_ones(rows: list[Row], per_profile: int) -> list[Row]:
    """The best `per_profile` rows of each profile, each paper once, best first."""
    out: list[Row] = []
    for profile_id in dict.fromkeys(row[0].profile_id for row in rows):
        mine = sorted(
            (row for row in rows if row[0].profile_id == profile_id), key=lambda row: (-row[1], row[0].paper.id)
        )
        seen = {r[0].paper.id for r in out}
        out += [row for row in mine if row[0].paper.id not in seen][:per_profile]
    return sorted(out, key=lambda row: (-row[1], row[0].paper.id))


def with_reason(row: Row, taste: ReaderTaste, vectors: Mapping[str, np.ndarray]) -> Item:
    candidate, score = row
    note = taste_note(candidate, score, taste, vectors)
    why = "; ".join(part for part in (candidate.why, note) if part)
    return Item(candidate.paper, Assignment(candidate.paper.id, candidate.profile_id, score, why))


def explore_item(row: Row) -> Item:
    candidate, score = row
    return Item(
        candidate.paper,
        Assignment(candidate.paper.id, candidate.profile_id, score, candidate.why or "just below your threshold"),
    )


def taste_note(candidate: Candidate, score: float, taste: ReaderTaste, vectors: Mapping[str, np.ndarray]) -> str:
    """What the reader's votes did to this pair, naming the liked papers that raised it most ("" if little)."""
    if candidate.profile_id not in taste.models or score - candidate.score < NOTICEABLE:
        return ""
    model, voted = taste.models[candidate.profile_id]
    pulls = model.pulls(vectors[candidate.paper.id], voted.vectors)
    enough = max(0.05, 0.25 * float(pulls.max(initial=0.0)))
    raising = [i for i in np.argsort(-pulls) if pulls[i] >= enough and model.liked[i]]
    if not raising:
        return "raised by your votes in this profile"
    count = len(raising)
    likes = "a paper" if count == 1 else f"{count} papers"
    return f"like {likes} you marked more like this: {quote(voted.titles[raising[0]])}"


TUNE_PAGE = 12  # papers on one visit of the tune page
TUNE_DIVERSITY = 3.0  # how much a paper like one already chosen is held back (per unit of centred cosine)
TUNE_POOL = 120  # the most uncertain papers the page chooses from


def tune_choice(
    candidates: Sequence[Candidate],
    vectors: Mapping[str, np.ndarray],
    taste: ReaderTaste,
    threshold: float,
    voted: set[str],
    size: int = TUNE_PAGE,
) -> list[Item]:
    """The papers whose answer would teach the reader's model most: the closest to their threshold under
    their own scores, each next one held back by its likeness to those already chosen (so the page spans
    the uncertain region instead of repeating one corner of it)."""
    rows = [row for row in rescored(candidates, vectors, taste) if row[0].paper.id not in voted]
    doubt = {row[0].paper.id: -abs(float(logit(row[1]) - logit(threshold))) for row in rows}
    pool = sorted(rows, key=lambda row: (-doubt[row[0].paper.id], row[0].paper.id))[:TUNE_POOL]
    chosen: list[Row] = []
    while pool and len(chosen) < size:
        best = max(pool, key=lambda row: doubt[row[0].paper.id] - TUNE_DIVERSITY * likeness(row, chosen, vectors))
        chosen.append(best)
        pool.remove(best)
    return [explore_item(row) for row in chosen]


def likeness(row: Row, chosen: list[Row], vectors: Mapping[str, np.ndarray]) -> float:
    """The centred cosine to the closest paper already chosen (0 for the first)."""
    mine = vectors[row[0].paper.id]
    return max((float(mine @ vectors[other[0].paper.id]) for other in chosen), default=0.0)
