"""The feedback method papercast shipped until the taste model replaced it (bench/RESULTS-learning.md):
kept here so bench/feedback.py can replay how it was chosen. Its original description follows.

A reader's votes move that reader's scores: a paper rises with its likeness to a paper they liked.

A reader votes "more like this" or "not for me" on a paper of their newsletter, within one of
their profiles. Before their next issue is picked, each (paper, profile) score of theirs is moved
in logit space by the paper's likeness to the closest paper they voted on in that profile:

    logit' = logit(base) + 4 · max(0, cos to the closest liked paper − 0.2)
                         − 2 · max(0, cos to the closest disliked paper − 0.2)

with cosines between the papers' MiniLM vectors centred on a typical paper (`reference.py`, as the
scorer compares them), so that what every paper shares counts for nothing. The method and its
constants were chosen by `bench/feedback.py` (bench/RESULTS-feedback.md). Only that reader, and only
the profile a vote was cast in, moves; a paper unlike every voted paper (cosine at most 0.2) keeps
its score exactly, as does a score of 0 (an excluded paper); a reader with no votes gets exactly
the base scores.

The core API (pure: no store, no Prefect, no model; the caller supplies everything):

- `Vote(paper_id, profile_id, liked)`: one vote; a later vote on the same (profile, paper) wins.
- `adjust(base, vectors, votes, titles)` → `{(paper_id, profile_id): Adjusted(value, note)}`:
  `base` holds the scorer's scores of the reader's candidates, `vectors` each candidate's and each
  voted paper's vector as `embed.paper_vectors` gives it (a (2, DIM) row, whole text first, as
  the store's `paper_vectors` cache keeps it, or just the whole-text (DIM,) vector); `titles`
  names the voted papers for the note. A vote whose paper has no vector is skipped, and a
  candidate without one keeps its score.
- `Adjusted.note`: "" when the votes moved the score by less than NOTICEABLE, else a true reason
  to add to the scorer's, naming the voted paper that moved it most: "close to a paper you liked:
  '<title>'" (centred cosine of at least CLOSE), "raised by its likeness to a paper you liked: …",
  "lowered by its likeness to a paper you marked not for me: …"; `with_note(why, adjusted)` joins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from papercast.relevance import reference

Pair = tuple[str, str]  # (paper id, profile id)
CLOSE = 0.5  # centred cosine at which a paper reads as "close to" a voted one
NOTICEABLE = 0.05  # a score moved less than this gets no note


@dataclass(frozen=True)
class Vote:
    paper_id: str
    profile_id: str
    liked: bool


@dataclass(frozen=True)
class FeedbackWeights:
    """Logit per unit of centred cosine to the closest liked / disliked paper, counted above `floor`."""

    like: float = 4.0
    dislike: float = 2.0
    floor: float = 0.2


DEFAULT_FEEDBACK = FeedbackWeights()


@dataclass(frozen=True)
class Adjusted:
    value: float
    note: str = ""


@dataclass
class Neighbours:
    """The voted papers of one profile: their centred vectors and ids, liked and disliked apart."""

    liked: np.ndarray
    liked_ids: list[str]
    disliked: np.ndarray
    disliked_ids: list[str]


def adjust(
    base: Mapping[Pair, float],
    vectors: Mapping[str, np.ndarray],
    votes: Sequence[Vote],
    titles: Mapping[str, str] | None = None,
    weights: FeedbackWeights = DEFAULT_FEEDBACK,
) -> dict[Pair, Adjusted]:
    """Every pair of `base` with its score moved by the reader's votes in that pair's profile."""
    out = {pair: Adjusted(value) for pair, value in base.items()}
    by_profile = neighbours(latest(votes), vectors)
    for profile_id, near in by_profile.items():
        pairs = [pair for pair in base if pair[1] == profile_id and pair[0] in vectors]
        if pairs:
            out.update(adjust_profile(pairs, base, vectors, near, titles or {}, weights))
    return out


def latest(votes: Iterable[Vote]) -> list[Vote]:
    """One vote per (profile, paper): the last one given."""
    return list({(v.profile_id, v.paper_id): v for v in votes}.values())


def neighbours(votes: Sequence[Vote], vectors: Mapping[str, np.ndarray]) -> dict[str, Neighbours]:
    found: dict[str, Neighbours] = {}
    for profile_id in dict.fromkeys(v.profile_id for v in votes):
        mine = [v for v in votes if v.profile_id == profile_id and v.paper_id in vectors]
        liked = [v.paper_id for v in mine if v.liked]
        disliked = [v.paper_id for v in mine if not v.liked]
        if mine:
            found[profile_id] = Neighbours(centred(vectors, liked), liked, centred(vectors, disliked), disliked)
    return found


def feedback_vectors(vectors: np.ndarray) -> np.ndarray:
    """What votes compare: whole-text MiniLM vectors ((n, 2, DIM) as stored, or (n, DIM)), centred on
    the typical paper, unit length."""
    whole = np.asarray(vectors, dtype=np.float64)
    whole = whole[:, 0] if whole.ndim == 3 else whole
    whole = whole - reference.mean_vector()
    return whole / np.maximum(np.linalg.norm(whole, axis=1, keepdims=True), 1e-12)


def centred(vectors: Mapping[str, np.ndarray], ids: Sequence[str]) -> np.ndarray:
    if not ids:
        return np.zeros((0, len(reference.MEAN)))
    return feedback_vectors(np.stack([np.asarray(vectors[pid]) for pid in ids]))


def adjust_profile(
    pairs: list[Pair],
    base: Mapping[Pair, float],
    vectors: Mapping[str, np.ndarray],
    near: Neighbours,
    titles: Mapping[str, str],
    weights: FeedbackWeights,
) -> dict[Pair, Adjusted]:
    """The pairs of one profile, moved by that profile's votes."""
    papers = centred(vectors, [paper_id for paper_id, _ in pairs])
    up = Pull.of(papers, near.liked, near.liked_ids, weights.like, weights.floor)
    down = Pull.of(papers, near.disliked, near.disliked_ids, weights.dislike, weights.floor)
    values = np.array([base[pair] for pair in pairs])
    change = up.change - down.change
    moved = np.where((values <= 0) | (change == 0), values, np.round(sigmoid(logit(values) + change), 4))
    return {
        pair: Adjusted(float(moved[i]), note(float(moved[i] - values[i]), up, down, i, titles))
        for i, pair in enumerate(pairs)
    }


