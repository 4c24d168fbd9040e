"""The description's words in the paper (papercast.relevance.lexical): stop-words, rarity, saturation, the cap."""

from __future__ import annotations

import datetime as dt

import numpy as np

from papercast.models import StoredPaper
from papercast.relevance.lexical import TOP, Corpus, lexical_signals, query, shared_words, shipped_corpus, words

DAY = dt.date(2026, 11, 23)


def paper(pid: str, title: str, abstract: str) -> StoredPaper:
    return StoredPaper(pid, title, abstract, DAY, "test")


def test_words_drop_stop_words_and_a_profiles_chatter_and_stem_lightly():
    assert words("I want to hear about data curation and filtering of datasets") == ["data", "cur", "filter", "dataset"]
    assert words("Filtered datasets") == ["filter", "dataset"]


def test_a_rare_word_weighs_more_than_a_common_one():
    corpus = shipped_corpus()
    weights = query("language models for radiology", corpus)
    assert weights["radiology"] > 2 * weights["model"]
    assert corpus.idf("a-word-no-paper-uses") > weights["radiology"]


def test_title_and_abstract_are_read_apart_and_repeats_saturate():
    corpus = Corpus(documents=100, average_length=10.0, frequency={"curat": 5, "data": 50})
    q = query("data curation", corpus)
    once = paper("a", "Curation at scale", "We curate data.")
    often = paper("b", "Something else", "curation " * 5 + "data data data")
    found = lexical_signals([once, often], [q], corpus)
    assert found[0, 0, 0] == q["cur"] and found[1, 0, 0] == 0  # title
    assert 0 < found[1, 0, 1] < 5 * q["cur"] + 3 * q["data"]    # abstract, saturated


def test_only_the_best_words_count_so_a_long_description_is_not_favoured():
    corpus = Corpus(documents=100, average_length=5.0, frequency={})
    many = "alpha beta gamma delta epsilon zeta eta theta"
    doc = paper("p", many, many)
    short, long = lexical_signals([doc], [query("alpha beta gamma delta", corpus), query(many, corpus)], corpus)[0]
    assert np.allclose(short, long)  # both capped at the TOP = 4 best words
    assert TOP == 4


def test_scores_of_a_paper_do_not_depend_on_the_other_papers_of_the_batch():
    corpus = shipped_corpus()
    q = [query("synthetic data generation and data filtering", corpus)]
    doc = paper("x", "Synthetic data for math", "We generate synthetic problems and filter them.")
    others = [paper(f"o{i}", f"Paper {i}", "Synthetic text " * i) for i in range(20)]
    alone = lexical_signals([doc], q, corpus)[0]
    together = lexical_signals(others + [doc], q, corpus)[-1]
    assert np.array_equal(alone, together)


def test_shared_words_are_named_as_the_description_writes_them_rarest_first():
    corpus = shipped_corpus()
    used = set(words("Curation of synthetic datasets for training"))
    assert shared_words(used, "How training data gets made: synthetic data, curation.", corpus) == [
        "curation", "synthetic"]
