"""Readers who voted: their candidates scored afresh, moved by their votes, then their best picked.

The classify stage stores only the (paper, profile) pairs that reached the threshold, but a "more like
this" must be able to bring in a paper that fell just short of it. So for readers with votes the plan
stage rescores their candidates (the papers stored after their cursor, up to the classification
horizon) against the profiles they voted in, with the configured scorer: papers' vectors are cached
in the state, so this costs one scoring pass over the week's papers for all voters together, not one
per reader. A pair that was stored keeps its stored score and reason (so a paper unlike everything the
reader voted on is exactly where it would be without votes); the others take the fresh score.

Then `papercast.relevance.feedback.adjust` moves each score by the paper's likeness to the papers the
reader voted on in that profile (bench/RESULTS-feedback.md), a pair joins when its moved score reaches the
profile's threshold, and the reason gains a true note ("close to a paper you liked: '…'"). Profiles the
reader did not vote in, and readers without votes, are planned from the stored assignments as always.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import Item, best_per_paper
from papercast.newsletter.selection import RunSelection
from papercast.relevance.base import Score, Scorer
from papercast.relevance.embed import MiniLMOnnx, paper_vectors
from papercast.relevance.feedback import (
    DEFAULT_FEEDBACK,
    Adjusted,
    Vote,
    adjust,
    feedback_vectors,
    logit,
    sigmoid,
    with_note,
)
from papercast.relevance.registry import make_scorer
from papercast.settings import Reader, Settings
from papercast.store import Store
from papercast.store.records import VoteRecord

Pair = tuple[str, str]  # (paper id, profile id)
Bounds = tuple[np.ndarray, np.ndarray, np.ndarray]  # per paper: whether votes move it, its lowest and highest score
REACH_MARGIN = 0.001  # a pair this close under a bound still goes through `adjust` (its scores have 4 decimals)


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value (0 when there are fewer than k)."""
    return float(np.partition(values, -k)[-k]) if len(values) >= k else 0.0


class LazyMiniLM:
    """The embedder feedback compares papers with (the hybrid scorer's), loaded only if a vector is missing
    from the state's cache (the keyword backend caches none)."""

    name = MiniLMOnnx.name

    def __init__(self):
        self._model: MiniLMOnnx | None = None

    def model(self) -> MiniLMOnnx:
        if self._model is None:
            self._model = MiniLMOnnx()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.model().embed(texts)

    def embed_papers(self, papers: Sequence[StoredPaper]) -> np.ndarray:
        return self.model().embed_papers(papers)


