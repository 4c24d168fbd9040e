"""The hybrid scorer with the real packaged MiniLM model: its pieces, its cache, its calibration."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from papercast.config import Profile
from papercast.models import StoredPaper
from papercast.relevance.embed import MiniLMOnnx, embed_with_cache
from papercast.relevance.hybrid import HybridScorer
from papercast.sources import parse_input
from papercast.store import Store

DAY = dt.date(2026, 11, 23)
QUANT = Profile(id="efficient-llm", title="Efficient LLM inference",
                description="Making language models smaller and faster to run.",
                keywords=["quantization", "pruning", "distillation"])


class CountingEmbedder(MiniLMOnnx):
    """The real model, counting the texts it embeds and reusing vectors of texts seen before."""

    def __init__(self):
        super().__init__()
        self.embedded = 0
        self.memo = {}

    def embed(self, texts):
        new = [t for t in dict.fromkeys(texts) if t not in self.memo]
        self.embedded += len(new)
        self.memo.update(zip(new, super().embed(new)))
        import numpy as np
        return np.vstack([self.memo[t] for t in texts]) if texts else super().embed([])


@pytest.fixture(scope="module")
def embedder():
    return CountingEmbedder()


def paper(pid: str, title: str, abstract: str) -> StoredPaper:
    return StoredPaper(pid, title, abstract, DAY, "test")


def score(embedder, papers, profile, cache=None):
    return [row[0] for row in HybridScorer(embedder, cache=cache).score(papers, [profile])]


def test_vectors_are_unit_length_and_similar_texts_are_close(embedder):
    a, b, c = embedder.embed(["4-bit quantization of language models", "quantizing LLM weights to low bit-width",
                              "protein structure prediction"])
    assert abs(float(a @ a) - 1) < 1e-4
    assert float(a @ b) > float(a @ c) + 0.2


def test_a_title_keyword_outranks_an_abstract_only_mention(embedder):
    abstract = "We benchmark sequence models on long documents; quantization is left for future work."
    titled = paper("t", "Quantization of sequence models for long documents", abstract)
    mentioned = paper("m", "Sequence models for long documents", abstract)
    by_title, by_abstract = score(embedder, [titled, mentioned], QUANT)
    assert by_title.value > by_abstract.value
    assert by_title.why.startswith("title mentions quantization")
    assert "abstract mentions quantization" in by_abstract.why


def test_an_exclude_term_removes_a_paper(embedder):
    strong = paper("x", "Quantization and pruning of LLMs for radiology reports", "We quantize and prune a model.")
    profile = QUANT.model_copy(update={"exclude": ["radiology"]})
    kept, = score(embedder, [strong], QUANT)
    removed, = score(embedder, [strong], profile)
    assert kept.value >= 0.5
    assert removed.value == 0.0 and removed.why == "excluded: mentions radiology"


def test_an_example_paper_pulls_its_near_duplicates_in(embedder):
    example = "Stitchable Neural Networks: trading accuracy for speed by stitching pretrained model families"
    near = paper("n", "Stitchable neural networks that trade accuracy for speed by stitching pretrained models",
                 "Stitching layers connect anchors of a model family so one network covers many budgets.")
    far = paper("f", "A survey of recommender systems", "We review collaborative filtering methods.")
    profile = QUANT.model_copy(update={"examples": [example]})
    before_near, before_far = score(embedder, [near, far], QUANT)
    after_near, after_far = score(embedder, [near, far], profile)
    assert before_near.value < 0.5 <= after_near.value
    assert "close to your example 'Stitchable Neural Networks" in after_near.why
    assert after_far.value == pytest.approx(before_far.value, abs=1e-3)


def test_a_counter_example_pushes_its_near_duplicates_out(embedder):
    doc = paper("d", "Pruning large language models with learned masks", "We prune LLM weights with learned masks.")
    profile = QUANT.model_copy(update={"counter_examples": ["Pruning large language models with learned masks"]})
    kept, = score(embedder, [doc], QUANT)
    pushed, = score(embedder, [doc], profile)
    assert kept.value >= 0.5 > pushed.value
    assert "counter-example" in pushed.why


def test_a_week_of_60_and_of_600_need_no_retuning(embedder, shared_digests):
    entries = [p for f in sorted(shared_digests.glob("*.txt"))
               for p in parse_input(f.read_bytes(), f.name, DAY).papers]
    week = [paper(f"w{i}", p.title, p.abstract) for i, p in enumerate(entries[:60])]
    big = week + [dataclasses.replace(week[0], id=f"b{i}", title=entries[i % len(entries)].title,
                                      abstract=entries[i % len(entries)].abstract) for i in range(540)]
    small_scores = score(embedder, week, QUANT)
    big_scores = score(embedder, big, QUANT)[:60]
    assert [s.value for s in small_scores] == [s.value for s in big_scores]
    share_small = sum(s.value >= 0.5 for s in small_scores) / 60
    share_big = sum(s.value >= 0.5 for s in score(embedder, big, QUANT)) / 600
    assert 0 < share_small < 0.5 and abs(share_small - share_big) < 0.1


def test_the_store_caches_each_papers_vector(tmp_path, embedder):
    fresh = CountingEmbedder()
    doc = paper("c1", "Cache me once", "An abstract about caching vectors in SQLite.")
    with Store.open(tmp_path / "state.sqlite") as store:
        first = embed_with_cache(fresh, {doc.id: doc.title}, store)
    again = CountingEmbedder()
    with Store.open(tmp_path / "state.sqlite") as store:
        second = embed_with_cache(again, {doc.id: doc.title}, store)
        changed = embed_with_cache(again, {doc.id: doc.title + " (revised)"}, store)
    assert fresh.embedded == 1 and again.embedded == 1  # only the changed text was embedded again
    assert (first[doc.id] == second[doc.id]).all()
    assert not (changed[doc.id] == second[doc.id]).all()
