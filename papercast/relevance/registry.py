"""The scorers papercast knows, by the name `[classify] backend` gives them.

Config validation (papercast/config.py), the classify and plan stages and the run report read this table;
adding a scorer is one module with a class that meets `relevance.base.Scorer` and one line here
(docs/extending.md). Every scorer shares the `[classify]` section: its `backend` and `threshold`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from papercast.relevance.base import Scorer
from papercast.relevance.embed import VectorCache
from papercast.relevance.keywords import KeywordScorer
from papercast.settings import Settings


@dataclass(frozen=True)
class ScorerKind:
    """A scorer: the backend name the config gives it, what the run report calls it (`classifier`), and how
    to make one, given the vector cache (the store) to keep papers' vectors in."""

    backend: str
    report_name: str
    make: Callable[[VectorCache | None], Scorer]


def keyword_scorer(cache: VectorCache | None = None) -> Scorer:
    return KeywordScorer()


def hybrid_scorer(cache: VectorCache | None = None) -> Scorer:
    from papercast.relevance.embed import MiniLMOnnx  # loads onnxruntime: only when asked for
    from papercast.relevance.hybrid import HybridScorer

    return HybridScorer(MiniLMOnnx(), cache=cache)


SCORERS: dict[str, ScorerKind] = {
    kind.backend: kind
    for kind in (
        ScorerKind("keywords", KeywordScorer.name, keyword_scorer),  # field-weighted keywords: the lexical baseline
        ScorerKind("hybrid", "hybrid-minilm", hybrid_scorer),  # MiniLM sentence embeddings + keyword evidence
    )
}


def make_scorer(settings: Settings, cache: VectorCache | None = None) -> Scorer:
    """The scorer the config asks for; `cache` (the store) keeps each paper's vector."""
    return SCORERS[settings.classify.backend].make(cache)


def backend_name(settings: Settings) -> str:
    """What the run report's `classifier` field says, without loading a model."""
    return SCORERS[settings.classify.backend].report_name
