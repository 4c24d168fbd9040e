"""Reader feedback with real vectors: the packaged MiniLM model on papers of the real digests."""

from __future__ import annotations

import datetime as dt

import pytest

from papercast.models import StoredPaper
from papercast.relevance.embed import MiniLMOnnx
from papercast.relevance.feedback import (DEFAULT_FEEDBACK, Adjusted, FeedbackWeights, Vote, adjust,
                                          with_note)
from papercast.sources import parse_input

DAY = dt.date(2026, 11, 23)
PAPERS = {  # a short name -> the start of a real title in ../shared/digests
    "pissa": "PiSSA: Principal Singular Values", "sorsa": "SORSA: Singular Values",
    "loldu": "LoLDU: Low-Rank Adaptation", "trans-lora": "Trans-LoRA", "mixlora": "MixLoRA",
    "protein-lora": "Energy Efficient Protein Language Models", "astro": "AstroM^3",
    "clinical": "Do We Still Need Clinical Language Models", "biomedical": "Biomedical Large Languages Models",
    "radiology": "Towards a clinically accessible radiology", "radiology-errors": "Exploring Multimodal Large "
    "Language Models for Radiology", "bignas": "BigNAS", "darts": "sharpDARTS", "qwen": "Qwen2.5 Technical Report",
    "gemmar": "GemmAr", "freeze-omni": "Freeze-Omni",
}


@pytest.fixture(scope="module")
def corpus(shared_digests) -> dict[str, StoredPaper]:
    found = {}
    for path in sorted(shared_digests.glob("*.txt")):
        for p in parse_input(path.read_bytes(), path.name, DAY).papers:
            found.setdefault(p.title, StoredPaper(p.id, p.title, p.abstract, DAY, "test"))
    return {name: next(p for title, p in found.items() if title.startswith(start)) for name, start in PAPERS.items()}


@pytest.fixture(scope="module")
def vectors(corpus) -> dict[str, object]:
    """Each paper's (2, DIM) vectors as papercast stores them, by paper id."""
    papers = list(corpus.values())
    return dict(zip([p.id for p in papers], MiniLMOnnx().embed_papers(papers)))


@pytest.fixture(scope="module")
def ids(corpus) -> dict[str, str]:
    return {name: paper.id for name, paper in corpus.items()}


def scores(ids, profile: str, **values: float) -> dict[tuple[str, str], float]:
    return {(ids[name.replace("_", "-")], profile): value for name, value in values.items()}


def test_a_liked_paper_raises_a_similar_paper_above_a_dissimilar_one(ids, vectors, corpus):
    base = scores(ids, "peft", sorsa=0.30, astro=0.354321)
    out = adjust(base, vectors, [Vote(ids["pissa"], "peft", liked=True)], {ids["pissa"]: corpus["pissa"].title})
    similar, dissimilar = out[ids["sorsa"], "peft"], out[ids["astro"], "peft"]
    assert similar.value > 0.5 > dissimilar.value
    assert dissimilar == Adjusted(0.354321)  # nothing in common: not moved at all, and no note
    assert similar.note.startswith("close to a paper you liked: 'PiSSA: Principal Singular Values")


def test_a_disliked_paper_lowers_its_near_duplicates(ids, vectors, corpus):
    base = scores(ids, "llms", biomedical=0.7, bignas=0.7)
    out = adjust(base, vectors, [Vote(ids["clinical"], "llms", liked=False)],
                 {ids["clinical"]: corpus["clinical"].title})
    assert out[ids["biomedical"], "llms"].value < 0.5
    assert out[ids["biomedical"], "llms"].note == ("close to a paper you marked not for me: "
                                                   "'Do We Still Need Clinical Language Models?'")
    assert out[ids["bignas"], "llms"] == Adjusted(0.7)


def test_no_votes_give_exactly_the_base_scores(ids, vectors):
    base = scores(ids, "peft", sorsa=0.123456, loldu=1.0, astro=0.0)
    assert adjust(base, vectors, []) == {pair: Adjusted(value) for pair, value in base.items()}


