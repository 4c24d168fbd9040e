"""Votes teach their reader: planned with the real hybrid scorer and MiniLM vectors on papers of two real
Daily Papers captures. A "more like this" on a paper of the explore section brings papers like it into
that reader's next issue (with a true reason), a "not for me" pushes a similar one down, a second vote
replaces the first, and no other reader's issue changes. Readers without votes get exactly the picks the
stored assignments give; the explore section is recorded with the issue and never delivered. Real SQLite,
no Prefect."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.delivery.write import record_written, write_issues
from papercast.models import Digest
from papercast.newsletter.candidates import CandidateIndex
from papercast.newsletter.plan import plan_issues
from papercast.newsletter.selection import select_run
from papercast.newsletter.tastes import centred_of
from papercast.relevance.backlog import classify_backlog
from papercast.sources import parse_input
from papercast.store import Store

# The model on two real weeks: about 7 s, a quarter of the fast lane; the full suite runs it (README, Tests).
pytestmark = pytest.mark.slow

ADA, GRACE = "ada@example.org", "grace@example.org"
WEEK1, WEEK2 = dt.date(2026, 3, 13), dt.date(2026, 3, 16)
NOW = dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.UTC)
CAPTURES = ("001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt")
PAPERS_PER_WEEK = 36
PROFILES = ["efficient-llm", "multimodal", "reasoning"]
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


def plan_week(settings, store: Store, day: dt.date, run: int, keep: bool = False):
    """Each reader's plan for `day`; unless `keep`, the planned issues are taken out of the ledger again, so
    the next call plans afresh (a planned issue is otherwise finished first, not planned again)."""
    plans = {p.reader.email: p for p in plan_issues(store, settings, select_run(settings), day, run, NOW).to_write}
    if not keep:
        with store.database.transaction() as db:
            db.execute("DELETE FROM issues WHERE status = 'planned'")
    return plans


@pytest.fixture(scope="module")
def weeks(tmp_path_factory, shared_digests):
    """Ada and Grace (same profiles) got week 1's issue; week 2 is stored and classified, not planned."""
    folder = tmp_path_factory.mktemp("learning-weeks")
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


def ada_week1(store: Store):
    return store.ledger.delivered_on(ADA, "email", 1)[0]


def picks(plan) -> list[tuple[str, str, float, str]]:
    return [(item.paper.id, section.profile_id, item.assignment.score, item.assignment.why)
            for section in plan.sections for item in section.items]


def cosine(store: Store, one: str, other: str) -> float:
    papers = store.papers.papers([one, other])
    vectors = centred_of(store, [papers[one], papers[other]])
    return float(vectors[0] @ vectors[1])


def raising_like(settings, store: Store, run: int) -> tuple[str, str, str]:
    """A paper of the explore section of Ada's week-1 issue whose "more like this" brings a week-2 paper into
    her issue that the plan without votes left out: (profile, liked paper, raised paper). Fails if none does."""
    issue = ada_week1(store)
    assert issue.explore, "Ada's week-1 issue has an explore section"
    without = {pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    for item in issue.explore:
        store.votes.record_vote(ADA, item.profile_id, item.paper_id, True, "page")
        raised = [pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA]) if pid not in without]
        with store.database.transaction() as db:
            db.execute("DELETE FROM reader_votes")
            db.execute("DELETE FROM reader_tastes")
        if raised:
            return item.profile_id, item.paper_id, raised[0]
    pytest.fail("no like on Ada's explore section raised a paper")


def test_a_like_on_an_explore_paper_raises_papers_like_it_the_next_week_for_that_reader_only(world):
    settings, store, run, (profile, liked, raised) = world
    without = plan_week(settings, store, WEEK2, run)
    assert (raised, profile) not in {(a.paper_id, a.profile_id) for _, a in store.classification.assigned_since(
        [profile], PAPERS_PER_WEEK, 10**9)}, "it was below the threshold: not an assignment"
    store.votes.record_vote(ADA, profile, liked, True, "page")
    planned = plan_week(settings, store, WEEK2, run)
    ada = {pid: (pp, score, why) for pid, pp, score, why in picks(planned[ADA])}
    assert ada[raised][0] == profile and ada[raised][1] >= 0.5
    title = store.papers.papers([liked])[liked].title
    assert f"like a paper you marked more like this: '{title[:40]}" in ada[raised][2]  # the reason says why
    assert cosine(store, liked, raised) > 0.1  # raised for its likeness to the liked paper
    assert picks(planned[GRACE]) == picks(without[GRACE])  # no one else's issue moves
    assert picks(without[ADA]) == picks(without[GRACE])


