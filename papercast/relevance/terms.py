"""Lexical evidence: where a profile's terms occur in a paper, weighted by field.

A term matches whole words, case-insensitively; hyphens and spaces inside a term
match either (or nothing: "fine-tuning" finds "finetuning"), and a long last word
matches its inflections ("quantization" finds "quantized", "quantizing"). A keyword
may also be found in another form (`acronyms.py`: "VLM" finds "vision-language model");
the evidence then names the form the paper uses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from papercast.relevance.acronyms import other_forms

# suffix -> what stays of it; the stem then matches any ending ("quantiz" -> quantized, quantization)
SUFFIXES = (
    ("ization", "iz"),
    ("isation", "is"),
    ("ation", ""),
    ("ing", ""),
    ("ies", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("e", ""),
)
MIN_STEM = 4
INFLECTIONS = (
    "(?:s|es|ed|ing|ings)?"  # endings of a word that has no suffix to strip ("benchmark" finds "benchmarking")
)
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
    """ " word" that every match of the term starts with, in the text as `word_text` gives it: a cheap test."""
    parts = term_parts(term)
    root = stem(parts[0]) if len(parts) == 1 and parts[0].isalpha() else None
    first = re.sub(r"\\(.)", r"\1", root) if root else parts[0].lower()
    start = re.match(r"\w*", first)  # \w* always matches (at least the empty string)
    return " " + (start.group() if start else "")


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

    in_title: list[str] = field(default_factory=list)  # as the paper writes them
    in_abstract: list[str] = field(default_factory=list)
    abstract_hits: int = 0
    keywords: set[str] = field(default_factory=set)  # the profile's keywords found, by their names

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
    def of(cls, title: str, abstract: str) -> Fields:
        return cls(title, abstract, word_text(title), word_text(abstract))


@dataclass(frozen=True)
class Term:
    name: str
    pattern: re.Pattern[str]  # on the text as written
    words: re.Pattern[str] | None  # on its `word_text`, when the term allows it
    anchor: str

    @classmethod
    def of(cls, name: str) -> Term:
        return cls(name, term_pattern(name), word_pattern(name), term_anchor(name))

    @property
    def single(self) -> bool:
        """One plain word: it matches single words of `word_text`."""
        return self.words is not None and len(term_parts(self.name)) == 1

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

    def evidence(
        self, title: str, abstract: str, fields: Fields | None = None, memo: dict[str, tuple[bool, int]] | None = None
    ) -> Evidence:
        fields = fields or Fields.of(title, abstract)
        memo = {} if memo is None else memo
        return self.collect([(term, self.find(forms, fields, memo)) for term, forms in self.groups])

    def evidence_at(self, mentions: Mentions, i: int) -> Evidence:
        """`evidence` for the i-th paper of a batch whose mentions were found already."""
        found = []
        for term, forms in self.groups:
            best = (False, 0, forms[0].name)
            for form in forms:
                title, hits = mentions.find(form)
                if title[i]:
                    best = (True, 0, form.name)
                    break
                if hits[i] > best[1]:
                    best = (False, int(hits[i]), form.name)
            found.append((term, best))
        return self.collect(found)

    @staticmethod
    def collect(found: list[tuple[Term, tuple[bool, int, str]]]) -> Evidence:
        evidence = Evidence()
        for term, (in_title, hits, form) in found:
            if in_title:
                evidence.in_title.append(form)
            elif hits:
                evidence.in_abstract.append(form)
                evidence.abstract_hits += hits
            if in_title or hits:
                evidence.keywords.add(term.name)
        return evidence

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

    def counts(self, mentions: Mentions) -> tuple[np.ndarray, np.ndarray]:
        """For every paper of `mentions`: `Evidence.title_count` and `Evidence.abstract_count`, at once."""
        in_title = np.zeros(mentions.papers, dtype=int)
        in_abstract = np.zeros(mentions.papers, dtype=int)
        for _, forms in self.groups:
            found = [mentions.find(form) for form in forms]
            title = np.logical_or.reduce([t for t, _ in found])
            in_title += title
            in_abstract += np.where(title, 0, np.maximum.reduce([h for _, h in found]))
        return np.minimum(in_title, TITLE_CAP), np.minimum(in_abstract, ABSTRACT_CAP)


class Mentions:
    """Where each term occurs in a batch of papers: what `Term.find` gives for each paper (in the title?
    abstract mentions up to 2), as arrays. The batch's words are indexed once, so a term is matched only
    against the papers having a word its anchor begins."""

    def __init__(self, fields: Sequence[Fields]):
        self.fields = list(fields)
        self.papers = len(self.fields)
        self.in_title: dict[str, list[int]] = {}  # word -> the papers whose title has it
        self.in_abstract: dict[str, list[tuple[int, int]]] = {}  # word -> (paper, times in its abstract)
        for i, f in enumerate(self.fields):
            for word in set(f.title_words.split()):
                self.in_title.setdefault(word, []).append(i)
            for word, times in Counter(f.abstract_words.split()).items():
                self.in_abstract.setdefault(word, []).append((i, times))
        self.words = sorted(self.in_title.keys() | self.in_abstract.keys())
        self.memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def find(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        if term.name not in self.memo:
            self.memo[term.name] = self.find_word(term) if term.single else self.find_text(term)
        return self.memo[term.name]

    def find_word(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """A one-word term, from the index alone: the batch's words it matches, and where they are."""
        title, abstract = np.zeros(self.papers, dtype=bool), np.zeros(self.papers, dtype=int)
        if term.words is None:  # not a one-word term (`Term.is_word`): nothing to find from the index
            return title, abstract
        for word in self.starting(term.anchor.strip()):
            if term.words.fullmatch(" " + word):
                title[self.in_title.get(word, [])] = True
                for i, times in self.in_abstract.get(word, []):
                    abstract[i] += times
        return title, np.where(title, 0, np.minimum(abstract, 2))

    def find_text(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """Any other term: read the papers that have a word its anchor begins."""
        title, abstract = np.zeros(self.papers, dtype=bool), np.zeros(self.papers, dtype=int)
        for i in self.having(term.anchor.strip()):
            title[i], abstract[i] = term.find(self.fields[i])
        return title, abstract

    def starting(self, prefix: str) -> list[str]:
        """The batch's words that begin with `prefix`."""
        k = bisect_left(self.words, prefix)
        found = []
        while k < len(self.words) and self.words[k].startswith(prefix):
            found.append(self.words[k])
            k += 1
        return found

    def having(self, prefix: str) -> set[int]:
        """The papers with a word that begins with `prefix`."""
        found: set[int] = set()
        for word in self.starting(prefix):
            found.update(self.in_title.get(word, []))
            found.update(i for i, _ in self.in_abstract.get(word, []))
        return found
