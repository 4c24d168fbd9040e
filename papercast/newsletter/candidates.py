"""Picking a reader's papers: each undelivered paper once, under its best profile, best first."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from papercast.models import Assignment, StoredPaper


@dataclass(frozen=True)
class Item:
    paper: StoredPaper
    assignment: Assignment


def best_per_paper(rows: list[tuple[StoredPaper, Assignment]], delivered: set[str]) -> list[Item]:
    """Each undelivered paper once, under its best-scoring profile, best first."""
    best: dict[str, Item] = {}
    for paper, assignment in rows:
        if paper.id in delivered:
            continue
        current = best.get(paper.id)
        if current is None or assignment.score > current.assignment.score:
            best[paper.id] = Item(paper, assignment)
    return sorted(best.values(), key=lambda item: (-item.assignment.score, item.paper.id))


class CandidateIndex:
    """One query's rows (best score first), indexed by profile, for picking each reader's best papers."""

    def __init__(self, rows: list[tuple[StoredPaper, Assignment]]):
        self.by_profile: dict[str, list[tuple[int, StoredPaper, Assignment]]] = {}
        for position, (paper, assignment) in enumerate(rows):
            self.by_profile.setdefault(assignment.profile_id, []).append((position, paper, assignment))

    def best(self, profiles: list[str], delivered: set[str], limit: int) -> list[Item]:
        """What `best_per_paper(rows of these profiles, delivered)[:limit]` gives, stopping early."""
        merged = heapq.merge(*(self.by_profile.get(pid, []) for pid in profiles), key=lambda row: row[0])
        best: dict[str, Item] = {}
        cutoff = None
        for _, paper, assignment in merged:
            if cutoff is not None and assignment.score < cutoff:
                break
            if paper.id in delivered or paper.id in best:
                continue  # rows come best score first: a paper's first row is its best
            best[paper.id] = Item(paper, assignment)
            if cutoff is None and len(best) >= limit:
                cutoff = assignment.score  # papers tied with the last one may still sort before it
        return sorted(best.values(), key=lambda item: (-item.assignment.score, item.paper.id))[:limit]
