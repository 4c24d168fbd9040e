"""The signals a decision rests on, for every (paper, profile) of a batch at once.

All similarities are cosines between vectors centred on a typical paper (`reference.MEAN`):
what every trending paper shares ("a large language model ...") is taken out, so what is left
compares what a paper is about with what a profile asks for. Each signal depends only on the
paper, the profile and what papercast ships, never on the other papers of the week.

- `topic`: the paper (title + start of abstract) against the profile's title, description and
  keywords read as one text; `title_topic`: the paper's title against the same;
- `keyword`: the paper against its closest single keyword; `title_keyword`: its title against it;
- `rival_margin`: the better of `topic` and `keyword`, minus the paper's similarity to the closest
  background topic that is not the profile's own subject (negative: the paper is closer to
  something else than to the profile or any of its keywords);
- `title_mentions` / `abstract_mentions`: the profile's keywords (or their other forms, `acronyms.py`)
  written in the title (at most 2) or only in the abstract (mentions, at most 3);
- `title_words` / `abstract_words`: the description's informative words in the title, and in the
  whole abstract, weighted by rarity (`lexical.py`);
- `crowding`: how close the profile itself sits to its nearest general topics (`background.crowding`),
  the same for every paper: a profile in a crowded part of the map needs a closer paper (its weight,
  fitted, is negative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from papercast.models import StoredPaper
from papercast.relevance.embed import normalize
from papercast.relevance.lexical import Corpus, lexical_signals
from papercast.relevance.terms import Fields, Mentions, TermMatcher
from papercast.settings import Profile

FEATURES = (
    "topic",
    "title_topic",
    "keyword",
    "title_keyword",
    "rival_margin",
    "title_mentions",
    "abstract_mentions",
    "title_words",
    "abstract_words",
    "crowding",
)


def profile_text(profile: Profile) -> str:
    """The profile as one text: title, description and keywords."""
    text = f"{profile.title}: {profile.description}".strip(" :")
    keywords = [k.strip() for k in profile.keywords if k.strip()]
    return f"{text} Keywords: {', '.join(keywords)}" if keywords else text


@dataclass
class CompiledProfile:
    """A profile made ready to score: centred unit vectors, its rival topics, its term matchers."""

    profile: Profile
    topic: np.ndarray  # (DIM,)
    keywords: np.ndarray  # (k, DIM); k may be 0
    rivals: np.ndarray  # (topics,) bool: background topics that compete with this profile
    examples: np.ndarray  # (e, DIM) plain unit vectors of the example titles
    counter_examples: np.ndarray  # (c, DIM)
    terms: TermMatcher
    excludes: TermMatcher
    words: dict[str, float]  # the description's informative words and their weights
    crowding: float = 0.0  # how close the profile sits to its nearest general topics (background.py)

    def __post_init__(self):
        self.keyword_names = self.terms.names
        self.has_rivals = bool(self.rivals.any())


@dataclass
class Signals:
    """Signals of a batch: `values[paper, profile, feature]` in FEATURES order, and what a reason names."""

    values: np.ndarray
    closest_keyword: np.ndarray  # (papers, profiles) keyword index, -1 when the profile has none
    rival: np.ndarray  # (papers, profiles) background topic index
    example: np.ndarray  # (papers, profiles) best similarity to an example (0: none)
    closest_example: np.ndarray  # index, -1: none
    counter_example: np.ndarray
    closest_counter_example: np.ndarray
    mentions: Mentions  # where the profiles' keywords occur, for the reasons

    def feature(self, name: str) -> np.ndarray:
        return self.values[..., FEATURES.index(name)]


def centred(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return normalize(vectors - mean)


def compute(
    papers: Sequence[StoredPaper],
    vectors: np.ndarray,
    targets: Sequence[CompiledProfile],
    background: np.ndarray,
    mean: np.ndarray,
    corpus: Corpus,
) -> Signals:
    """Signals for papers × profiles; `vectors` is (papers, 2, DIM) plain, `background` centred."""
    whole, title = centred(vectors[:, 0], mean), centred(vectors[:, 1], mean)
    shape = (len(papers), len(targets))
    values = np.zeros(shape + (len(FEATURES),), dtype=np.float64)
    topics = np.stack([t.topic for t in targets]) if targets else np.zeros((0, whole.shape[1]))
    values[..., 0], values[..., 1] = whole @ topics.T, title @ topics.T
    values[..., 2], values[..., 3], closest = keyword_signals(whole, title, targets, values[..., :2])
    rival, best_rival = rival_signals(whole @ background.T, targets)
    values[..., 4] = np.maximum(values[..., 0], values[..., 2]) - best_rival
    mentions = Mentions([Fields.of(p.title, p.abstract) for p in papers])
    values[..., 5:7] = mention_counts(mentions, targets)
    values[..., 7:9] = lexical_signals(papers, [t.words for t in targets], corpus)
    values[..., 9] = [t.crowding for t in targets]
    plain = vectors[:, 0]
    example, closest_example = best_match(plain, [t.examples for t in targets])
    counter, closest_counter = best_match(plain, [t.counter_examples for t in targets])
    return Signals(values, closest, rival, example, closest_example, counter, closest_counter, mentions)


def rival_signals(to_topics: np.ndarray, targets: Sequence[CompiledProfile]) -> tuple[np.ndarray, np.ndarray]:
    """(papers, profiles): the closest background topic that is not the profile's own subject, and its
    similarity (-1 when every topic is the profile's own)."""
    if not targets:
        return np.zeros((len(to_topics), 0), dtype=int), np.zeros((len(to_topics), 0))
    allowed = np.stack([t.rivals for t in targets])  # (profiles, topics)
    masked = np.where(allowed[None], to_topics[:, None, :].astype(np.float32), -np.inf)
    rival = masked.argmax(axis=2)
    similarity = np.take_along_axis(masked, rival[..., None], axis=2)[..., 0].astype(np.float64)
    none = ~allowed.any(axis=1)
    rival[:, none], similarity[:, none] = 0, -1.0
    return rival, similarity


def keyword_signals(
    whole: np.ndarray, title: np.ndarray, targets: Sequence[CompiledProfile], topic: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(papers, profiles): similarity to the profile's closest keyword (paper, title) and that keyword's
    index; a profile without keywords gets its topic similarities and -1."""
    keyword, title_keyword, closest = topic[..., 0].copy(), topic[..., 1].copy(), np.full(topic.shape[:2], -1)
    counts = np.array([len(t.keywords) for t in targets], dtype=int)
    if not counts.sum():
        return keyword, title_keyword, closest
    every = np.vstack([t.keywords for t in targets if len(t.keywords)])  # one product for all profiles
    owner = np.repeat(np.arange(len(targets)), counts)
    slot = np.concatenate([np.arange(c) for c in counts])
    to_keywords = np.full((len(whole), len(targets), counts.max()), -np.inf)
    title_to_keywords = to_keywords.copy()
    to_keywords[:, owner, slot], title_to_keywords[:, owner, slot] = whole @ every.T, title @ every.T
    has = counts > 0
    best = to_keywords.argmax(axis=2)
    closest[:, has] = best[:, has]
    keyword[:, has] = np.take_along_axis(to_keywords, best[..., None], axis=2)[..., 0][:, has]
    title_keyword[:, has] = title_to_keywords.max(axis=2)[:, has]
    return keyword, title_keyword, closest


def mention_counts(mentions: Mentions, targets: Sequence[CompiledProfile]) -> np.ndarray:
    """(papers, profiles, 2): how many keywords each title mentions, and the abstract mentions of the others
    (`Evidence.title_count`, `Evidence.abstract_count`); each keyword form is looked for once in the batch."""
    found = np.zeros((mentions.papers, len(targets), 2))
    for j, target in enumerate(targets):
        found[:, j, 0], found[:, j, 1] = target.terms.counts(mentions)
    return found


def best_match(vectors: np.ndarray, candidates: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per profile: each paper's best similarity to one of its candidates (0 and -1 when it has none)."""
    best = np.zeros((len(vectors), len(candidates)))
    index = np.full((len(vectors), len(candidates)), -1)
    for j, rows in enumerate(candidates):
        if len(rows):
            similarities = vectors @ rows.T
            best[:, j], index[:, j] = similarities.max(axis=1), similarities.argmax(axis=1)
    return best, index
