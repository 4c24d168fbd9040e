"""Lexical evidence: whole words, hyphen-tolerant, inflections of long words, fields kept apart."""

import pytest

from papercast.relevance.terms import Fields, Term, TermMatcher, term_pattern, word_pattern, word_text


@pytest.mark.parametrize("term, text", [
    ("quantization", "we study quantized models"),
    ("fine-tuning", "we finetune the model"),
    ("fine-tuning", "after fine tuning"),
    ("pruning", "weights are pruned"),
    ("kv cache", "smaller KV-caches"),
    ("4-bit", "a 4bit model"),
    ("low-rank adaptation", "Low-Rank Adapters"),
])
def test_a_term_finds_its_spellings_and_inflections(term, text):
    assert term_pattern(term).search(text)
    assert word_pattern(term).search(word_text(text))  # the fast form the scorer uses agrees


@pytest.mark.parametrize("term, text", [
    ("quantization", "quantum chemistry"),
    ("clip", "gradient clipping"),
    ("moe", "Moebius strip"),
    ("rna", "journal"),
])
def test_a_term_does_not_match_other_words(term, text):
    assert not term_pattern(term).search(text)
    assert not word_pattern(term).search(word_text(text))
    assert Term.of(term).find(Fields.of(text, text)) == (False, 0)


def test_a_term_with_other_characters_is_matched_as_written():
    assert word_pattern("C++") is None
    assert Term.of("C++").find(Fields.of("Fast C++ kernels", "")) == (True, 0)
    assert Term.of("C++").find(Fields.of("Fast kernels", "in C and C++, C++ again, and C++")) == (False, 2)


def test_profiles_sharing_a_keyword_look_for_it_once_per_paper():
    fields, memo = Fields.of("Pruning large models", "We prune."), {}
    first = TermMatcher(["pruning", "sparsity"]).evidence(fields.title, fields.abstract, fields, memo)
    memo["pruning"] = (False, 0)  # a second matcher must take the remembered answer, not look again
    second = TermMatcher(["pruning"]).evidence(fields.title, fields.abstract, fields, memo)
    assert first.in_title == ["pruning"] and second.in_title == []


def test_title_and_abstract_evidence_are_counted_apart():
    matcher = TermMatcher(["pruning", "sparsity", "distillation"])
    found = matcher.evidence("Pruning large models", "We prune and distill. Distillation helps. Distillation again.")
    assert found.in_title == ["pruning"]
    assert found.in_abstract == ["distillation"]
    assert found.abstract_count == 2  # repeats count, capped per term


def test_duplicate_and_blank_terms_are_ignored():
    assert TermMatcher(["lora", "lora", " ", "adapter"]).names == ["lora", "adapter"]


def test_first_match_names_the_exclude_term():
    assert TermMatcher(["radiology", "protein"]).first_match("A title", "on protein folding") == "protein"
    assert TermMatcher(["radiology"]).first_match("A title", "nothing here") is None
