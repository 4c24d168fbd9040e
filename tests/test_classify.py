"""classify_papers, the keyword baseline, backend choice, the vector-cache migration, and quality."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from papercast.relevance.keywords import KeywordScorer
from papercast.relevance.base import Score
from papercast.relevance.registry import backend_name, make_scorer
from papercast.relevance.classify import classify_papers
from papercast.config import Profile, load_settings
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
        store.save_vectors("m:text", [("p", "h1", b"\x00" * 8)])
        assert store.cached_vectors("m:text", {"p": "h1"}) == {"p": b"\x00" * 8}
        assert store.cached_vectors("m:text", {"p": "other-text"}) == {}
    version = sqlite3.connect(state).execute("PRAGMA user_version").fetchone()[0]
    assert SCHEMA_VERSION >= 4 and version == SCHEMA_VERSION


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_relevance", PROJECT / "bench" / "relevance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hybrid_beats_the_keyword_baseline_on_the_labelled_test_split(shared_digests):
    bench = load_bench()
    settings = load_settings(PROJECT / "config" / "papercast.toml")
    papers, gold, split = bench.labelled_set()
    test_gold = {pid: labels for pid, labels in gold.items() if split[pid] == "test"}
    f1 = {}
    for scorer in (KeywordScorer(), make_scorer(settings)):
        predicted = bench.predictions(scorer, papers, settings.profiles, settings.classify.threshold)
        f1[scorer.name] = bench.prf(*bench.counts(predicted, test_gold, None))[2]
    assert f1["hybrid-minilm"] >= 0.70
    assert f1["hybrid-minilm"] >= f1["keywords"] + 0.05


def test_every_further_annotator_labels_known_papers_with_known_profiles(shared_digests):
    bench = load_bench()
    settings = load_settings(PROJECT / "config" / "papercast.toml")
    papers, gold, split = bench.labelled_set()
    others = bench.other_annotators(papers)
    assert "b" in others and set(others["b"]) == set(gold)
    profile_ids = {p.id for p in settings.profiles}
    for labels in others.values():
        assert set(labels) <= set(gold)
        assert all(found <= profile_ids for found in labels.values())


def test_agreement_is_symmetric_and_perfect_only_for_identical_labels(shared_digests):
    bench = load_bench()
    papers, gold, split = bench.labelled_set()
    second = bench.other_annotators(papers)["b"]
    for part in ("dev", "test"):
        assert bench.micro_f1(gold, gold, split, part) == 1.0
        assert bench.micro_f1(second, gold, split, part) == pytest.approx(bench.micro_f1(gold, second, split, part))
    altered = {pid: (set() if i % 3 == 0 else labels) for i, (pid, labels) in enumerate(gold.items())}
    assert bench.micro_f1(altered, gold, split, "test") < 1.0


def test_a_resample_of_every_paper_once_gives_the_plain_micro_f1(shared_digests):
    bench = load_bench()
    papers, gold, split = bench.labelled_set()
    second = bench.other_annotators(papers)["b"]
    ids = sorted(pid for pid in gold if split[pid] == "test")
    rows = bench.paper_counts(second, gold, ids)
    every_paper_once = np.arange(len(ids))[None, :]
    only_the_first_paper = np.zeros((1, len(ids)), dtype=int)
    assert bench.bootstrap_f1(rows, every_paper_once)[0] == pytest.approx(bench.micro_f1(second, gold, split, "test"))
    assert bench.bootstrap_f1(rows, only_the_first_paper)[0] == pytest.approx(
        bench.micro_f1({ids[0]: second[ids[0]]}, {ids[0]: gold[ids[0]]}, {ids[0]: "test"}, "test"))
