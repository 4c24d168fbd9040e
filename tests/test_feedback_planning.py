"""Votes teach their reader: planned with the real hybrid scorer and MiniLM vectors on papers of two real
Daily Papers captures, a "more like this" brings a similar paper from below the threshold into that
reader's next issue (with a true reason), a "not for me" pushes a similar one down, a second vote
replaces the first, and no other reader's issue changes. Readers without votes are planned as before,
without the scorer. Real SQLite, no Prefect."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.delivery.write import record_written, write_issues
from papercast.models import Assignment, Digest
from papercast.newsletter.candidates import Item, best_per_paper
from papercast.newsletter.plan import plan_issues
from papercast.newsletter.selection import select_run
from papercast.newsletter.votes import LazyMiniLM, voter_items, voters_week
from papercast.relevance.backlog import classify_backlog
from papercast.relevance.embed import paper_vectors
from papercast.relevance.feedback import Vote, adjust, feedback_vectors, with_note
from papercast.sources import parse_input
from papercast.store import Store
from papercast.store.records import VoteRecord

# The model on two real weeks: about 7 s, a quarter of the fast lane; the full suite runs it (README, Tests).
pytestmark = pytest.mark.slow

ADA, GRACE = "ada@example.org", "grace@example.org"
WEEK1, WEEK2 = dt.date(2026, 3, 13), dt.date(2026, 3, 16)
NOW = dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.timezone.utc)
CAPTURES = ("001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt")
PAPERS_PER_WEEK = 36
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 10
''' for name in ("ada", "grace"))


def ingest_week(store: Store, capture: Path, day: dt.date) -> int:
    """The first papers of a real capture stored and classified with the configured (hybrid) scorer."""
    run = store.runs.start_run(day)
    digest = parse_input(capture.read_bytes(), capture.name, day)
    store.papers.ingest_digest(Digest(digest.source, day, digest.papers[:PAPERS_PER_WEEK], content_hash=capture.name), run)
    return run


def plan_week(settings, store: Store, day: dt.date, run: int, scorer_for=None, keep: bool = False):
    """Each reader's plan for `day`; unless `keep`, the planned issues are taken out of the ledger again, so
    the next call plans afresh (a planned issue is otherwise finished first, not planned again)."""
    options = {} if scorer_for is None else {"scorer_for": scorer_for}
    plans = {p.reader.email: p for p in plan_issues(store, settings, select_run(settings), day, run, NOW,
                                                    **options).to_write}
    if not keep:
        with store.database.transaction() as db:
            db.execute("DELETE FROM issues WHERE status = 'planned'")
    return plans


@pytest.fixture(scope="module")
def weeks(tmp_path_factory, shared_digests):
    """Ada and Grace (same profiles) got week 1's issue; week 2 is stored and classified, not planned."""
    folder = tmp_path_factory.mktemp("feedback-weeks")
    settings = load_settings(write_config(folder, readers=READERS))
    with Store.of(settings) as store:
        run = ingest_week(store, shared_digests / CAPTURES[0], WEEK1)
        classify_backlog(store, settings, run)
        record_written(store.ledger, write_issues(list(plan_week(settings, store, WEEK1, run, keep=True).values()),
                                           settings, False), run)
        second = ingest_week(store, shared_digests / CAPTURES[1], WEEK2)
        classify_backlog(store, settings, second)
        like = raising_like(settings, store, second)
    return settings, second, like


@pytest.fixture
def world(weeks, tmp_path):
    """A copy of the two weeks' state for one test, and a like of Ada's that raises a paper."""
    settings, run, like = weeks
    state = tmp_path / "state.sqlite"
    shutil.copy(settings.paths.state, state)
    copy = settings.model_copy(update={"paths": settings.paths.model_copy(update={"state": state})})
    with Store.of(copy) as store:
        yield copy, store, run, like


def centred(store: Store, papers) -> dict[str, object]:
    return dict(zip([p.id for p in papers], feedback_vectors(paper_vectors(LazyMiniLM(), papers, store.vectors))))


