"""Lexical evidence: where a profile's terms occur in a paper, weighted by field.

A term matches whole words, case-insensitively; hyphens and spaces inside a term
match either (or nothing: "fine-tuning" finds "finetuning"), and a long last word
matches its inflections ("quantization" finds "quantized", "quantizing").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# suffix -> what stays of it; the stem then matches any ending ("quantiz" -> quantized, quantization)
SUFFIXES = (("ization", "iz"), ("isation", "is"), ("ation", ""), ("ing", ""), ("ies", ""), ("ed", ""),
            ("es", ""), ("s", ""), ("e", ""))
MIN_STEM = 4
TITLE_CAP = 2
ABSTRACT_CAP = 3


def stem(word: str, min_length: int = MIN_STEM) -> str | None:
    """The word without a common suffix, or None when too short to stem safely."""
    lowered = word.lower()
    for suffix, kept in SUFFIXES:
        root = lowered[: len(lowered) - len(suffix)] + kept
        if lowered.endswith(suffix) and len(root) >= min_length:
            return re.escape(root)
    return None


def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern for a term, tolerant of hyphens and inflection."""
    parts = [part for part in re.split(r"[\s-]+", term.strip()) if part]
    if not parts:
        raise ValueError("empty term")
    head = [re.escape(part) for part in parts[:-1]]
    last_stem = stem(parts[-1], MIN_STEM - (len(parts) > 1)) if parts[-1].isalpha() else None
    last = last_stem + r"\w*" if last_stem else re.escape(parts[-1]) + "s?"
    return re.compile(r"(?<![\w])" + r"[\s-]?".join(head + [last]) + r"(?![\w])", re.IGNORECASE)


@dataclass
class Evidence:
    """Which terms a paper's title and abstract mention, and how often."""

    in_title: list[str] = field(default_factory=list)
    in_abstract: list[str] = field(default_factory=list)
    abstract_hits: int = 0

    @property
    def title_count(self) -> int:
        return min(len(self.in_title), TITLE_CAP)

    @property
    def abstract_count(self) -> int:
        return min(self.abstract_hits, ABSTRACT_CAP)


class TermMatcher:
    """A profile's keywords (or excludes) compiled once, matched against many papers."""

    def __init__(self, terms: list[str]):
        self.terms = [(term, term_pattern(term)) for term in dict.fromkeys(t.strip() for t in terms) if term]

    def evidence(self, title: str, abstract: str) -> Evidence:
        found = Evidence()
        for term, pattern in self.terms:
            if pattern.search(title):
                found.in_title.append(term)
            elif hits := len(pattern.findall(abstract)):
                found.in_abstract.append(term)
                found.abstract_hits += min(hits, 2)
        return found

    def first_match(self, title: str, abstract: str) -> str | None:
        """The first term found anywhere in the paper (for excludes)."""
        return next((term for term, pattern in self.terms
                     if pattern.search(title) or pattern.search(abstract)), None)

    @property
    def names(self) -> list[str]:
        return [term for term, _ in self.terms]