@dataclass
class Pull:
    """Each paper's logit change from its closest voted paper of one kind, that paper and their cosine."""

    change: np.ndarray
    closest: list[str | None]
    similarity: np.ndarray

    @classmethod
    def of(cls, papers: np.ndarray, voted: np.ndarray, ids: list[str], weight: float, floor: float) -> Pull:
        if not len(voted):
            return cls(np.zeros(len(papers)), [None] * len(papers), np.zeros(len(papers)))
        similarities = papers @ voted.T
        at = similarities.argmax(axis=1)
        best = similarities[np.arange(len(papers)), at]
        return cls(weight * np.maximum(0.0, best - floor), [ids[i] for i in at], best)


def note(moved: float, up: Pull, down: Pull, i: int, titles: Mapping[str, str]) -> str:
    """A true reason for a move of at least NOTICEABLE, naming the voted paper that made most of it."""
    if abs(moved) < NOTICEABLE:
        return ""
    if up.change[i] >= down.change[i]:
        verb = "close to" if up.similarity[i] >= CLOSE else "raised by its likeness to"
        return f"{verb} a paper you liked{named(titles.get(up.closest[i] or ''))}"
    verb = "close to" if down.similarity[i] >= CLOSE else "lowered by its likeness to"
    return f"{verb} a paper you marked not for me{named(titles.get(down.closest[i] or ''))}"


def named(title: str | None, limit: int = 60) -> str:
    if not title:
        return ""
    return ": '" + (title if len(title) <= limit else title[: limit - 1].rstrip() + "…") + "'"


def with_note(why: str, adjusted: Adjusted) -> str:
    """The scorer's reason with the votes' note after it."""
    return f"{why}; {adjusted.note}" if adjusted.note and why else (adjusted.note or why)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x, -30.0, 30.0)))
