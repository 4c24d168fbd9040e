"""A week's candidates, per reader cursor: what the plan stage picks each reader's papers from.

Readers whose newsletters covered the same papers so far share a cursor, so their candidates (the kept
pairs of papers stored after it, up to the classification horizon) are read once: as the index that picks
a reader without votes exactly as the stored assignments rank them, and as one array of candidates per
profile for readers with votes (scored by their taste) and for everyone's explore section. Vectors are
read only for the profiles someone with that cursor voted in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import CandidateIndex, Item
from papercast.newsletter.reader_picks import (
    EXPLORE,
    NO_TASTE,
    ProfileCandidates,
    ReaderTaste,
    batch_scores,
    explore_section,
    pick,
)
from papercast.newsletter.tastes import centred_of
from papercast.relevance.classify import threshold_of
from papercast.settings import Reader, Settings
from papercast.store import Store


@dataclass
class Window:
    """The candidates of one cursor: an index of the joined pairs, and every kept pair per profile."""

    index: CandidateIndex
    profiles: dict[str, ProfileCandidates]

    @classmethod
    def of(cls, rows: list[tuple[StoredPaper, Assignment, bool]]) -> Window:
        index = CandidateIndex([(paper, assignment) for paper, assignment, joined in rows if joined])
        grouped: dict[str, list[tuple[StoredPaper, Assignment]]] = {}
        for paper, assignment, _ in rows:
            grouped.setdefault(assignment.profile_id, []).append((paper, assignment))
        return cls(index, {pid: profile_candidates(pid, pairs) for pid, pairs in grouped.items()})

    @property
    def paper_ids(self) -> list[str]:
        return sorted({p.id for candidates in self.profiles.values() for p in candidates.papers})

    def with_vectors(self, store: Store, profile_ids: set[str], save: bool = True) -> None:
        """Give these profiles' candidates their papers' centred vectors (one cache read for all of them; the
        missing ones computed, and cached unless not `save`)."""
        wanted = [pid for pid in profile_ids if pid in self.profiles and self.profiles[pid].vectors is None]
        papers = list({p.id: p for pid in wanted for p in self.profiles[pid].papers}.values())
        vectors = dict(zip([p.id for p in papers], centred_of(store, papers, save=save), strict=True))
        for pid in wanted:
            candidates = self.profiles[pid]
            stacked = np.stack([vectors[p.id] for p in candidates.papers]) if candidates.papers else None
            self.profiles[pid] = replace(candidates, vectors=stacked)


def profile_candidates(profile_id: str, pairs: list[tuple[StoredPaper, Assignment]]) -> ProfileCandidates:
    return ProfileCandidates(
        profile_id,
        [paper for paper, _ in pairs],
        np.array([a.score for _, a in pairs], dtype=np.float64),
        [a.why for _, a in pairs],
    )


WindowKey = tuple[int, dt.date | None]  # a cursor, and for readers just joining the first day of papers they get


def read_windows(store: Store, profile_ids: list[str], keys: set[WindowKey], horizon: int) -> dict[WindowKey, Window]:
    """A window per cursor still short of the horizon (only papers first seen since the key's day, if any),
    one query each."""
    return {
        (cursor, since): Window.of(store.classification.candidates_since(profile_ids, cursor, horizon, since))
        for cursor, since in keys
        if cursor < horizon
    }


def explore_counts(settings: Settings, reader: Reader, profile_ids: list[str]) -> dict[str, int]:
    """Per profile, how many "close to your interests" papers: the smaller of the reader's and the profile's
    `explore` (EXPLORE where neither says), so 0 at either level turns the section off."""
    return {
        pid: min(EXPLORE if n is None else n for n in (reader.explore, settings.profile(pid).explore))
        for pid in profile_ids
    }


def thresholds_of(settings: Settings, profile_ids: list[str]) -> dict[str, float]:
    return {pid: threshold_of(settings.profile(pid), settings.classify.threshold) for pid in profile_ids}


def reader_items(
    settings: Settings,
    window: Window,
    reader: Reader,
    profile_ids: list[str],
    taste: ReaderTaste | None,
    delivered: set[str],
    given: Mapping[str, np.ndarray] | None = None,
) -> tuple[list[Item], list[Item]]:
    """The reader's picks and explore items from a window: without votes, the picks are exactly the stored
    assignments' best; with votes, every kept pair at the reader's own score (`given`: those scores per
    profile, computed with other readers' by `voter_scores`)."""
    candidates = [window.profiles[pid] for pid in profile_ids if pid in window.profiles]
    thresholds, counts = thresholds_of(settings, profile_ids), explore_counts(settings, reader, profile_ids)
    if taste is not None and taste.models:
        picked = pick(candidates, taste, thresholds, reader.max_papers, counts, delivered, given)
        return picked.picks, picked.explore
    picks = window.index.best(profile_ids, delivered, reader.max_papers)
    taken = delivered | {item.paper.id for item in picks}
    scored = [(c, NO_TASTE.scores(c)) for c in candidates]
    return picks, explore_section(scored, thresholds, counts, taken)


def voter_scores(window: Window, voters: list[tuple[str, ReaderTaste]]) -> dict[str, dict[str, np.ndarray]]:
    """email -> profile id -> that voter's scores of the window's candidates: per profile, one matrix product
    for every voter with a model there."""
    found: dict[str, dict[str, np.ndarray]] = {}
    for pid, candidates in window.profiles.items():
        mine = [(email, taste.models[pid][0]) for email, taste in voters if pid in taste.models]
        if not mine or candidates.vectors is None or not len(candidates.scores):
            continue
        matrix = batch_scores(candidates, [model for _, model in mine])
        for column, (email, _) in enumerate(mine):
            found.setdefault(email, {})[pid] = matrix[:, column]
    return found


def voted_profiles(tastes: Mapping[str, ReaderTaste], cursors: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    """Per cursor (window key), the profiles a reader with that cursor has a taste model in."""
    needed: dict[Hashable, set[str]] = {}
    for email, taste in tastes.items():
        if email in cursors:
            needed.setdefault(cursors[email], set()).update(taste.models)
    return needed