def closest_pair(store: Store, issue, stored: bool) -> tuple[str, str, str, float]:
    """(profile, week-1 paper of Ada's, its closest week-2 paper in that profile, their centred cosine), over the
    week-2 papers that are (stored) or are not (below the threshold) assigned to that profile."""
    week2 = store.papers.papers_between(PAPERS_PER_WEEK, 10**9)
    assigned = {(a.paper_id, a.profile_id) for _, a in store.classification.assigned_since(
        ["efficient-llm", "multimodal", "reasoning"], PAPERS_PER_WEEK, 10**9)}
    shown = [(section.profile_id, item.paper_id) for section in issue.sections for item in section.items]
    vectors = centred(store, week2 + list(store.papers.papers([pid for _, pid in shown]).values()))
    best = max(((profile, liked, paper.id, float(vectors[liked] @ vectors[paper.id]))
                for profile, liked in shown for paper in week2 if ((paper.id, profile) in assigned) == stored),
               key=lambda found: found[3])
    return best


def ada_week1(store: Store):
    return store.ledger.delivered_on(ADA, "email", 1)[0]


def picks(plan) -> list[tuple[str, str, float, str]]:
    return [(item.paper.id, section.profile_id, item.assignment.score, item.assignment.why)
            for section in plan.sections for item in section.items]


def raising_like(settings, store: Store, run: int) -> tuple[str, str, str]:
    """A paper of Ada's week-1 issue whose "more like this" brings a week-2 paper into her issue that the
    plan without votes left out: (profile, liked paper, raised paper). The test fails if no like raises any."""
    without = {pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    for section in ada_week1(store).sections:
        for item in section.items:
            store.votes.record_vote(ADA, section.profile_id, item.paper_id, True, "page")
            raised = [pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA]) if pid not in without]
            with store.database.transaction() as db:
                db.execute("DELETE FROM reader_votes")
            if raised:
                return section.profile_id, item.paper_id, raised[0]
    pytest.fail("no like of Ada's raised a paper")


def test_a_like_raises_a_similar_paper_from_below_the_threshold_into_that_readers_issue_only(world):
    settings, store, run, (profile, liked, raised) = world
    without = plan_week(settings, store, WEEK2, run)
    assert (raised, profile) not in {(a.paper_id, a.profile_id) for _, a in store.classification.assigned_since(
        [profile], PAPERS_PER_WEEK, 10**9)}, "it was below the threshold: not an assignment"
    store.votes.record_vote(ADA, profile, liked, True, "page")
    planned = plan_week(settings, store, WEEK2, run)
    ada = {pid: (pp, score, why) for pid, pp, score, why in picks(planned[ADA])}
    assert ada[raised][0] == profile and ada[raised][1] >= 0.5
    title = store.papers.papers([liked])[liked].title
    assert f"a paper you liked: '{title[:40]}" in ada[raised][2]  # the reason says why, truly
    vectors = centred(store, list(store.papers.papers([liked, raised]).values()))
    assert float(vectors[liked] @ vectors[raised]) > 0.1  # raised for its likeness to the liked paper
    assert picks(planned[GRACE]) == picks(without[GRACE])  # no one else's issue moves
    assert picks(without[ADA]) == picks(without[GRACE])


