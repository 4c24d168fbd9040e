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
) -> Picked:
    """The reader's picks and explore items from their profiles' candidates."""
    scored = [(candidates, taste.scores(candidates)) for candidates in profiles]
    joined = [row for c, s in scored for row in best_rows(c, s, s >= thresholds[c.profile_id], delivered, limit)]
    picks = best_once(joined)[:limit]
    taken = delivered | {row[0].papers[row[1]].id for row in picks}
    return Picked([with_reason(row, taste) for row in picks], explore_section(scored, thresholds, explore, taken))


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
    """The `count` best eligible rows of one profile whose paper is not in `skip` (ties: by paper id)."""
    if count <= 0:
        return []
    index = np.flatnonzero(eligible).tolist()
    ids = np.array([candidates.papers[i].id for i in index], dtype=object)
    order = [index[k] for k in np.lexsort((ids, -scores[index]))] if index else []
    rows: list[Row] = []
    for i in order:
        if candidates.papers[i].id not in skip:
            rows.append((candidates, i, float(scores[i])))
            if len(rows) == count:
                break
    return rows


def best_once(rows: list[Row]) -> list[Row]:
    """Each paper once, under its best-scoring profile, best first (ties as `best_per_paper`: by paper id)."""
    best: dict[str, Row] = {}
    for row in rows:
        paper = row[0].papers[row[1]].id
        if paper not in best or row[2] > best[paper][2]:
            best[paper] = row
    return sorted(best.values(), key=lambda row: (-row[2], row[0].papers[row[1]].id))


def with_reason(row: Row, taste: ReaderTaste) -> Item:
    """A pick with the scorer's reason and what the votes did (a pair kept near the threshold has no reason
    of its own: it is a pick only because of the votes)."""
    candidates, i, score = row
    stored, note = candidates.reasons[i], taste_note(row, taste)
    why = "; ".join(part for part in (stored, note) if part) or "raised by your votes in this interest"
    paper = candidates.papers[i]
    return Item(paper, Assignment(paper.id, candidates.profile_id, score, why))


def explore_item(row: Row) -> Item:
    candidates, i, score = row
    paper = candidates.papers[i]
    return Item(paper, Assignment(paper.id, candidates.profile_id, score, candidates.reasons[i] or NEAR_REASON))


def taste_note(row: Row, taste: ReaderTaste) -> str:
    """What the reader's votes did to this pair, naming the liked papers that raised it most ("" if little)."""
    candidates, i, score = row
    if candidates.profile_id not in taste.models or candidates.vectors is None:
        return ""
    if score - float(candidates.scores[i]) < NOTICEABLE:
        return ""
    model, voted = taste.models[candidates.profile_id]
    pulls = model.pulls(candidates.vectors[i], voted.vectors)
    enough = max(0.05, 0.25 * float(pulls.max(initial=0.0)))
    raising = [k for k in np.argsort(-pulls) if pulls[k] >= enough and model.liked[k]]
    if not raising:
        return "raised by your votes in this interest"
    likes = "a paper" if len(raising) == 1 else f"{len(raising)} papers"
    return f"like {likes} you marked more like this: {quote(voted.titles[raising[0]])}"


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
