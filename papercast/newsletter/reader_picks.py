"""A reader's picks and the "close to your interests" section, from their profiles' scores and their taste.

Pure: the caller gathers each profile's candidates (papers, the profile's scores, the papers' centred
vectors) and the reader's taste models (papercast.relevance.taste); nothing here reads the store.

- A reader with votes in a profile takes its pairs at their own score, logit(score) + b + w·x; a pair joins
  at the profile's threshold as usual, and its reason gains what the votes did ("like 3 papers you marked
  more like this: '…'"). Each paper once, under the profile where it scored best, the best `limit` first.
- The explore section: per profile, up to its count of papers just below the threshold (the reader's own
  score, at least EXPLORE_FLOOR), neither picked nor delivered: the papers a "more like this" can bring in.
- The tune page: the papers nearest the reader's threshold, spread out by likeness (`tune_choice`).

Candidates come as arrays per profile, so that 10,000 readers of one week share one copy of them and a
reader costs a matrix-vector product per voted profile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import Item
from papercast.relevance.explain import quote
from papercast.relevance.taste import Taste, logit, sigmoid

EXPLORE = 3  # papers per profile in the explore section, by default
EXPLORE_FLOOR = 0.1  # a paper less likely than this is not "close to your interests"
NOTICEABLE = 0.05  # a score moved less than this by the votes gets no note
NEAR_REASON = "just below this interest's threshold"
TUNE_PAGE = 12  # papers on one visit of the tune page
TUNE_DIVERSITY = 3.0  # how much a paper like one already chosen is held back (per unit of centred cosine)
TUNE_POOL = 120  # the most uncertain papers the page chooses from


@dataclass(frozen=True)
class ProfileCandidates:
    """One profile's candidate papers in one window: the profile's scores, reasons ("" for a pair kept near
    the threshold) and, when a reader who voted there needs them, the papers' centred vectors."""

    profile_id: str
    papers: Sequence[StoredPaper]
    scores: np.ndarray
    reasons: Sequence[str]
    vectors: np.ndarray | None = None

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each paper's place in paper-id order: the tie-break of equal scores, as an integer."""
        ranks = np.empty(len(self.papers), dtype=np.int64)
        ranks[sorted(range(len(self.papers)), key=lambda i: self.papers[i].id)] = np.arange(len(self.papers))
        return ranks


@dataclass(frozen=True)
class Voted:
    """The papers a taste model was fitted on: their titles and centred vectors, in the model's order."""

    titles: tuple[str, ...]
    vectors: np.ndarray


@dataclass(frozen=True)
class ReaderTaste:
    """One reader's models, by profile (profiles without votes are absent)."""

    models: Mapping[str, tuple[Taste, Voted]]

    def scores(self, candidates: ProfileCandidates) -> np.ndarray:
        """The reader's scores of one profile's candidates (the profile's own without a model)."""
        if candidates.profile_id not in self.models or not len(candidates.scores) or candidates.vectors is None:
            return candidates.scores
        taste, _ = self.models[candidates.profile_id]
        return np.round(sigmoid(taste.logits(logit(candidates.scores), candidates.vectors)), 4)


def batch_scores(candidates: ProfileCandidates, tastes: Sequence[Taste]) -> np.ndarray:
    """(papers, readers): each reader's scores of one profile's candidates (what `ReaderTaste.scores` gives
    each of them), in one matrix product for all of them."""
    prior = logit(candidates.scores)[:, None]
    assert candidates.vectors is not None
    weights = np.stack([taste.weights for taste in tastes]).astype(np.float64)
    moved = prior + np.array([taste.bias for taste in tastes]) + candidates.vectors @ weights.T
    lowest = prior - np.array([taste.max_fall for taste in tastes])
    return np.round(sigmoid(np.maximum(moved, lowest)), 4)


NO_TASTE = ReaderTaste({})


@dataclass(frozen=True)
class Picked:
    picks: list[Item]
    explore: list[Item]


Row = tuple[ProfileCandidates, int, float]  # a profile's candidates, the paper's index there, the reader's score


def pick(
    profiles: Sequence[ProfileCandidates],
    taste: ReaderTaste,
    thresholds: Mapping[str, float],
    limit: int,
    explore: Mapping[str, int],
    delivered: set[str],
    given: Mapping[str, np.ndarray] | None = None,
) -> Picked:
    """The reader's picks and explore items from their profiles' candidates (`given`: the reader's scores of
    some profiles' candidates, already computed with others' by `batch_scores`)."""
    given = given or {}
    scored = [(c, given[c.profile_id] if c.profile_id in given else taste.scores(c)) for c in profiles]
    joined = [row for c, s in scored for row in best_rows(c, s, s >= thresholds[c.profile_id], delivered, limit)]
    picks = best_once(joined)[:limit]
    taken = delivered | {row[0].papers[row[1]].id for row in picks}
    return Picked(with_reasons(picks, taste), explore_section(scored, thresholds, explore, taken))


def explore_section(
    scored: Sequence[tuple[ProfileCandidates, np.ndarray]],
    thresholds: Mapping[str, float],
    counts: Mapping[str, int],
    taken: set[str],
) -> list[Item]:
    """Up to its count of papers of each profile just below its threshold (at least EXPLORE_FLOOR), not
    taken, each paper once, best first."""
    rows: list[Row] = []
    for candidates, scores in scored:
        below = (scores < thresholds[candidates.profile_id]) & (scores >= EXPLORE_FLOOR)
        seen = taken | {row[0].papers[row[1]].id for row in rows}
        rows += best_rows(candidates, scores, below, seen, counts.get(candidates.profile_id, 0))
    return [explore_item(row) for row in sorted(rows, key=lambda row: (-row[2], row[0].papers[row[1]].id))]


