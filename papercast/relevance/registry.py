"""The scorers papercast knows, by the name `[classify] backend` gives them."""

from __future__ import annotations

from typing import Callable

from papercast.relevance.base import Scorer
from papercast.relevance.keywords import KeywordScorer


def hybrid_scorer(cache=None) -> Scorer:
    from papercast.relevance.embed import MiniLMOnnx  # loads onnxruntime: only when asked for
    from papercast.relevance.hybrid import HybridScorer

    return HybridScorer(MiniLMOnnx(), cache=cache)


# backend -> (name in the run report, factory taking the vector cache)
SCORERS: dict[str, tuple[str, Callable[..., Scorer]]] = {
    "keywords": (KeywordScorer.name, lambda cache=None: KeywordScorer()),
    "hybrid": ("hybrid-minilm", hybrid_scorer),
}


def make_scorer(settings, cache=None) -> Scorer:
    """The scorer the config asks for; `cache` (the store) keeps each paper's vector."""
    return SCORERS[settings.classify.backend][1](cache)


def backend_name(settings) -> str:
    """What the run report's `classifier` field says, without loading a model."""
    return SCORERS[settings.classify.backend][0]
