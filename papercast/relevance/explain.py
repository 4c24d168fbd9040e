"""A short reason a reader understands, built from the signals behind a score."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papercast.relevance.hybrid import Signals

CLOSE_TOPIC = 0.35      # cosine similarity at which a paper reads as close to a keyword
CLOSE_EXAMPLE = 0.6     # ... and to an example paper
MAX_TERMS = 3


def quote(text: str, limit: int = 60) -> str:
    return "'" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "'"


def listing(terms: list[str]) -> str:
    return ", ".join(terms[:MAX_TERMS]) + (" …" if len(terms) > MAX_TERMS else "")


def reason(signals: "Signals") -> str:
    """E.g. "title mentions quantization; close to your example 'QLoRA'"."""
    parts = []
    if signals.evidence.in_title:
        parts.append("title mentions " + listing(signals.evidence.in_title))
    if signals.evidence.in_abstract:
        parts.append("abstract mentions " + listing(signals.evidence.in_abstract))
    if signals.closest_example and signals.example >= CLOSE_EXAMPLE:
        parts.append(f"close to your example {quote(signals.closest_example)}")
    if signals.closest_counter_example and signals.counter_example >= CLOSE_EXAMPLE:
        parts.append(f"but close to your counter-example {quote(signals.closest_counter_example)}")
    mentioned = set(signals.evidence.in_title) | set(signals.evidence.in_abstract)
    if signals.closest_keyword and signals.keyword >= CLOSE_TOPIC and signals.closest_keyword not in mentioned:
        parts.append(f"about {signals.closest_keyword}")
    return "; ".join(parts) if parts else "close to the profile's description" if signals.topic >= CLOSE_TOPIC \
        else "little in common with this profile"