def best_rows(
    candidates: ProfileCandidates, scores: np.ndarray, eligible: np.ndarray, skip: set[str], count: int
) -> list[Row]:
    """The `count` best eligible rows of one profile whose paper is not in `skip` (ties: by paper id). Only the
    best few are sorted; more are taken while skipped papers leave the first ones short."""
    if count <= 0:
        return []
    index = np.flatnonzero(eligible)
    take = min(len(index), 2 * count + 8)
    while True:
        rows = [
            (candidates, i, float(scores[i]))
            for i in best_first(candidates, scores, index, take)
            if candidates.papers[i].id not in skip
        ]
        if len(rows) >= count or take >= len(index):
            return rows[:count]
        take = min(len(index), 4 * take)


def best_first(candidates: ProfileCandidates, scores: np.ndarray, index: np.ndarray, take: int) -> list[int]:
    """The `take` best of `index` by score (ties by paper id) in that order, and any tied with the last one."""
    if take < len(index):
        bar = np.partition(scores[index], len(index) - take)[len(index) - take]
        index = index[scores[index] >= bar]
    return index[np.lexsort((candidates.id_rank[index], -scores[index]))].tolist()


def best_once(rows: list[Row]) -> list[Row]:
    """Each paper once, under its best-scoring profile, best first (ties as `best_per_paper`: by paper id)."""
    best: dict[str, Row] = {}
    for row in rows:
        paper = row[0].papers[row[1]].id
        if paper not in best or row[2] > best[paper][2]:
            best[paper] = row
    return sorted(best.values(), key=lambda row: (-row[2], row[0].papers[row[1]].id))


def with_reasons(rows: list[Row], taste: ReaderTaste) -> list[Item]:
    """Picks with the scorer's reason and what the votes did (a pair kept near the threshold has no reason of
    its own: it is a pick only because of the votes)."""
    notes = taste_notes(rows, taste)
    items = []
    for (candidates, i, score), note in zip(rows, notes, strict=True):
        why = (
            "; ".join(part for part in (candidates.reasons[i], note) if part) or "raised by your votes in this interest"
        )
        paper = candidates.papers[i]
        items.append(Item(paper, Assignment(paper.id, candidates.profile_id, score, why)))
    return items


def explore_item(row: Row) -> Item:
    candidates, i, score = row
    paper = candidates.papers[i]
    return Item(paper, Assignment(paper.id, candidates.profile_id, score, candidates.reasons[i] or NEAR_REASON))


def taste_notes(rows: list[Row], taste: ReaderTaste) -> list[str]:
    """For each row, what the reader's votes did to it, naming the liked papers that raised it most ("" when
    the votes moved it by less than NOTICEABLE); each profile's pulls in one product."""
    notes = [""] * len(rows)
    raised = [
        k
        for k, (c, i, score) in enumerate(rows)
        if c.profile_id in taste.models and c.vectors is not None and score - float(c.scores[i]) >= NOTICEABLE
    ]
    for profile_id in dict.fromkeys(rows[k][0].profile_id for k in raised):
        mine = [k for k in raised if rows[k][0].profile_id == profile_id]
        model, voted = taste.models[profile_id]
        vectors = np.stack([rows[k][0].vectors[rows[k][1]] for k in mine])  # type: ignore[index]
        pulls = model.coefficients[:, None] * (voted.vectors @ vectors.T)
        for column, k in enumerate(mine):
            notes[k] = note_from(pulls[:, column], model.liked, voted.titles)
    return notes


def note_from(pulls: np.ndarray, liked: tuple[bool, ...], titles: tuple[str, ...]) -> str:
    enough = max(0.05, 0.25 * float(pulls.max(initial=0.0)))
    raising = [k for k in np.argsort(-pulls) if pulls[k] >= enough and liked[k]]
    if not raising:
        return "raised by your votes in this interest"
    likes = "a paper" if len(raising) == 1 else f"{len(raising)} papers"
    return f"like {likes} you marked more like this: {quote(titles[raising[0]])}"


def tune_choice(
    candidates: ProfileCandidates, taste: ReaderTaste, threshold: float, voted: set[str], size: int = TUNE_PAGE
) -> list[Item]:
    """The papers whose answer would teach the reader's model most: the closest to their threshold under
    their own scores, each next one held back by its likeness to those already chosen (so the page spans
    the uncertain region instead of repeating one corner of it). Needs the candidates' vectors."""
    scores = taste.scores(candidates)
    doubt = -np.abs(logit(scores) - logit(threshold))
    open_ = [i for i in range(len(scores)) if candidates.papers[i].id not in voted]
    pool = sorted(open_, key=lambda i: (-doubt[i], candidates.papers[i].id))[:TUNE_POOL]
    vectors = candidates.vectors if candidates.vectors is not None else np.zeros((len(scores), 1))
    chosen: list[int] = []
    while pool and len(chosen) < size:
        near = vectors[pool] @ vectors[chosen].T if chosen else np.zeros((len(pool), 1))
        best = pool[int(np.argmax(doubt[pool] - TUNE_DIVERSITY * near.max(axis=1)))]
        chosen.append(best)
        pool.remove(best)
    return [explore_item((candidates, i, float(scores[i]))) for i in chosen]
