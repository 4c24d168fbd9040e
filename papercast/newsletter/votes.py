"""Readers who voted: their candidates scored afresh, moved by their votes, then their best picked.

The classify stage stores only the (paper, profile) pairs that reached the threshold, but a "more like
this" must be able to bring in a paper that fell just short of it. So for readers with votes the plan
stage rescores their candidates (the papers stored after their cursor, up to the classification
horizon) against the profiles they voted in, with the configured scorer: papers' vectors are cached
in the state, so this costs one scoring pass over the week's papers for all voters together, not one
per reader. A pair that was stored keeps its stored score and reason (so a paper unlike everything the
reader voted on is exactly where it would be without votes); the others take the fresh score.

Then `papercast.relevance.feedback.adjust` moves each score by the paper's likeness to the papers the
reader voted on in that profile (docs/feedback-method.md), a pair joins when its moved score reaches the
profile's threshold, and the reason gains a true note ("close to a paper you liked: '…'"). Profiles the
reader did not vote in, and readers without votes, are planned from the stored assignments as always.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from papercast.config import Reader, Settings
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import Item, best_per_paper
from papercast.newsletter.selection import RunSelection
from papercast.relevance.base import Score, Scorer
from papercast.relevance.embed import MiniLMOnnx, paper_vectors
from papercast.relevance.feedback import Adjusted, Vote, adjust, with_note
from papercast.relevance.registry import make_scorer
from papercast.store import Store
from papercast.store.records import VoteRecord

Pair = tuple[str, str]  # (paper id, profile id)


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
    stored: dict[Pair, Assignment]  # assignments of the candidates to the voters' profiles
    scores: dict[Pair, Score]  # fresh scores of the candidates in the profiles voted in
    vectors: dict[str, np.ndarray]
    titles: dict[str, str]  # voted papers' titles, for the notes

    def base(self, pair: Pair) -> tuple[float, str | Callable[[], str]]:
        """A pair's score before votes: as stored, else as scored now (its reason read only if picked)."""
        if pair in self.stored:
            return self.stored[pair].score, self.stored[pair].why
        score = self.scores[pair]
        return score.value, lambda: score.why


def voters_week(store: Store, settings: Settings, votes: dict[str, list[VoteRecord]], profiles: dict[str, list[str]],
                lowest: int, horizon: int, scorer_for: Callable[..., Scorer] = make_scorer) -> VotersWeek:
    """One scoring pass for all voters: the papers in (lowest cursor, horizon] against every voted profile."""
    papers = store.papers_between(lowest, horizon)
    every = sorted({pid for ids in profiles.values() for pid in ids})
    voted = sorted({v.profile_id for email, mine in votes.items() for v in mine if v.profile_id in profiles[email]})
    stored = {(a.paper_id, a.profile_id): a for _, a in store.assigned_since(every, lowest, horizon)} if every else {}
    rows = scorer_for(settings, cache=store).score(papers, [settings.profile(pid) for pid in voted]) \
        if papers and voted else []
    scores = {(paper.id, pid): score for paper, row in zip(papers, rows) for pid, score in zip(voted, row)}
    voted_papers = store.papers(sorted({v.paper_id for mine in votes.values() for v in mine}))
    everything = list({p.id: p for p in [*papers, *voted_papers.values()]}.values())
    vectors = dict(zip([p.id for p in everything], paper_vectors(LazyMiniLM(), everything, store)))
    return VotersWeek(papers, stored, scores, vectors, {pid: p.title for pid, p in voted_papers.items()})


def threshold(settings: Settings, profile_id: str) -> float:
    profile = settings.profile(profile_id)
    return profile.threshold if profile.threshold is not None else settings.classify.threshold


def voter_items(week: VotersWeek, settings: Settings, reader: Reader, profiles: list[str], votes: list[VoteRecord],
                cursor: int, delivered: set[str]) -> list[Item]:
    """The reader's best `max_papers`: stored assignments in the profiles they did not vote in, scores moved
    by their votes in those they did; each paper once, under its best profile."""
    mine = [Vote(v.paper_id, v.profile_id, v.liked) for v in votes if v.profile_id in profiles]
    voted = {v.profile_id for v in mine}
    candidates = [p for p in week.papers if p.seq > cursor and p.id not in delivered]
    base = {(p.id, pid): week.base((p.id, pid)) for p in candidates for pid in voted}
    moved = adjust({pair: value for pair, (value, _) in base.items()}, week.vectors, mine, week.titles)
    rows = [(p, week.stored[(p.id, pid)]) for p in candidates for pid in profiles
            if pid not in voted and (p.id, pid) in week.stored]
    rows += [(p, Assignment(p.id, pid, moved[(p.id, pid)].value, ""))
             for p in candidates for pid in voted if moved[(p.id, pid)].value >= threshold(settings, pid)]
    picked = best_per_paper(rows, delivered)[:reader.max_papers]
    return [with_reason(item, base, moved) for item in picked]


def with_reason(item: Item, base: dict[Pair, tuple[float, str | Callable[[], str]]],
                moved: dict[Pair, Adjusted]) -> Item:
    """A picked item of a voted profile with its reason: the scorer's, and what the votes did."""
    pair = (item.paper.id, item.assignment.profile_id)
    if pair not in moved:
        return item
    why = base[pair][1]
    return replace(item, assignment=replace(item.assignment, why=with_note(why if isinstance(why, str) else why(),
                                                                            moved[pair])))


def voter_picks(store: Store, settings: Settings, selection: RunSelection, readers: list[Reader],
                cursors: dict[str, int], horizon: int, scorer_for: Callable[..., Scorer] = make_scorer
                ) -> dict[str, list[Item]]:
    """Each reader-with-votes' items for a new issue; {} when none of `readers` voted (nothing is scored)."""
    votes = store.votes_of([reader.email for reader in readers])
    voters = [reader for reader in readers if reader.email in votes]
    profiles = {reader.email: selection.reader_profiles(reader) for reader in voters}
    owed = [reader for reader in voters if cursors[reader.email] < horizon]
    if not owed:
        return {reader.email: [] for reader in voters}
    lowest = min(cursors[reader.email] for reader in owed)
    week = voters_week(store, settings, {r.email: votes[r.email] for r in owed}, profiles, lowest, horizon, scorer_for)
    return {reader.email: voter_items(week, settings, reader, profiles[reader.email], votes[reader.email],
                                      cursors[reader.email], store.delivered(reader.email))
            for reader in voters}
