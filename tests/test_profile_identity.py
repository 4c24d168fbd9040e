"""The hybrid scorer's compiled profiles are keyed by the profile's whole content: a profile that changes in
any field, one added later included, is compiled afresh, never served stale."""

from __future__ import annotations

import numpy as np

from papercast.relevance.embed import DIM
from papercast.relevance.hybrid import HybridScorer, profile_key
from papercast.settings import Profile


class Sums:
    """An embedder that needs no model: a text's vector from its characters (the same text, the same vector)."""

    name = "sums"

    def embed(self, texts):
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for j, char in enumerate(text):
                rows[i, (j * 31 + ord(char)) % DIM] += 1.0
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)

    def embed_papers(self, papers):
        return np.stack([np.stack([self.embed([p.abstract])[0], self.embed([p.title])[0]]) for p in papers])


class WithAudience(Profile):
    """A Profile with a field it may gain one day."""

    audience: str = ""


def test_every_field_is_part_of_a_profiles_identity():
    base = dict(id="q", title="Quantization", description="Low-bit models.", keywords=["4-bit"])
    assert profile_key(Profile(**base)) == profile_key(Profile(**base))
    assert profile_key(Profile(**base)) != profile_key(Profile(**base, threshold=0.4))
    assert profile_key(WithAudience(**base, audience="students")) != profile_key(WithAudience(**base, audience="labs"))


def test_a_profile_changed_in_a_new_field_is_compiled_afresh():
    scorer = HybridScorer(Sums(), mean=np.zeros(DIM, dtype=np.float32))
    first = WithAudience(id="q", title="Quantization", description="Low-bit models.", audience="students")
    later = first.model_copy(update={"audience": "labs"})
    assert scorer.compile([first])[0].profile is first
    assert scorer.compile([later])[0].profile is later  # not the compiled `first`
    assert scorer.compile([first])[0].profile is first  # each version kept once
    assert len(scorer._compiled) == 2
