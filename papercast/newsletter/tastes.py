"""Readers' tastes from the state: each voter's model per profile, fitted from their votes and kept.

A (reader, profile) model is fitted from the reader's votes in that profile (papercast/relevance/taste.py):
the voted pairs' kept scores (papercast/relevance/classify.py keeps every pair from 0.05 up), the papers'
centred vectors (the vector cache; computed and cached if missing, e.g. under the keyword backend) and each
vote's age in weeks between its paper and the newest voted paper. The fit is kept in the state with the
fingerprint of its votes and reused while they are unchanged, so a week's plan refits only the readers who
voted since. A vote on a paper the state keeps no score or text for is left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from papercast.models import StoredPaper
from papercast.newsletter.reader_picks import ReaderTaste, Voted
from papercast.relevance.embed import MiniLMOnnx, paper_vectors
from papercast.relevance.taste import MAX_VOTES, Taste, centred_vectors, fit_taste, logit
from papercast.store import Store
from papercast.store.records import StoredTaste, VoteRecord

Key = tuple[str, str]  # (lower-cased address, profile id)


class LazyMiniLM:
    """The embedder whose vectors the tastes read, loaded only if a vector is missing from the state's cache."""

    name = MiniLMOnnx.name

    def __init__(self) -> None:
        self._model: MiniLMOnnx | None = None

    def model(self) -> MiniLMOnnx:
        if self._model is None:
            self._model = MiniLMOnnx()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.model().embed(texts)

    def embed_papers(self, papers: Sequence[StoredPaper]) -> np.ndarray:
        return self.model().embed_papers(papers)


class NotCached(LookupError):
    """A paper's vector is not in the state's cache, and the caller would rather not load the model."""


class CachedOnly(LazyMiniLM):
    """The same vectors, from the cache alone: asked to embed anything, it raises NotCached."""

    def model(self) -> MiniLMOnnx:
        raise NotCached("a vector is missing from the state's cache")


