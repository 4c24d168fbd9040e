"""classify_papers, the keyword baseline, backend choice, the vector-cache migration, and quality."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

from papercast.relevance.keywords import KeywordScorer
from papercast.relevance.base import Score
from papercast.relevance.registry import backend_name, make_scorer
from papercast.relevance.classify import classify_papers
from papercast.config import load_settings
from papercast.settings import Profile
from papercast.errors import ConfigError
from papercast.models import StoredPaper
from papercast.store import SCHEMA_VERSION, Store
from tests.conftest import write_config

DAY = dt.date(2026, 11, 23)
PROJECT = Path(__file__).resolve().parent.parent


def paper(pid: str, title: str, abstract: str = "") -> StoredPaper:
    return StoredPaper(pid, title, abstract, DAY, "test")


class FixedScorer:
    """A scorer whose scores are given: isolates classify_papers' thresholds."""

    name = "fixed"

    def __init__(self, values):
        self.values = values

    def score(self, papers, profiles):
        return [[Score(self.values[p.id][q.id], "given") for q in profiles] for p in papers]


def test_thresholds_default_and_per_profile():
    profiles = [Profile(id="a", title="A"), Profile(id="b", title="B", threshold=0.8)]
    scorer = FixedScorer({"p1": {"a": 0.6, "b": 0.7}, "p2": {"a": 0.4, "b": 0.9}})
    got = classify_papers([paper("p1", "x"), paper("p2", "y")], profiles, scorer, 0.5)
    assert {(a.paper_id, a.profile_id) for a in got} == {("p1", "a"), ("p2", "b")}


def test_no_papers_need_no_scorer():
    assert classify_papers([], [Profile(id="a", title="A")], None, 0.5) == []


def test_keyword_baseline_weights_title_over_abstract_and_honours_exclude():
    profile = Profile(id="q", title="Q", keywords=["quantization"], exclude=["radiology"])
    rows = KeywordScorer().score([paper("t", "Quantization", ""), paper("a", "Models", "uses quantization"),
                                  paper("x", "Quantization in radiology", "")], [profile])
    title, abstract, excluded = (row[0] for row in rows)
    assert title.value > abstract.value > 0
    assert excluded.value == 0 and "radiology" in excluded.why


def test_backend_is_chosen_by_config_and_named_in_the_report(tmp_path):
    hybrid = load_settings(write_config(tmp_path / "h"))
    keywords = load_settings(write_config(tmp_path / "k", extra='[classify]\nbackend = "keywords"'))
    assert backend_name(hybrid) == make_scorer(hybrid).name == "hybrid-minilm"
    assert backend_name(keywords) == make_scorer(keywords).name == "keywords"


def test_an_unknown_backend_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="classify.backend"):
        load_settings(write_config(tmp_path, extra='[classify]\nbackend = "gpt"'))


def test_a_v1_state_gains_the_vector_cache(tmp_path):
    state = tmp_path / "state.sqlite"
    shutil.copy(PROJECT / "tests" / "data" / "state-v1.sqlite", state)
    with Store.open(state) as store:
        store.vectors.save_vectors("m:text", [("p", "h1", b"\x00" * 8)])
        assert store.vectors.cached_vectors("m:text", {"p": "h1"}) == {"p": b"\x00" * 8}
        assert store.vectors.cached_vectors("m:text", {"p": "other-text"}) == {}
    version = sqlite3.connect(state).execute("PRAGMA user_version").fetchone()[0]
    assert SCHEMA_VERSION >= 4 and version == SCHEMA_VERSION


def bench_modules():
    """bench/relevance_data.py, _fit.py and _metrics.py, imported as the bench imports them."""
    sys.path.insert(0, str(PROJECT / "bench"))
    try:
        return (importlib.import_module("relevance_data"), importlib.import_module("relevance_fit"),
                importlib.import_module("relevance_metrics"))
    finally:
        sys.path.remove(str(PROJECT / "bench"))


@pytest.mark.parametrize("name", ["sample", "terse", "chatty", "mixed", "practitioner"])
def test_every_annotator_labels_every_paper_with_known_profiles(shared_digests, name):
    data, _, _ = bench_modules()
    papers = data.load_papers()
    gold = data.load_set(name, papers)
    ids = {p.id for p in gold.profiles}
    assert len(papers.papers) == 219 and set(gold.gold) == {p.id for p in papers.papers}
    for annotator in data.annotators(name):
        labels = data.load_set(name, papers, annotator).gold
        assert set(labels) <= set(gold.gold) and all(found <= ids for found in labels.values())


def test_agreement_is_symmetric_and_perfect_only_for_identical_labels(shared_digests):
    data, _, metrics = bench_modules()
    papers = data.load_papers()
    gold, second = data.load_set("terse", papers).gold, data.load_set("terse", papers, "a").gold
    assert metrics.agreement(gold, gold) == 1.0
    assert metrics.agreement(second, gold) == pytest.approx(metrics.agreement(gold, second))
    altered = {pid: (set() if i % 3 == 0 else labels) for i, (pid, labels) in enumerate(gold.items())}
    assert metrics.agreement(altered, gold) < 1.0


def outcome(fit, s, y):
    return fit.Outcome("x", ["a", "b"], [f"p{i}" for i in range(len(s))], np.array(s, float), np.array(y, float))


def test_micro_figures_best_threshold_recalls_and_interval():
    _, fit, metrics = bench_modules()
    o = outcome(fit, [[0.9, 0.2], [0.6, 0.7], [0.1, 0.4]], [[1, 0], [0, 1], [1, 0]])
    at = metrics.micro([o], 0.5)
    assert (at.tp, at.fp, at.fn) == (2, 1, 1) and at.f1 == pytest.approx(2 / 3)
    assert metrics.best_threshold([o]) == (pytest.approx(0.61), pytest.approx(0.8))  # 0.6 is no longer taken
    assert metrics.recalls([o], 0.5) == [("x", "a", 2, 0.5), ("x", "b", 1, 1.0)]
    low, high = metrics.interval([o], 0.5)
    assert low <= at.f1 <= high


def test_the_fit_weighs_every_set_alike_and_keeps_variant_ids():
    _, fit, _ = bench_modules()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 7))
    one = fit.Design(x, (x[:, 0] > 1).astype(float))
    other = fit.Design(x[:50], (x[:50, 1] > 1).astype(float))
    doubled = fit.Design(np.vstack([other.x, other.x]), np.concatenate([other.y, other.y]))
    assert fit.fit([one, other]) == fit.fit([one, doubled])  # a set repeated weighs no more
    profile = Profile(id="p", title="P", description="One. Two.", keywords=["a", "b", "c", "d", "e"])
    assert {v.id for v in fit.style_variants([profile])} == {"p"}


@pytest.mark.slow
def test_the_hybrid_beats_the_keyword_baseline_on_profiles_it_was_not_fitted_on(shared_digests):
    data, fit, metrics = bench_modules()
    sys.path.insert(0, str(PROJECT / "bench"))
    try:
        bench = importlib.import_module("relevance")
    finally:
        sys.path.remove(str(PROJECT / "bench"))
    papers = data.load_papers()
    sets = {name: data.load_set(name, papers) for name in data.CHOOSING}
    held = fit.leave_one_set_out(["terse", "chatty"], sets, papers)
    keywords = [bench.keyword_outcome(sets[name], papers) for name in ("terse", "chatty")]
    hybrid_f1, keyword_f1 = metrics.micro(held, 0.5).f1, metrics.micro(keywords, 0.5).f1
    assert hybrid_f1 >= 0.55 and hybrid_f1 >= keyword_f1 + 0.05
