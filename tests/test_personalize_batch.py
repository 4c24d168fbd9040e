"""The candidate index (one query's rows per cursor, shared by a batch of readers) picks exactly
what the plain per-reader rule picks: each undelivered paper once, best score first, ties included."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from papercast.models import Assignment, StoredPaper
from papercast.newsletter.candidates import CandidateIndex, best_per_paper

PROFILES = ["p0", "p1", "p2", "p3", "p4"]


def random_rows(rng: random.Random) -> list[tuple[StoredPaper, Assignment]]:
    """Assignments as the store returns them: best score first, then paper order, then profile."""
    papers = [StoredPaper(f"paper-{n:02d}", f"Paper {n}", "", dt.date(2026, 11, 20), "d", seq=n + 1)
              for n in range(60)]
    rows = [(paper, Assignment(paper.id, pid, rng.choice([0.5, 0.6, 0.6, 0.8, 0.9]), "why"))
            for paper in papers for pid in PROFILES if rng.random() < 0.4]
    return sorted(rows, key=lambda row: (-row[1].score, row[0].seq, row[1].profile_id))


@pytest.mark.parametrize("seed", range(12))
def test_the_index_picks_what_the_plain_rule_picks(seed):
    rng = random.Random(seed)
    rows = random_rows(rng)
    index = CandidateIndex(rows)
    for _ in range(20):
        profiles = rng.sample(PROFILES, rng.randint(1, 3))
        delivered = {paper.id for paper, _ in rng.sample(rows, 10)}
        limit = rng.randint(1, 8)
        wanted = best_per_paper([row for row in rows if row[1].profile_id in profiles], delivered)[:limit]
        assert index.best(profiles, delivered, limit) == wanted