def test_votes_move_only_the_profile_they_were_cast_in(ids, vectors):
    base = {**scores(ids, "peft", sorsa=0.3), **scores(ids, "medical", sorsa=0.3)}
    out = adjust(base, vectors, [Vote(ids["pissa"], "peft", liked=True)])
    assert out[ids["sorsa"], "peft"].value > 0.5
    assert out[ids["sorsa"], "medical"] == Adjusted(0.3)


def test_a_later_vote_replaces_an_earlier_one(ids, vectors):
    base = scores(ids, "peft", sorsa=0.6)
    liked, disliked = Vote(ids["pissa"], "peft", True), Vote(ids["pissa"], "peft", False)
    assert adjust(base, vectors, [liked, disliked]) == adjust(base, vectors, [disliked])
    assert adjust(base, vectors, [disliked, liked]) == adjust(base, vectors, [liked])


def test_an_excluded_paper_stays_excluded_and_an_unknown_vote_is_skipped(ids, vectors):
    base = scores(ids, "peft", sorsa=0.0, loldu=0.4)
    out = adjust(base, vectors, [Vote(ids["pissa"], "peft", True)])
    assert out[ids["sorsa"], "peft"] == Adjusted(0.0)
    assert adjust(base, vectors, [Vote("never-embedded", "peft", True)]) == adjust(base, vectors, [])


def test_a_small_move_gets_no_note_and_notes_join_the_scorers_reason(ids, vectors):
    base = scores(ids, "peft", trans_lora=0.02, mixlora=0.3, loldu=0.4)
    out = adjust(base, vectors, [Vote(ids["pissa"], "peft", True)])
    assert out[ids["trans-lora"], "peft"].note == ""  # raised a little (cos 0.24), far below a visible change
    assert out[ids["trans-lora"], "peft"].value > 0.02
    assert out[ids["mixlora"], "peft"] == Adjusted(0.3)  # cos 0.17: under the floor, not moved
    assert out[ids["loldu"], "peft"].note == "raised by its likeness to a paper you liked"  # no title given
    assert with_note("title mentions lora", out[ids["loldu"], "peft"]) == \
        "title mentions lora; raised by its likeness to a paper you liked"
    assert with_note("title mentions lora", out[ids["trans-lora"], "peft"]) == "title mentions lora"


# A reader of "parameter-efficient fine-tuning": five votes on earlier papers, and next week's candidates.
VOTES = [("pissa", True), ("protein_lora", True), ("mixlora", True), ("clinical", False), ("astro", False)]
NEXT_WEEK = dict(sorsa=0.62, loldu=0.58, trans_lora=0.55, radiology=0.50, biomedical=0.48, radiology_errors=0.45,
                 bignas=0.40, darts=0.35, qwen=0.30, gemmar=0.30, freeze_omni=0.20)


def top_three(ids, vectors, flipped: int | None, weights: FeedbackWeights = DEFAULT_FEEDBACK) -> list[str]:
    votes = [Vote(ids[name.replace("_", "-")], "peft", liked != (i == flipped))
             for i, (name, liked) in enumerate(VOTES)]
    out = adjust(scores(ids, "peft", **NEXT_WEEK), vectors, votes, weights=weights)
    return [pair[0] for pair, a in sorted(out.items(), key=lambda item: -item[1].value)[:3]]


@pytest.mark.parametrize("flipped", range(len(VOTES)))
def test_one_noisy_vote_among_five_changes_at_most_one_top_pick(ids, vectors, flipped):
    clean = top_three(ids, vectors, None)
    assert clean == [ids["sorsa"], ids["loldu"], ids["trans-lora"]]
    assert len(set(top_three(ids, vectors, flipped)) & set(clean)) >= 2


def test_the_noisy_vote_check_can_fail(ids, vectors):
    """With weights ten times the shipped ones, one flipped vote (the like of PiSSA) does wreck the picks."""
    heavy = FeedbackWeights(10 * DEFAULT_FEEDBACK.like, 10 * DEFAULT_FEEDBACK.dislike, DEFAULT_FEEDBACK.floor)
    clean = top_three(ids, vectors, None, heavy)
    assert clean == [ids["sorsa"], ids["loldu"], ids["trans-lora"]]
    assert len(set(top_three(ids, vectors, 0, heavy)) & set(clean)) < 2