def test_a_not_for_me_pushes_a_similar_paper_down_and_says_why(world):
    settings, store, run, _ = world
    profile, disliked, similar, cosine = closest_pair(store, ada_week1(store), stored=True)
    assert cosine > 0.3
    before = {pid: score for pid, pp, score, _ in picks(plan_week(settings, store, WEEK2, run)[ADA]) if pp == profile}
    assert similar in before
    store.votes.record_vote(ADA, profile, disliked, False, "page")
    after = {pid: (pp, score, why) for pid, pp, score, why in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    assert similar not in after or (after[similar][0], after[similar][1] < before[similar]) == (profile, True)
    if similar in after:
        assert "a paper you marked not for me" in after[similar][2] or before[similar] - after[similar][1] < 0.05


def test_a_second_vote_replaces_the_first(world):
    settings, store, run, (profile, liked, similar) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    store.votes.record_vote(ADA, profile, liked, False, "page")  # changed her mind
    assert similar not in {pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    assert [v.liked for v in store.votes.votes_of([ADA])[ADA]] == [False]


def test_readers_without_votes_are_planned_from_the_stored_assignments_without_a_scorer(world):
    settings, store, run, _ = world

    def no_scorer(*args, **kwargs):
        raise AssertionError("a scorer was made although no reader voted")

    planned = plan_week(settings, store, WEEK2, run, scorer_for=no_scorer)
    assert picks(planned[ADA]) == picks(planned[GRACE]) and len(picks(planned[ADA])) >= 1


def test_a_vote_in_a_profile_the_reader_no_longer_follows_changes_nothing(world):
    settings, store, run, (profile, liked, _) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    others = [p for p in settings.profiles if p.id != profile]
    readers = [r.model_copy(update={"profiles": [p.id for p in others]}) if r.email == ADA else r
               for r in settings.readers]
    narrowed = settings.model_copy(update={"readers": readers})
    planned = plan_week(narrowed, store, WEEK2, run)
    assert picks(planned[ADA]) == [p for p in picks(planned[GRACE]) if p[1] != profile]


def full_reference(week, reader, profiles, votes, cursor, delivered) -> list[Item]:
    """What the voter's picks must be: every candidate pair of the voted profiles through `adjust`, no screening."""
    mine = [Vote(v.paper_id, v.profile_id, v.liked) for v in votes if v.profile_id in profiles]
    voted = {v.profile_id for v in mine}
    candidates = [p for p in week.papers if p.seq > cursor and p.id not in delivered]
    base = {(p.id, pid): week.base((p.id, pid)) for p in candidates for pid in voted}
    moved = adjust({pair: value for pair, (value, _) in base.items()}, week.vectors, mine, week.titles)
    rows = [(p, a) for pid in profiles if pid not in voted for p, a in week.stored.get(pid, ()) if p.seq > cursor]
    rows += [(p, Assignment(p.id, pid, moved[(p.id, pid)].value, "")) for p in candidates for pid in voted
             if moved[(p.id, pid)].value >= week.thresholds[pid]]
    rows.sort(key=lambda row: (-row[1].score, row[0].seq, row[1].profile_id))  # a paper's ties: the first profile
    picked = best_per_paper(rows, delivered)[:reader.max_papers]
    out = []
    for item in picked:
        pair = (item.paper.id, item.assignment.profile_id)
        if pair in moved:
            why = base[pair][1]
            item = Item(item.paper, Assignment(*pair, item.assignment.score,
                                               with_note(why if isinstance(why, str) else why(), moved[pair])))
        out.append(item)
    return out


def test_the_screen_before_adjust_picks_exactly_what_adjusting_every_pair_picks(world):
    """voter_items passes `adjust` only the pairs the votes can move into, within or out of the picks; for many
    random sets of votes (both kinds, several profiles, tight and loose limits) that gives the same issue."""
    settings, store, run, _ = world
    rng = random.Random(5)
    shown = store.papers.papers_between(0, PAPERS_PER_WEEK)
    profiles = [p.id for p in settings.profiles]
    every = [VoteRecord(ADA, profile, paper.id, True, NOW) for profile in profiles for paper in shown]
    week = voters_week(store, settings, {ADA: every}, {ADA: profiles}, PAPERS_PER_WEEK, 10**9)  # scored once
    for case in range(60):
        votes = [VoteRecord(ADA, rng.choice(profiles), paper.id, rng.random() < 0.6, NOW)
                 for paper in rng.sample(shown, rng.randint(1, 8))]
        reader = settings.readers[0].model_copy(update={"max_papers": rng.choice([1, 3, 10, 40])})
        screened = voter_items(week, reader, profiles, votes, PAPERS_PER_WEEK, set())
        assert screened == full_reference(week, reader, profiles, votes, PAPERS_PER_WEEK, set()), case