class ReadOnlyCache:
    """The state's vector cache for a page that only reads: missing vectors are computed, not kept."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def cached_vectors(self, model: str, text_hashes: dict[str, str]) -> dict[str, bytes]:
        return self.store.vectors.cached_vectors(model, text_hashes)

    def save_vectors(self, model: str, vectors: list[tuple[str, str, bytes]]) -> None:
        return None


def centred_of(
    store: Store, papers: Sequence[StoredPaper], embedder: LazyMiniLM | None = None, save: bool = True
) -> np.ndarray:
    """The papers' centred vectors, in order, from the cache (computed where missing, and cached unless not
    `save`)."""
    if not papers:
        return np.zeros((0, 384))
    cache = store.vectors if save else ReadOnlyCache(store)
    return centred_vectors(paper_vectors(embedder or LazyMiniLM(), papers, cache))


def fingerprint(votes: Sequence[VoteRecord]) -> str:
    """Changes whenever a vote of the set is added, removed or turned."""
    lines = sorted(f"{v.paper_id}:{int(v.liked)}" for v in votes)
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()[:16]


@dataclass
class VotesInState:
    """Everything the fits need about the voted papers, read once for all voters."""

    papers: dict[str, StoredPaper]
    scores: dict[tuple[str, str], float]
    vectors: dict[str, np.ndarray]

    @classmethod
    def read(
        cls, store: Store, votes: list[VoteRecord], embedder: LazyMiniLM | None = None, save: bool = True
    ) -> VotesInState:
        papers = store.papers.papers(sorted({v.paper_id for v in votes}))
        scores = store.classification.pair_scores(sorted({(v.paper_id, v.profile_id) for v in votes}))
        ordered = list(papers.values())
        vectors = dict(zip([p.id for p in ordered], centred_of(store, ordered, embedder, save), strict=True))
        return cls(papers, scores, vectors)

    def usable(self, votes: Sequence[VoteRecord]) -> list[VoteRecord]:
        """The votes a model can use: their paper is known, with a kept score; the newest MAX_VOTES."""
        kept = [v for v in votes if v.paper_id in self.papers and (v.paper_id, v.profile_id) in self.scores]
        return sorted(kept, key=lambda v: (self.papers[v.paper_id].seq, v.paper_id))[-MAX_VOTES:]

    def fit(self, votes: list[VoteRecord]) -> Taste:
        first_seen = np.array([self.papers[v.paper_id].first_seen.toordinal() for v in votes], dtype=float)
        ages = (first_seen.max() - first_seen) / 7.0
        priors = logit(np.array([self.scores[(v.paper_id, v.profile_id)] for v in votes]))
        vectors = np.stack([self.vectors[v.paper_id] for v in votes])
        return fit_taste([v.paper_id for v in votes], priors, vectors, np.array([v.liked for v in votes]), ages)

    def voted(self, taste: Taste) -> Voted:
        return Voted(
            tuple(self.papers[pid].title for pid in taste.paper_ids),
            np.stack([self.vectors[pid] for pid in taste.paper_ids]),
        )


def reader_tastes(
    store: Store, votes: dict[str, list[VoteRecord]], profiles: dict[str, list[str]], keep: bool = True
) -> dict[str, ReaderTaste]:
    """Each voter's models in the profiles they follow (`profiles`: email -> profile ids), kept fits reused;
    fresh fits are kept in the state unless `keep` is False (a page that only reads)."""
    by_key: dict[Key, list[VoteRecord]] = {}
    for email, mine in votes.items():
        for vote in mine:
            if vote.profile_id in profiles.get(email, ()):
                by_key.setdefault((email.lower(), vote.profile_id), []).append(vote)
    state = VotesInState.read(store, [v for mine in by_key.values() for v in mine], save=keep)
    kept = store.votes.tastes(list(by_key))
    models, fresh = fitted(state, by_key, kept)
    if keep and fresh:
        store.votes.save_tastes(fresh)
    tastes: dict[str, dict[str, tuple[Taste, Voted]]] = {}
    for (email, profile), taste in models.items():
        tastes.setdefault(email, {})[profile] = (taste, state.voted(taste))
    return {email: ReaderTaste(tastes.get(email.lower(), {})) for email in votes}


def fitted(
    state: VotesInState, by_key: dict[Key, list[VoteRecord]], kept: dict[Key, StoredTaste]
) -> tuple[dict[Key, Taste], list[StoredTaste]]:
    """A model per key: the kept one while its votes are unchanged, else a fresh fit (to keep)."""
    models: dict[Key, Taste] = {}
    fresh: list[StoredTaste] = []
    with threadpool_limits(limits=1, user_api="blas"):  # small solves: one thread is 10x faster than two here
        for key, mine in by_key.items():
            usable = state.usable(mine)
            if not usable:
                continue
            mark = fingerprint(usable)
            if key in kept and kept[key].fingerprint == mark:
                models[key] = from_stored(kept[key])
                continue
            models[key] = state.fit(usable)
            fresh.append(to_stored(key, mark, models[key]))
    return models, fresh


def to_stored(key: Key, mark: str, taste: Taste) -> StoredTaste:
    voted = tuple(zip(taste.paper_ids, taste.coefficients.tolist(), taste.liked, strict=True))
    return StoredTaste(key[0], key[1], mark, taste.bias, taste.weights.astype(np.float32).tobytes(), voted)


def from_stored(stored: StoredTaste) -> Taste:
    return Taste(
        stored.bias,
        np.frombuffer(stored.weights, dtype=np.float32),
        tuple(paper for paper, _, _ in stored.voted),
        np.array([coefficient for _, coefficient, _ in stored.voted]),
        tuple(liked for _, _, liked in stored.voted),
    )


def refresh_taste(store: Store, email: str, profile_id: str) -> bool:
    """Fit and keep one reader's taste in one profile after a vote, from cached vectors alone (the app calls
    it, so that the next plan finds it fitted); False, and nothing kept, when a vector is missing or no vote
    is usable: the plan stage fits it then."""
    mine = [v for v in store.votes.votes_of([email]).get(email, []) if v.profile_id == profile_id]
    try:
        state = VotesInState.read(store, mine, CachedOnly())
    except NotCached:
        return False
    usable = state.usable(mine)
    if not usable:
        return False
    with threadpool_limits(limits=1, user_api="blas"):
        taste = state.fit(usable)
    store.votes.save_tastes([to_stored((email.lower(), profile_id), fingerprint(usable), taste)])
    return True
