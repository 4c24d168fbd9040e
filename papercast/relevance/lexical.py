"""The description's own words in the paper: BM25-style lexical evidence over the full title and abstract.

Keywords are matched as phrases (`terms.py`); this reads the profile's description as a bag of
informative words instead. Stop-words and the chatter of a profile ("I want to hear about") are
dropped, the rest are stemmed lightly, and each counts by its rarity (inverse document frequency)
in a shipped corpus of research papers (`corpus.py`: word -> how many of its papers use it;
`python bench/relevance.py --corpus` rewrites it). For each (paper, profile):

- `title_words`: the summed rarity of the description's words that the paper's title uses;
- `abstract_words`: the same over the whole abstract, each word's count saturated as in BM25
  (K1, B), so a word used five times counts little more than one used twice.

Only the `TOP` best-matching words count, so that a long description does not take more papers
than a short one of the same topic merely because it has more words to match.

Unlike the sentence embedding, which reads the first `embed.MAX_TOKENS` tokens, this reads the
whole abstract, and costs a few microseconds per paper. It depends on nothing but the paper, the
profile and the shipped table: not on the other papers of the week.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from papercast.models import StoredPaper

K1 = 1.2
B = 0.75
TOP = 4
TOKEN = re.compile(r"[a-z0-9]+")
SUFFIXES = (
    ("izations", "iz"),
    ("ization", "iz"),
    ("isation", "is"),
    ("ations", ""),
    ("ation", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", "er"),
    ("es", ""),
    ("ed", ""),
    ("s", ""),
    ("e", ""),
)
STOP = frozenset(
    """
a an the and or but if then else of in on at to for from by with without about into onto over under between through
during before after above below up down out off again further once here there when where why how all any both each few
more most other some such no nor not only own same so than too very can will just should now is are was were be been
being have has had do does did doing i me my we our us you your he she it its they them their this that these those what
which who whom whose am also eg etc ie via vs using use used based toward towards new want wants interested interest
like likes hear keep send show tell anything everything something stuff things thing really mostly especially
particularly mainly actually care work working works build building builds ship ships maybe less lot lots kind kinds
way ways get gets getting make makes making made let know see find try trying one two per well even still much many
ever every either neither whether while within upon among across around
""".split()  # noqa: SIM905 (the words read best as text)
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word without a common suffix ("curation" -> "cur", "filtering" -> "filter"); short words and numbers
    as they are."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, kept in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(kept) >= 3:
            return word[: len(word) - len(suffix)] + kept
    return word


def words(text: str) -> list[str]:
    """The informative words of a text, stemmed, in order (repeats kept)."""
    return [stem(token) for token in TOKEN.findall(text.lower()) if token not in STOP]


class Corpus:
    """Document frequencies of a corpus of papers: how rare (informative) each word is."""

    def __init__(self, documents: int, average_length: float, frequency: dict[str, int]):
        self.documents, self.average_length, self.frequency = documents, average_length, frequency

    @classmethod
    def shipped(cls) -> Corpus:
        from papercast.relevance import corpus

        pairs = corpus.FREQUENCY.split()
        return cls(
            corpus.DOCUMENTS, corpus.AVERAGE_LENGTH, {w: int(c) for w, c in zip(pairs[::2], pairs[1::2], strict=True)}
        )

    def idf(self, word: str) -> float:
        count = self.frequency.get(word, 0)
        return math.log(1 + (self.documents - count + 0.5) / (count + 0.5))


def query(description: str, corpus: Corpus) -> dict[str, float]:
    """The description's distinct informative words, each weighted by its rarity."""
    return {word: corpus.idf(word) for word in dict.fromkeys(words(description))}


class Bags:
    """The papers' title words and saturated abstract word counts over a vocabulary: (papers, words) matrices."""

    def __init__(self, papers: Sequence[StoredPaper], vocabulary: dict[str, int], corpus: Corpus):
        self.title = np.zeros((len(papers), len(vocabulary)))
        self.abstract = np.zeros((len(papers), len(vocabulary)))
        for i, paper in enumerate(papers):
            self.title[i, [vocabulary[w] for w in set(words(paper.title)) if w in vocabulary]] = 1.0
            found = words(paper.abstract)
            norm = K1 * (1 - B + B * len(found) / corpus.average_length)
            counts = Counter(w for w in found if w in vocabulary)
            for word, n in counts.items():
                self.abstract[i, vocabulary[word]] = n * (K1 + 1) / (n + norm)


def lexical_signals(papers: Sequence[StoredPaper], queries: Sequence[dict[str, float]], corpus: Corpus) -> np.ndarray:
    """(papers, profiles, 2): the rarity-weighted description words in each paper's title, and in its abstract."""
    vocabulary = {w: k for k, w in enumerate(dict.fromkeys(w for q in queries for w in q))}
    bags = Bags(papers, vocabulary, corpus)
    found = np.zeros((len(papers), len(queries), 2))
    for j, q in enumerate(queries):
        columns, weights = [vocabulary[w] for w in q], np.array(list(q.values()))
        for field, bag in enumerate((bags.title, bags.abstract)):
            found[:, j, field] = best_sum(bag[:, columns] * weights)
    return found


def best_sum(contributions: np.ndarray) -> np.ndarray:
    """Per row, the sum of its `TOP` largest values."""
    if contributions.shape[1] > TOP:
        contributions = np.partition(contributions, -TOP, axis=1)[:, -TOP:]
    return contributions.sum(axis=1)


INFORMATIVE = 2.0  # a shared word rarer than this (idf) is worth naming in a reason


def shared_words(used: set[str], description: str, corpus: Corpus, limit: int = 3) -> list[str]:
    """The description's informative words (as the description writes them) among a paper's `used` words
    (`words` of its title and abstract), rarest first."""
    found = {
        stem(t): t
        for t in TOKEN.findall(description.lower())
        if t not in STOP and stem(t) in used and corpus.idf(stem(t)) >= INFORMATIVE
    }
    return [found[w] for w in sorted(found, key=lambda w: -corpus.idf(w))][:limit]


@lru_cache(maxsize=1)
def shipped_corpus() -> Corpus:
    return Corpus.shipped()
