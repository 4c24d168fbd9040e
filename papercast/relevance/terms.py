"""Lexical evidence: where a profile's terms occur in a paper, weighted by field.

A term matches whole words, case-insensitively; hyphens and spaces inside a term
match either (or nothing: "fine-tuning" finds "finetuning"), and a long last word
matches its inflections ("quantization" finds "quantized", "quantizing"). A keyword
may also be found in another form (`acronyms.py`: "VLM" finds "vision-language model");
the evidence then names the form the paper uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from papercast.relevance.acronyms import other_forms

# suffix -> what stays of it; the stem then matches any ending ("quantiz" -> quantized, quantization)
SUFFIXES = (("ization", "iz"), ("isation", "is"), ("ation", ""), ("ing", ""), ("ies", ""), ("ed", ""),
            ("es", ""), ("s", ""), ("e", ""))
MIN_STEM = 4
INFLECTIONS = "(?:s|es|ed|ing|ings)?"  # endings of a word that has no suffix to strip ("benchmark" finds "benchmarking")
NON_WORD = re.compile(r"\W+")
PLAIN = re.compile(r"[^\W_]+")
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


def term_parts(term: str) -> list[str]:
    return [part for part in re.split(r"[\s-]+", term.strip()) if part]


def term_anchor(term: str) -> str:
    """" word" that every match of the term starts with, in the text as `word_text` gives it: a cheap test."""
    parts = term_parts(term)
    root = stem(parts[0]) if len(parts) == 1 and parts[0].isalpha() else None
    first = re.sub(r"\\(.)", r"\1", root) if root else parts[0].lower()
    return " " + re.match(r"\w*", first).group()


def inflections(word: str) -> str:
    """What may follow a word that could not be stemmed: plural and verb endings for a long enough word of
    letters ("benchmark" -> benchmarking), a plural only for a short one or one with digits ("4-bit", "moe")."""
    return INFLECTIONS if word.isalpha() and len(word) >= MIN_STEM else "s?"


def word_pattern(term: str) -> re.Pattern[str] | None:
    """`term_pattern` for `word_text` (lower case, one space between words): a literal start makes
    it fast. None for a term with other characters than letters, digits, spaces and hyphens."""
    parts = term_parts(term.lower())
    if not parts or not all(PLAIN.fullmatch(part) for part in parts):
        return None
    last_stem = stem(parts[-1], MIN_STEM - (len(parts) > 1)) if parts[-1].isalpha() else None
    last = last_stem + r"\w*" if last_stem else re.escape(parts[-1]) + inflections(parts[-1])
    return re.compile(" " + " ?".join([re.escape(part) for part in parts[:-1]] + [last]) + r"(?!\w)")


def word_text(text: str) -> str:
    """The text in lower case with every run of non-word characters one space, padded with spaces."""
    return " " + NON_WORD.sub(" ", text.lower()) + " "


def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern for a term, tolerant of hyphens and inflection."""
    parts = term_parts(term)
    if not parts:
        raise ValueError("empty term")
    head = [re.escape(part) for part in parts[:-1]]
    last_stem = stem(parts[-1], MIN_STEM - (len(parts) > 1)) if parts[-1].isalpha() else None
    last = last_stem + r"\w*" if last_stem else re.escape(parts[-1]) + inflections(parts[-1])
    return re.compile(r"(?<![\w])" + r"[\s-]?".join(head + [last]) + r"(?![\w])", re.IGNORECASE)


@dataclass
class Evidence:
    """Which terms a paper's title and abstract mention, and how often."""

    in_title: list[str] = field(default_factory=list)     # as the paper writes them
    in_abstract: list[str] = field(default_factory=list)
    abstract_hits: int = 0
    keywords: set[str] = field(default_factory=set)       # the profile's keywords found, by their names

    @property
    def title_count(self) -> int:
        return min(len(self.in_title), TITLE_CAP)

    @property
    def abstract_count(self) -> int:
        return min(self.abstract_hits, ABSTRACT_CAP)


@dataclass(frozen=True)
class Fields:
    """A paper's title and abstract, and their `word_text` forms, prepared once for many matchers."""

    title: str
    abstract: str
    title_words: str
    abstract_words: str

    @classmethod
    def of(cls, title: str, abstract: str) -> "Fields":
        return cls(title, abstract, word_text(title), word_text(abstract))


@dataclass(frozen=True)
class Term:
    name: str
    pattern: re.Pattern[str]       # on the text as written
    words: re.Pattern[str] | None  # on its `word_text`, when the term allows it
    anchor: str

    @classmethod
    def of(cls, name: str) -> "Term":
        return cls(name, term_pattern(name), word_pattern(name), term_anchor(name))

    def find(self, fields: Fields) -> tuple[bool, int]:
        """(in the title?, abstract mentions up to 2); the abstract is read only when the title has none."""
        if self.anchor in fields.title_words and self.search(fields.title, fields.title_words):
            return True, 0
        if self.anchor not in fields.abstract_words:
            return False, 0
        found = self.words.finditer(fields.abstract_words) if self.words else self.pattern.finditer(fields.abstract)
        return False, sum(1 for _ in islice(found, 2))

    def search(self, text: str, words: str) -> bool:
        return bool(self.words.search(words) if self.words else self.pattern.search(text))


class TermMatcher:
    """A profile's keywords (or excludes) compiled once, matched against many papers.

    With `forms`, each keyword is also looked for in its other forms (`acronyms.py`). `memo`
    (form -> what `Term.find` gave) may be shared by the matchers of several profiles reading
    the same paper, so that a keyword they share is looked for once.
    """

    def __init__(self, terms: list[str], forms: bool = False):
        self.terms = [Term.of(term) for term in dict.fromkeys(t.strip() for t in terms) if term]
        self.groups = [(t, [t] + ([Term.of(f) for f in other_forms(t.name)] if forms else [])) for t in self.terms]

    def evidence(self, title: str, abstract: str, fields: Fields | None = None,
                 memo: dict[str, tuple[bool, int]] | None = None) -> Evidence:
        fields = fields or Fields.of(title, abstract)
        memo = {} if memo is None else memo
        found = Evidence()
        for term, forms in self.groups:
            in_title, hits, form = self.find(forms, fields, memo)
            if in_title:
                found.in_title.append(form)
            elif hits:
                found.in_abstract.append(form)
                found.abstract_hits += hits
            if in_title or hits:
                found.keywords.add(term.name)
        return found

    @staticmethod
    def find(forms: list[Term], fields: Fields, memo: dict[str, tuple[bool, int]]) -> tuple[bool, int, str]:
        """The best-placed form of a keyword: the first found in the title, else the most mentioned."""
        best = (False, 0, forms[0].name)
        for form in forms:
            if form.name not in memo:
                memo[form.name] = form.find(fields)
            in_title, hits = memo[form.name]
            if in_title:
                return True, 0, form.name
            if hits > best[1]:
                best = (False, hits, form.name)
        return best

    def first_match(self, title: str, abstract: str) -> str | None:
        """The first term found anywhere in the paper (for excludes)."""
        return next((t.name for t in self.terms if t.pattern.search(title) or t.pattern.search(abstract)), None)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.terms]
