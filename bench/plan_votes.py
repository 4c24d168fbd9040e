"""What readers' votes cost the plan stage: 10,000 readers, a week of 2,000 new papers, 0 to 10,000 voters.

    .venv/bin/python bench/plan_votes.py [--readers 10000] [--voters 0,100,1000,10000] [--new 2000]
                                         [--votes 20] [--backend keywords|hybrid]

A state holding last week's 500 papers (what readers voted on: `--votes` each, both kinds, on papers
kept for one of their profiles, as a newsletter or its explore section shows them) and this week's
`--new` papers, classified into 8 profiles; readers follow 1-3 of them, 10 papers each
(bench/scale.py's synthetic week). Papers' vectors are put in the state's vector cache, as the hybrid
scorer leaves them: real MiniLM vectors of the Daily Papers captures in ../shared/digests, each
synthetic paper taking one of them with a little noise, so likenesses between papers are spread as
between real ones (synthetic texts would all look alike). Then `plan_issues` is timed once per number
of voters, on a copy of the state: every voter's taste fitted (none is kept yet: the worst case, a week
in which every voter voted) and every reader's picks and explore section; then once more with the
tastes kept (a week in which nobody voted since).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests"), str(PROJECT / "bench")]

from papercast.config import load_settings  # noqa: E402
from papercast.models import Digest, Paper, StoredPaper  # noqa: E402
from papercast.newsletter.plan import plan_issues  # noqa: E402
from papercast.newsletter.selection import select_run  # noqa: E402
from papercast.relevance.backlog import classify_backlog  # noqa: E402
from papercast.relevance.embed import DIM, MiniLMOnnx, paper_text, text_hash  # noqa: E402
from papercast.relevance.keywords import KeywordScorer  # noqa: E402
from papercast.relevance.registry import make_scorer  # noqa: E402
from papercast.sources import parse_input  # noqa: E402
from papercast.store import Store  # noqa: E402
from scale import synthetic_config, synthetic_paper  # noqa: E402

CAPTURES = PROJECT.parent / "shared" / "digests"
LAST_WEEK, THIS_WEEK = dt.date(2026, 11, 16), dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)
OLD_PAPERS = 500


def real_vectors() -> np.ndarray:
    """(papers, 2, DIM): MiniLM vectors of every paper of the real captures."""
    papers = [StoredPaper(id=str(n), title=p.title, abstract=p.abstract, first_seen=THIS_WEEK, first_source="x")
              for capture in sorted(CAPTURES.glob("*.txt"))
              for n, p in enumerate(parse_input(capture.read_bytes(), capture.name, THIS_WEEK).papers)]
    return MiniLMOnnx().embed_papers(papers)


def cache_vectors(store: Store, real: np.ndarray, rng: np.random.Generator) -> None:
    rows = []
    for paper in store.papers.papers_between(0, store.papers.max_paper_seq()):
        vector = real[rng.integers(len(real))] + rng.normal(size=(2, DIM)) * 0.01
        vector = (vector / np.linalg.norm(vector, axis=1, keepdims=True)).astype(np.float32)
        rows.append((paper.id, text_hash(paper_text(paper)), vector.tobytes()))
    store.vectors.save_vectors(f"{MiniLMOnnx.name}:paper", rows)


def base_state(folder: Path, args: argparse.Namespace) -> Path:
    """The config and a state with last week delivered (readers' cursors past it) and this week classified."""
    rng = random.Random(3)
    config = synthetic_config(folder, 8, args.readers, args.backend, rng)
    settings = load_settings(config)
    with Store.of(settings) as store:
        for day, first, count in ((LAST_WEEK, 0, OLD_PAPERS), (THIS_WEEK, OLD_PAPERS, args.new)):
            run = store.runs.start_run(day)
            papers = tuple(Paper(*synthetic_paper(first + n, rng)) for n in range(count))
            store.papers.ingest_digest(Digest(str(day), day, papers, content_hash=str(day)), run)
            if day == LAST_WEEK:
                with store.database.transaction() as db:
                    db.executemany("INSERT INTO reader_cursors VALUES (?, ?)",
                                   [(r.email, store.papers.max_paper_seq()) for r in settings.readers])
        cache_vectors(store, real_vectors(), np.random.default_rng(2))
        classify_backlog(store, settings, run, scorer_for=scorer_for(args.backend))
    return config


def scorer_for(backend: str):
    return (lambda settings, cache=None: KeywordScorer()) if backend == "keywords" else make_scorer


def kept_pairs(store: Store) -> dict[str, list[str]]:
    """Per profile, last week's papers kept for it (joined or near the threshold): what readers saw and voted on."""
    rows = store.database.db.execute(
        "SELECT k.profile_id, k.paper_id FROM (SELECT paper_id, profile_id FROM assignments"
        " UNION ALL SELECT paper_id, profile_id FROM near_pairs) k JOIN papers p ON p.id = k.paper_id"
        " WHERE p.seq <= ?", (OLD_PAPERS,)).fetchall()
    found: dict[str, list[str]] = {}
    for profile, paper in rows:
        found.setdefault(profile, []).append(paper)
    return {profile: sorted(papers) for profile, papers in found.items()}


def time_plan(config: Path, folder: Path, voters: int, votes: int) -> tuple[float, float, int]:
    """Seconds to plan every reader's issue with the first `voters` readers having voted (their tastes fitted),
    then again with their tastes kept; issues planned."""
    settings = load_settings(config)
    case = folder / f"case-{voters}.sqlite"
    shutil.copy(settings.paths.state, case)
    settings = settings.model_copy(update={"paths": settings.paths.model_copy(update={"state": case})})
    rng = random.Random(voters)
    with Store.of(settings) as store:
        kept = kept_pairs(store)
        with store.database.transaction() as db:
            db.executemany("INSERT INTO reader_votes VALUES (?, ?, ?, ?, '2026-11-20T08:00:00+00:00', 'page')",
                           [(r.email, r.profiles[0], paper, int(rng.random() < 0.5))
                            for r in settings.readers[:voters]
                            for paper in rng.sample(kept.get(r.profiles[0], []),
                                                    min(votes, len(kept.get(r.profiles[0], []))))])
        fitted = plan_once(store, settings)
        with store.database.transaction() as db:
            db.execute("DELETE FROM issues")
        planned, issues = plan_once(store, settings), 0
        issues = len(store.ledger.unfinished_issues([r.email for r in settings.readers]))
        return fitted, planned, issues


def plan_once(store: Store, settings) -> float:
    run = store.runs.start_run(THIS_WEEK)
    started = time.perf_counter()
    plan_issues(store, settings, select_run(settings), THIS_WEEK, run, NOW)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--voters", default="0,100,1000,10000")
    parser.add_argument("--new", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=20, help="votes per voter (an engaged reader's few weeks)")
    parser.add_argument("--backend", choices=["keywords", "hybrid"], default="keywords",
                        help="the scorer that classifies and rescores voters' candidates")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = base_state(Path(folder), args)
        print(f"plan stage, {args.readers} readers, {args.new} new papers, 8 profiles, {args.backend} scorer,"
              f" {args.votes} votes per voter")
        for voters in [int(v) for v in args.voters.split(",")]:
            fitted, kept, issues = time_plan(config, Path(folder), voters, args.votes)
            print(f"  {voters:>6} voters: {fitted:6.2f} s with every taste fitted, {kept:6.2f} s with the tastes"
                  f" kept; {issues} issues")


if __name__ == "__main__":
    main()