@dataclass
class VotersWeek:
    """What every voter's picks are made from: the candidates, their scores and vectors, the voted papers."""

    papers: list[StoredPaper]
    stored: dict[str, list[tuple[StoredPaper, Assignment]]]  # per profile, best first: the stored assignments
    scores: dict[Pair, Score]  # fresh scores of the candidates in the profiles voted in
    vectors: dict[str, np.ndarray]  # candidates' and voted papers' vectors, as the cache keeps them
    thresholds: dict[str, float]
    titles: dict[str, str]  # voted papers' titles, for the notes

    def __post_init__(self):
        self.by_id = {paper.id: paper for paper in self.papers}
        self.seqs = np.array([paper.seq for paper in self.papers])
        # float32: the screen below only has to agree with `adjust` away from the floor (a pair within 1e-6
        # of it moves by under 1e-5, which the method's 4-decimal scores do not show)
        self.centred = (
            feedback_vectors(np.stack([self.vectors[p.id] for p in self.papers])).astype(np.float32)
            if self.papers
            else None
        )
        self.assigned = {(a.paper_id, pid): a for pid, rows in self.stored.items() for _, a in rows}
        self.stored_scores = {
            pid: np.array(
                [self.assigned[(p.id, pid)].score if (p.id, pid) in self.assigned else np.nan for p in self.papers]
            )
            for pid in self.stored
        }
        voted = {pid for _, pid in self.scores}
        self.base_scores = {pid: np.array([self.base((p.id, pid))[0] for p in self.papers]) for pid in voted}

    def base(self, pair: Pair) -> tuple[float, str | Callable[[], str]]:
        """A pair's score before votes: as stored, else as scored now (its reason read only if picked)."""
        if pair in self.assigned:
            return self.assigned[pair].score, self.assigned[pair].why
        score = self.scores[pair]
        return score.value, lambda: score.why

    def touched(
        self, votes: list[Vote], profiles: list[str], cursor: int, delivered: set[str], limit: int
    ) -> list[Pair]:
        """The reader's pairs that `adjust` must move to know their picks: those closer than the method's floor to
        a voted paper of their profile (any other keeps its score exactly: relevance/feedback.py) that could still
        be among their best `limit` papers at the largest rise their closest liked paper allows (and, below the
        threshold, reach it). The bounds come from the method's formula and weights; tests check that the picks
        are the same as with every pair moved."""
        if not self.papers:
            return []
        owed = (self.seqs > cursor) & np.array([paper.id not in delivered for paper in self.papers])
        bounds = {pid: self.bounds(pid, votes) for pid in dict.fromkeys(vote.profile_id for vote in votes)}
        cut = kth_largest(np.where(owed, self.sure_scores(profiles, bounds), 0.0), limit) - REACH_MARGIN
        pairs: list[Pair] = []
        for pid, (near, _, high) in bounds.items():
            stored = ~np.isnan(self.stored_scores.get(pid, np.full(len(near), np.nan)))
            could = near & owed & (high >= cut) & (stored | (high >= self.thresholds[pid] - REACH_MARGIN))
            pairs += [(self.papers[i].id, pid) for i in np.flatnonzero(could)]
        return pairs

    def bounds(self, profile_id: str, votes: list[Vote]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per paper, in one profile: whether a vote there can move it, and the lowest and highest score the votes
        can give it (the largest fall from its closest disliked paper, the largest rise from its closest liked)."""
        weights = DEFAULT_FEEDBACK
        liked = self.closest([v for v in votes if v.profile_id == profile_id and v.liked])
        disliked = self.closest([v for v in votes if v.profile_id == profile_id and not v.liked])
        near = (liked > weights.floor) | (disliked > weights.floor)
        base = self.base_scores[profile_id]
        high = sigmoid(logit(base) + weights.like * np.maximum(0.0, liked - weights.floor))
        low = sigmoid(logit(base) - weights.dislike * np.maximum(0.0, disliked - weights.floor))
        return near, np.where(near, low, base), np.where(near, high, base)

    def sure_scores(self, profiles: list[str], bounds: dict[str, Bounds]) -> np.ndarray:
        """Per paper, the score it has among the reader's picks whatever the votes do: its best row that stays
        (a stored assignment the votes cannot move, or a moved pair whose lowest score still reaches the
        threshold), 0 for none."""
        sure = np.zeros(len(self.papers))
        for pid in profiles:
            stored = np.nan_to_num(self.stored_scores.get(pid, np.zeros_like(sure)), nan=0.0)
            if pid in bounds:
                near, low, _ = bounds[pid]
                stored = np.where(near, np.where(low >= self.thresholds[pid], low, 0.0), stored)
            sure = np.maximum(sure, stored)
        return sure

    def stored_rows(
        self, profiles: list[str], cursor: int, delivered: set[str], left_out: set[Pair], limit: int
    ) -> list[tuple[StoredPaper, Assignment]]:
        """The reader's stored assignments that can be among their best `limit` papers: each profile's first
        `limit` they may still get, and any tied with the last of them (a row after those has `limit` papers
        scoring higher before it); `left_out` pairs are the ones the votes move, taken from `adjust`."""
        rows = []
        for profile_id in profiles:
            taken, last = 0, 0.0
            for paper, assignment in self.stored.get(profile_id, ()):
                if paper.seq <= cursor or paper.id in delivered or (paper.id, profile_id) in left_out:
                    continue
                if taken >= limit and assignment.score < last:
                    break
                rows.append((paper, assignment))
                taken, last = taken + 1, assignment.score
        return rows

    def closest(self, votes: list[Vote]) -> np.ndarray:
        """Each paper's centred cosine to the closest of these voted papers (-1 without any)."""
        known = [v.paper_id for v in votes if v.paper_id in self.vectors]
        if not known:
            return np.full(len(self.papers), -1.0)
        voted = feedback_vectors(np.stack([self.vectors[pid] for pid in known])).astype(np.float32)
        # numpy's own loop, not BLAS: OpenBLAS's threads, woken for each of many small products on a busy
        # machine, made this 10 ms a reader instead of 0.5
        centred: np.ndarray = self.centred if self.centred is not None else np.zeros((0, voted.shape[1]), np.float32)
        return np.einsum("kj,ij->ki", voted, centred, optimize=False).max(axis=0)


def voters_week(
    store: Store,
    settings: Settings,
    votes: dict[str, list[VoteRecord]],
    profiles: dict[str, list[str]],
    lowest: int,
    horizon: int,
    scorer_for: Callable[..., Scorer] = make_scorer,
) -> VotersWeek:
    """One scoring pass for all voters: the papers in (lowest cursor, horizon] against every voted profile."""
    papers = store.papers.papers_between(lowest, horizon)
    every = sorted({pid for ids in profiles.values() for pid in ids})
    voted = sorted({v.profile_id for email, mine in votes.items() for v in mine if v.profile_id in profiles[email]})
    stored: dict[str, list[tuple[StoredPaper, Assignment]]] = {}
    for paper, assignment in store.classification.assigned_since(every, lowest, horizon) if every else []:
        stored.setdefault(assignment.profile_id, []).append((paper, assignment))
    rows = (
        scorer_for(settings, cache=store.vectors).score(papers, [settings.profile(pid) for pid in voted])
        if papers and voted
        else []
    )
    scores = {  # no rows when no profile was voted in: then no scores
        (paper.id, pid): score
        for paper, row in zip(papers, rows, strict=False)
        for pid, score in zip(voted, row, strict=False)
    }
    voted_papers = store.papers.papers(sorted({v.paper_id for mine in votes.values() for v in mine}))
    everything = list({p.id: p for p in [*papers, *voted_papers.values()]}.values())
    vectors = dict(zip([p.id for p in everything], paper_vectors(LazyMiniLM(), everything, store.vectors), strict=True))
    thresholds = {pid: threshold(settings, pid) for pid in every}
    return VotersWeek(papers, stored, scores, vectors, thresholds, {pid: p.title for pid, p in voted_papers.items()})


def threshold(settings: Settings, profile_id: str) -> float:
    profile = settings.profile(profile_id)
    return profile.threshold if profile.threshold is not None else settings.classify.threshold


def voter_items(
    week: VotersWeek, reader: Reader, profiles: list[str], votes: list[VoteRecord], cursor: int, delivered: set[str]
) -> list[Item]:
    """The reader's best `max_papers`: the stored assignments of their profiles, with the pairs their votes
    move taken at their moved score (and kept if it reaches the threshold); each paper once, best first."""
    mine = [Vote(v.paper_id, v.profile_id, v.liked) for v in votes if v.profile_id in profiles]
    touched = week.touched(mine, profiles, cursor, delivered, reader.max_papers)
    base = {pair: week.base(pair) for pair in touched}
    moved = adjust({pair: value for pair, (value, _) in base.items()}, week.vectors, mine, week.titles)
    rows = week.stored_rows(profiles, cursor, delivered, set(touched), reader.max_papers)
    rows += [
        (week.by_id[paper_id], Assignment(paper_id, pid, moved[(paper_id, pid)].value, ""))
        for paper_id, pid in touched
        if moved[(paper_id, pid)].value >= week.thresholds[pid]
    ]
    rows.sort(key=lambda row: (-row[1].score, row[0].seq, row[1].profile_id))  # as the stored rows come (ties too)
    picked = best_per_paper(rows, delivered)[: reader.max_papers]
    return [with_reason(item, base, moved) for item in picked]


def with_reason(
    item: Item, base: dict[Pair, tuple[float, str | Callable[[], str]]], moved: dict[Pair, Adjusted]
) -> Item:
    """A picked item whose score the votes could move, with its reason: the scorer's, and what the votes did."""
    pair = (item.paper.id, item.assignment.profile_id)
    if pair not in moved:
        return item
    why = base[pair][1]
    return replace(
        item, assignment=replace(item.assignment, why=with_note(why if isinstance(why, str) else why(), moved[pair]))
    )


def voter_picks(
    store: Store,
    settings: Settings,
    selection: RunSelection,
    readers: list[Reader],
    cursors: dict[str, int],
    horizon: int,
    scorer_for: Callable[..., Scorer] = make_scorer,
) -> dict[str, list[Item]]:
    """Each reader-with-votes' items for a new issue; {} when none of `readers` voted (nothing is scored)."""
    votes = store.votes.votes_of([reader.email for reader in readers])
    voters = [reader for reader in readers if reader.email in votes]
    profiles = {reader.email: selection.reader_profiles(reader) for reader in voters}
    owed = [reader for reader in voters if cursors[reader.email] < horizon]
    if not owed:
        return {reader.email: [] for reader in voters}
    lowest = min(cursors[reader.email] for reader in owed)
    week = voters_week(store, settings, {r.email: votes[r.email] for r in owed}, profiles, lowest, horizon, scorer_for)
    return {
        reader.email: voter_items(
            week,
            reader,
            profiles[reader.email],
            votes[reader.email],
            cursors[reader.email],
            store.ledger.delivered(reader.email),
        )
        for reader in voters
    }
