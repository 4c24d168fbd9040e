"""The hybrid scorer: meaning (sentence embeddings) plus words (field-weighted terms).

For each (paper, profile) a logistic model turns four signals into a probability that a
careful reader of the profile wants the paper:

- `topic`: cosine similarity of the paper (title + abstract) to the profile's title + description;
- `keyword`: the best cosine similarity of the paper to any one of the profile's keywords;
- `title_keyword`: the same for the title alone (a title says what a paper is about);
- `title`: how many keywords the title mentions (at most 2);
- `abstract`: keyword mentions in the abstract only (at most 3).

The weights were fitted once on the development half of the hand-labelled set
(`python bench/relevance.py --fit`) and are the same for every profile, so a new profile
needs no tuning. Each score depends only on the paper and the profile, never on the
rest of the week, so 0.5 means the same in a week of 60 papers and of 600.
Examples and counter-examples move the logit by how close the paper is to them;
an exclude term sets the score to 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from papercast.config import Profile
from papercast.models import StoredPaper
from papercast.relevance.base import Score
from papercast.relevance.embed import Embedder, VectorCache, embed_with_cache
from papercast.relevance.explain import reason
from papercast.relevance.terms import Evidence, TermMatcher


@dataclass(frozen=True)
class Weights:
    """Logit = bias + topic·sim + keyword·sim + title·count + abstract·count (+ example terms)."""

    bias: float = -9.21
    topic: float = 5.35
    keyword: float = 0.64
    title_keyword: float = 10.13
    title: float = 3.14
    abstract: float = 1.22
    example: float = 20.0       # per unit of similarity to the closest example above `example_floor`
    counter_example: float = 20.0
    example_floor: float = 0.5  # below this an example is unrelated and counts for nothing


DEFAULT_WEIGHTS = Weights()


@dataclass
class ProfileVectors:
    """A profile, compiled: its vectors and term matchers."""

    profile: Profile
    topic: np.ndarray
    keywords: np.ndarray
    examples: np.ndarray
    counter_examples: np.ndarray
    terms: TermMatcher
    excludes: TermMatcher


@dataclass(frozen=True)
class Signals:
    """Everything the decision and its reason rest on, for one (paper, profile)."""

    topic: float
    keyword: float
    closest_keyword: str | None
    title_keyword: float
    evidence: Evidence
    example: float = 0.0
    closest_example: str | None = None
    counter_example: float = 0.0
    closest_counter_example: str | None = None


def paper_text(paper: StoredPaper) -> str:
    return f"{paper.title}. {paper.abstract}".strip()


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, x))))


class HybridScorer:
    """Scores papers × profiles; vectors of papers go through an optional cache (the store)."""

    name = "hybrid-minilm"

    def __init__(self, embedder: Embedder, cache: VectorCache | None = None,
                 weights: Weights = DEFAULT_WEIGHTS):
        self.embedder = embedder
        self.cache = cache
        self.weights = weights

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list]:
        compiled = [self.compile(profile) for profile in profiles]
        vectors, titles = self.paper_vectors(papers)
        rows = []
        for paper in papers:
            row = []
            for target in compiled:
                value, why = self.score_one(paper, (vectors[paper.id], titles[paper.id]), target)
                row.append(Score(value, why))
            rows.append(row)
        return rows

    def paper_vectors(self, papers: Sequence[StoredPaper]) -> tuple[dict, dict]:
        """Each paper's vector (title + abstract) and its title's vector, cached by paper id."""
        whole = embed_with_cache(self.embedder, {p.id: paper_text(p) for p in papers}, self.cache)
        titles = embed_with_cache(self.embedder, {p.id: p.title for p in papers}, self.cache, part="title")
        return whole, titles

    def compile(self, profile: Profile) -> ProfileVectors:
        embed = self.embedder.embed
        topic = embed([f"{profile.title}: {profile.description}".strip(" :")])[0]
        keywords = [k for k in profile.keywords if k.strip()]
        return ProfileVectors(profile, topic, embed(keywords), embed(profile.examples),
                              embed(profile.counter_examples), TermMatcher(keywords), TermMatcher(profile.exclude))

    def score_one(self, paper: StoredPaper, vectors: tuple[np.ndarray, np.ndarray],
                  target: ProfileVectors) -> tuple[float, str]:
        excluded = target.excludes.first_match(paper.title, paper.abstract)
        if excluded:
            return 0.0, f"excluded: mentions {excluded}"
        signals = self.signals(paper, vectors, target)
        return round(sigmoid(self.logit(signals)), 4), reason(signals)

    def signals(self, paper: StoredPaper, vectors: tuple[np.ndarray, np.ndarray], target: ProfileVectors) -> Signals:
        vector, title_vector = vectors
        topic = float(target.topic @ vector)
        keyword, closest = closest_to(vector, target.keywords, target.terms.names)
        title_keyword = closest_to(title_vector, target.keywords, target.terms.names)[0] if closest else topic
        example, closest_example = closest_to(vector, target.examples, target.profile.examples)
        counter, closest_counter = closest_to(vector, target.counter_examples, target.profile.counter_examples)
        return Signals(topic, keyword if closest else topic, closest, title_keyword,
                       target.terms.evidence(paper.title, paper.abstract),
                       example, closest_example, counter, closest_counter)

    def logit(self, s: Signals) -> float:
        w = self.weights
        value = (w.bias + w.topic * s.topic + w.keyword * s.keyword + w.title_keyword * s.title_keyword
                 + w.title * s.evidence.title_count + w.abstract * s.evidence.abstract_count)
        value += w.example * max(0.0, s.example - w.example_floor)
        value -= w.counter_example * max(0.0, s.counter_example - w.example_floor)
        return value


def closest_to(vector: np.ndarray, candidates: np.ndarray, names: Sequence[str]) -> tuple[float, str | None]:
    """The best cosine similarity to any candidate, and that candidate's name."""
    if len(names) == 0 or candidates.shape[0] == 0:
        return 0.0, None
    similarities = candidates @ vector
    best = int(np.argmax(similarities))
    return float(similarities[best]), names[best]
