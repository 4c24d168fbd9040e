"""A short reason a reader understands, built from the signals behind a score."""

from __future__ import annotations

from dataclasses import dataclass

from papercast.relevance.terms import Evidence

CLOSE_KEYWORD = 0.45  # centred cosine at which a paper reads as being about a keyword
CLOSE_TOPIC = 0.35  # ... as close to the profile's description
CLOSE_EXAMPLE = 0.6  # plain cosine at which a paper reads as close to an example paper
MAX_TERMS = 3


@dataclass(frozen=True)
class PairFacts:
    """What is true of one (paper, profile) and may go into its reason."""

    evidence: Evidence
    keyword: str | None = None
    keyword_similarity: float = 0.0
    topic_similarity: float = 0.0
    rival: str | None = None
    rival_margin: float = 0.0
    example: str | None = None
    example_similarity: float = 0.0
    counter_example: str | None = None
    counter_similarity: float = 0.0
    shared_words: tuple[str, ...] = ()  # informative words of the description that the paper uses


def quote(text: str, limit: int = 60) -> str:
    return "'" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "'"


def listing(terms: list[str]) -> str:
    return ", ".join(terms[:MAX_TERMS]) + (" …" if len(terms) > MAX_TERMS else "")


def reason(facts: PairFacts) -> str:
    """E.g. "title mentions quantization; close to your example 'QLoRA'" or "closer to 'video generation'"."""
    parts = mentions(facts.evidence)
    if facts.example and facts.example_similarity >= CLOSE_EXAMPLE:
        parts.append(f"close to your example {quote(facts.example)}")
    if facts.counter_example and facts.counter_similarity >= CLOSE_EXAMPLE:
        parts.append(f"but close to your counter-example {quote(facts.counter_example)}")
    mentioned = facts.evidence.keywords | set(facts.evidence.in_title) | set(facts.evidence.in_abstract)
    if facts.keyword and facts.keyword_similarity >= CLOSE_KEYWORD and facts.keyword not in mentioned:
        parts.append(f"about {facts.keyword}")
    if facts.shared_words and not mentioned:
        parts.append("uses your description's words " + listing(list(facts.shared_words)))
    if facts.rival and facts.rival_margin < 0:
        parts.append(f"closer to {quote(facts.rival)}")
    if not parts:
        return (
            "close to the profile's description"
            if facts.topic_similarity >= CLOSE_TOPIC
            else "little in common with this profile"
        )
    return "; ".join(parts)


def mentions(evidence: Evidence) -> list[str]:
    parts = []
    if evidence.in_title:
        parts.append("title mentions " + listing(evidence.in_title))
    if evidence.in_abstract:
        parts.append("abstract mentions " + listing(evidence.in_abstract))
    return parts
