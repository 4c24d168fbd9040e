"""`papercast preview`'s core: what a profile would take from the stored papers of the last weeks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest

from papercast.config import load_settings

from papercast.settings import Profile
from papercast.errors import ConfigError
from papercast.relevance.keywords import KeywordScorer
from papercast.relevance.preview import TOO_MANY_SHARE, preview, preview_lines
from papercast.sources import parse_input
from papercast.store import Store
from tests.conftest import write_config

AS_OF = dt.date(2026, 11, 23)
OLD = AS_OF - dt.timedelta(days=60)


@pytest.fixture(scope="module")
def state(tmp_path_factory, shared_digests):
    """A store with one real digest first seen this week and another two months ago."""
    folder = tmp_path_factory.mktemp("preview")
    config = load_settings(write_config(folder))
    files = sorted(shared_digests.glob("*.txt"))[:2]
    with Store.open(config.paths.state) as store:
        run = store.runs.start_run(AS_OF)
        for path, day in zip(files, (AS_OF - dt.timedelta(days=2), OLD)):
            digest = parse_input(path.read_bytes(), path.name, AS_OF)
            store.papers.ingest_digest(dataclasses.replace(digest, date=day), run)
    return config


def settings_with(config, profile: Profile):
    return config.model_copy(update={"profiles": list(config.profiles) + [profile]})


@pytest.mark.slow
def test_a_preview_lists_what_the_profile_would_take_best_first_then_the_nearest_misses(state):
    with Store.open(state.paths.state) as store:
        found = preview(store, state, "multimodal", weeks=1, as_of=AS_OF)
        recent = store.papers.papers_seen_between(AS_OF - dt.timedelta(days=6), AS_OF)
    assert found.seen == len(recent) > 0  # only the papers of the last week, not the older digest
    assert found.taken, "a vision-language profile takes some papers of a real week"
    scores = [c.score for c in found.taken] + [c.score for c in found.misses]
    assert scores == sorted(scores, reverse=True)
    assert all(c.score >= 0.5 for c in found.taken) and all(c.score < 0.5 for c in found.misses)
    assert len(found.misses) == 5 and all(c.why for c in found.taken + found.misses)
    lines = "\n".join(preview_lines(found))
    assert "Would take, best first:" in lines and "Nearest misses:" in lines
    assert found.taken[0].paper.title[:40] in lines and found.warning is None


@pytest.mark.slow
def test_a_preview_warns_when_a_profile_takes_almost_nothing_or_almost_everything(state):
    nothing = Profile(id="sheep", title="Sheep farming", description="Breeding and shearing sheep.",
                      keywords=["wool", "lambing"])
    everything = Profile(id="all", title="Language models", description="Anything.", keywords=["model"],
                         threshold=0.0)
    with Store.open(state.paths.state) as store:
        few = preview(store, settings_with(state, nothing), "sheep", weeks=12, as_of=AS_OF)
        many = preview(store, settings_with(state, everything), "all", weeks=12, as_of=AS_OF)
    assert not few.taken and "takes almost nothing" in few.warning
    assert len(many.taken) > TOO_MANY_SHARE * many.seen and "takes almost everything" in many.warning
    assert "Warning: takes almost nothing" in "\n".join(preview_lines(few))


def test_a_preview_of_an_empty_window_says_so_and_an_unknown_profile_is_a_config_error(state):
    with Store.open(state.paths.state) as store:
        empty = preview(store, state, "reasoning", weeks=1, as_of=AS_OF + dt.timedelta(days=30))
        with pytest.raises(ConfigError, match="no profile 'nope'"):
            preview(store, state, "nope", weeks=1, as_of=AS_OF)
    assert empty.seen == 0 and not empty.taken and "no stored papers in these weeks" in empty.warning


def test_weeks_are_counted_back_from_the_latest_stored_paper_not_from_today(state):
    """A state last fed weeks ago (the shipped example's digests are from November) still previews its weeks."""
    with Store.open(state.paths.state) as store:
        latest = preview(store, state, "reasoning", weeks=1, scorer=KeywordScorer())
    assert (latest.last, latest.first) == (AS_OF - dt.timedelta(days=2), AS_OF - dt.timedelta(days=8))
    assert latest.seen > 0


def test_the_preview_core_runs_without_prefect():
    code = "import sys, papercast.relevance.preview; sys.exit('prefect' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
