"""The hybrid scorer: meaning (sentence embeddings) plus words (keywords, the description's words), one logistic model.

A logistic model turns the signals of `signals.py` into a score that the writer of the profile
wants the paper; a paper joins at 0.5 by default. Its weights were fitted once on 56 labelled
profiles of seven sets (the sample profiles and six sets of new users' profiles) plus shortened
variants of each, so that a profile of one sentence and three keywords and a profile of a
paragraph and fifteen keywords are judged alike, with the bias moved by +0.5 so that 0.5 sits
near the best F1 of a profile the weights never saw (`python bench/relevance.py --fit` refits and
prints them). The weights are the same for every profile, and no score depends on the other
papers of the week or on how they are chunked. Examples and counter-examples move the logit by
how close the paper is to them; an exclude term sets the score to 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from papercast.models import StoredPaper
from papercast.relevance import background, lexical, reference
from papercast.relevance.acronyms import spelled_out
from papercast.relevance.base import Score
from papercast.relevance.embed import DIM, Embedder, VectorCache, paper_vectors
from papercast.relevance.explain import PairFacts, reason
from papercast.relevance.signals import FEATURES, CompiledProfile, Signals, centred, compute, profile_text
from papercast.relevance.terms import TermMatcher
from papercast.settings import Profile


@dataclass(frozen=True)
class Weights:
    """Logit = bias + Σ weight·signal (in FEATURES order) + the example terms."""

    bias: float = -1.967
    topic: float = 2.0
    title_topic: float = 1.832
    keyword: float = 0.457
    title_keyword: float = 1.238
    rival_margin: float = 2.45
    title_mentions: float = 2.058
    abstract_mentions: float = 1.059
    title_words: float = 0.231
    abstract_words: float = 0.16
    crowding: float = -4.748
    example: float = 20.0  # per unit of similarity to the closest example above `example_floor`
    counter_example: float = 20.0
    example_floor: float = 0.5  # below this an example is unrelated and counts for nothing

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in FEATURES])


DEFAULT_WEIGHTS = Weights()


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x, -30.0, 30.0)))


class HybridScorer:
    """Scores papers × profiles; papers' vectors go through an optional cache (the store)."""

    name = "hybrid-minilm"
    acronyms = True  # keywords also found, and embedded, in their other forms (acronyms.py)

    def __init__(
        self,
        embedder: Embedder,
        cache: VectorCache | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        mean: np.ndarray | None = None,
    ):
        self.embedder = embedder
        self.cache = cache
        self.weights = weights
        self.mean = reference.mean_vector() if mean is None else mean
        self.corpus = lexical.shipped_corpus()
        self._background: np.ndarray | None = None
        self._compiled: dict[str, CompiledProfile] = {}

    def score(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> list[list[Score]]:
        targets = self.compile(profiles)
        signals = self.signals(papers, profiles)
        values = np.round(sigmoid(self.logits(signals)), 4).tolist()
        why = Reasons(signals, targets, papers, self.corpus).why
        rows = [[Score(value, partial(why, i, j)) for j, value in enumerate(row)] for i, row in enumerate(values)]
        for j, target in enumerate(targets):
            if target.excludes.terms:
                for paper, row in zip(papers, rows, strict=True):
                    row[j] = self.excluded(paper, target) or row[j]
        return rows

    def signals(self, papers: Sequence[StoredPaper], profiles: Sequence[Profile]) -> Signals:
        """Every signal of every (paper, profile), for scoring or for fitting the weights."""
        targets = self.compile(profiles)
        return compute(
            papers, paper_vectors(self.embedder, papers, self.cache), targets, self.background(), self.mean, self.corpus
        )

    def logits(self, signals: Signals) -> np.ndarray:
        w = self.weights
        value = w.bias + signals.values @ w.vector()
        value += w.example * np.maximum(0.0, signals.example - w.example_floor)
        value -= w.counter_example * np.maximum(0.0, signals.counter_example - w.example_floor)
        return value

    @staticmethod
    def excluded(paper: StoredPaper, target: CompiledProfile) -> Score | None:
        """A score of 0 when the paper mentions one of the profile's exclude terms."""
        term = target.excludes.first_match(paper.title, paper.abstract)
        return Score(0.0, f"excluded: mentions {term}") if term else None

    def background(self) -> np.ndarray:
        """The background topics' centred vectors, embedded once per scorer."""
        if self._background is None:
            self._background = centred(self.embedder.embed(list(background.TOPICS)), self.mean)
        return self._background

    def compile(self, profiles: Sequence[Profile]) -> list[CompiledProfile]:
        """The profiles' vectors and matchers, made once per scorer for each version of a profile;
        the texts of every profile not seen before are embedded together, each distinct text once."""
        keys = [profile_key(p) for p in profiles]
        new = list({key: p for key, p in zip(keys, profiles, strict=True) if key not in self._compiled}.items())
        texts = list(dict.fromkeys(t for _, p in new for t in self.profile_texts(p)))
        vectors = dict(zip(texts, self.embedder.embed(texts), strict=True)) if texts else {}
        for key, profile in new:
            self._compiled[key] = self._compile(profile, vectors)
        return [self._compiled[key] for key in keys]

    def _compile(self, profile: Profile, vectors: dict[str, np.ndarray]) -> CompiledProfile:
        def rows(texts: list[str]) -> np.ndarray:
            return np.array([vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), DIM)

        keywords = clean(profile.keywords)
        topic = centred(rows([profile_text(profile)]), self.mean)[0]
        to_topics = self.background() @ topic
        return CompiledProfile(
            profile,
            topic,
            centred(rows(self.keyword_texts(keywords)), self.mean),
            to_topics < background.RIVAL_BELOW,
            rows(profile.examples),
            rows(profile.counter_examples),
            TermMatcher(keywords, forms=self.acronyms),
            TermMatcher(profile.exclude),
            lexical.query(profile.description, self.corpus),
            background.crowding(to_topics),
        )

    def keyword_texts(self, keywords: list[str]) -> list[str]:
        """What is embedded for each keyword: an acronym with its spelled-out form ("VLM (vision-language model)")."""
        return [spelled_out(k) for k in keywords] if self.acronyms else keywords

    def profile_texts(self, profile: Profile) -> list[str]:
        """Every text of a profile that is embedded."""
        return [
            profile_text(profile),
            *self.keyword_texts(clean(profile.keywords)),
            *profile.examples,
            *profile.counter_examples,
        ]


def clean(terms: Sequence[str]) -> list[str]:
    return [t.strip() for t in terms if t.strip()]


def profile_key(profile: Profile) -> str:
    """A profile's identity for the compiled-profile cache: its whole content, whatever fields it has, so a
    profile that changes in any way (a field added to Profile included) is compiled afresh."""
    return f"{type(profile).__qualname__}:{profile.model_dump_json()}"


class Reasons:
    """The reasons of a batch, each built only when it is read (a run keeps few of its pairs)."""

    def __init__(
        self,
        signals: Signals,
        targets: Sequence[CompiledProfile],
        papers: Sequence[StoredPaper],
        corpus: lexical.Corpus,
    ):
        self.targets, self.papers, self.corpus = targets, papers, corpus
        self.words: dict[int, set[str]] = {}  # paper index -> its informative words, read once for all its reasons
        self.mentions = signals.mentions
        self.values = signals.values[..., [FEATURES.index(n) for n in ("keyword", "topic", "rival_margin")]]
        self.indices = np.stack(
            [signals.closest_keyword, signals.rival, signals.closest_example, signals.closest_counter_example], axis=-1
        )
        self.examples = np.stack([signals.example, signals.counter_example], axis=-1)

    def why(self, i: int, j: int) -> str:
        return reason(self.facts(i, j))

    def facts(self, i: int, j: int) -> PairFacts:
        """What the reason for one (paper, profile) may name."""
        target = self.targets[j]
        keyword_similarity, topic, margin = self.values[i, j].tolist()
        keyword, rival, example, counter = self.indices[i, j].tolist()
        example_similarity, counter_similarity = self.examples[i, j].tolist()
        profile = target.profile
        return PairFacts(
            evidence=target.terms.evidence_at(self.mentions, i),
            keyword=target.keyword_names[keyword] if keyword >= 0 else None,
            keyword_similarity=keyword_similarity,
            topic_similarity=topic,
            rival_margin=margin,
            rival=background.TOPICS[rival] if target.has_rivals else None,
            example=profile.examples[example] if example >= 0 else None,
            example_similarity=example_similarity,
            counter_example=profile.counter_examples[counter] if counter >= 0 else None,
            counter_similarity=counter_similarity,
            shared_words=tuple(lexical.shared_words(self.paper_words(i), profile.description, self.corpus)),
        )

    def paper_words(self, i: int) -> set[str]:
        if i not in self.words:
            self.words[i] = set(lexical.words(f"{self.papers[i].title} {self.papers[i].abstract}"))
        return self.words[i]