def test_a_not_for_me_pushes_similar_papers_down(world):
    settings, store, run, _ = world
    before = {(pid, pp): score for pid, pp, score, _ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    shown = [(s.profile_id, a.paper_id) for s in ada_week1(store).sections for a in s.items]
    likeness, profile, disliked, similar = max(
        (cosine(store, old, new), pp, old, (new, pp)) for pp, old in shown for new, p2 in before if p2 == pp)
    assert likeness > 0.3, "a week-2 pick like one of week 1 in the same profile"
    store.votes.record_vote(ADA, profile, disliked, False, "page")
    after = {(pid, pp): score for pid, pp, score, _ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    assert after.get(similar, 0.0) < before[similar]


def test_a_second_vote_replaces_the_first(world):
    settings, store, run, (profile, liked, raised) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    assert raised in {pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    store.votes.record_vote(ADA, profile, liked, False, "page")  # changed her mind
    assert raised not in {pid for pid, *_ in picks(plan_week(settings, store, WEEK2, run)[ADA])}
    assert [v.liked for v in store.votes.votes_of([ADA])[ADA]] == [False]


def test_a_reader_without_votes_gets_exactly_the_stored_assignments_best(world):
    settings, store, run, (profile, liked, _) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    planned = plan_week(settings, store, WEEK2, run)
    cursor = store.ledger.reader_cursor(GRACE)
    index = CandidateIndex(store.classification.assigned_since(PROFILES, cursor, 10**9))
    expected = [(i.paper.id, i.assignment.profile_id, i.assignment.score, i.assignment.why)
                for i in index.best(PROFILES, store.ledger.delivered(GRACE), 10)]
    assert sorted(picks(planned[GRACE])) == sorted(expected) and expected


def test_a_vote_in_a_profile_the_reader_no_longer_follows_changes_nothing(world):
    settings, store, run, (profile, liked, _) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    others = [p for p in settings.profiles if p.id != profile]
    readers = [r.model_copy(update={"profiles": [p.id for p in others]}) if r.email == ADA else r
               for r in settings.readers]
    narrowed = settings.model_copy(update={"readers": readers})
    planned = plan_week(narrowed, store, WEEK2, run)
    assert picks(planned[ADA]) == [p for p in picks(planned[GRACE]) if p[1] != profile]


def test_a_taste_is_kept_and_fitted_again_only_when_the_votes_change(world):
    settings, store, run, (profile, liked, _) = world
    store.votes.record_vote(ADA, profile, liked, True, "page")
    plan_week(settings, store, WEEK2, run)
    [first] = store.votes.tastes([(ADA, profile)]).values()
    with store.database.transaction() as db:
        db.execute("UPDATE reader_tastes SET fitted_at = 'kept'")
    plan_week(settings, store, WEEK2, run)
    assert store.database.db.execute("SELECT fitted_at FROM reader_tastes").fetchone()[0] == "kept"
    other = next(a.paper_id for s in ada_week1(store).sections for a in s.items if s.profile_id == profile)
    store.votes.record_vote(ADA, profile, other, False, "page")
    plan_week(settings, store, WEEK2, run)
    [second] = store.votes.tastes([(ADA, profile)]).values()
    assert second.fingerprint != first.fingerprint and len(second.voted) == 2


def test_the_explore_section_is_kept_with_the_issue_and_never_delivered(world):
    settings, store, run, _ = world
    issue = ada_week1(store)
    explored = set(issue.explore_ids)
    assert explored and not explored & set(issue.paper_ids)
    assert not explored & store.ledger.delivered(ADA)
    assert len([a for a in issue.explore if a.profile_id == issue.explore[0].profile_id]) <= 3
    assert all(0.1 <= a.score < 0.5 for a in issue.explore)


@pytest.mark.parametrize("where", ["readers", "profiles"])
def test_explore_zero_turns_the_section_off_for_a_reader_or_a_profile(world, where):
    settings, store, run, _ = world
    if where == "readers":
        changed = settings.model_copy(update={"readers": [
            r.model_copy(update={"explore": 0}) if r.email == ADA else r for r in settings.readers]})
    else:
        changed = settings.model_copy(update={"profiles": [
            p.model_copy(update={"explore": 0}) if p.id == PROFILES[0] else p for p in settings.profiles]})
    planned = plan_week(changed, store, WEEK2, run)
    if where == "readers":
        assert not planned[ADA].explore and planned[GRACE].explore
    else:
        assert all(s.profile_id != PROFILES[0] for s in planned[ADA].explore) and planned[ADA].explore
