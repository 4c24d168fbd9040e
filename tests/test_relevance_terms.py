"""Lexical evidence: whole words, hyphen-tolerant, inflections of long words, fields kept apart."""

import pytest

from papercast.relevance.acronyms import other_forms, spelled_out
from papercast.relevance.terms import Fields, Mentions, Term, TermMatcher, term_pattern, word_pattern, word_text


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


def test_a_keyword_finds_its_other_forms_and_the_evidence_names_the_form_used():
    found = TermMatcher(["VLM", "mixture of experts"], forms=True).evidence(
        "Scaling vision-language models", "We route tokens in a sparse MoE layer.")
    assert found.in_title == ["vision-language model"] and found.in_abstract == ["MoE"]
    assert found.keywords == {"VLM", "mixture of experts"}
    assert TermMatcher(["VLM"]).evidence("Scaling vision-language models", "").in_title == []  # forms off


def test_an_ambiguous_short_form_is_not_looked_for():
    assert "DP" not in other_forms("differential privacy") and "differentially private" in other_forms("DP")
    assert spelled_out("VLM") == "VLM (vision-language model)" and spelled_out("pruning") == "pruning"


def test_a_word_without_a_suffix_finds_its_verb_forms():
    assert term_pattern("benchmark").search("Benchmarking LLMs") and word_pattern("benchmark").search(" benchmarked ")
    assert not term_pattern("lean").search("learning")


@pytest.mark.parametrize("terms", [["pruning", "kv cache", "C++", "VLM", "4-bit", "fine-tuning", "moe"]])
def test_mentions_of_a_batch_agree_with_each_papers_evidence(terms):
    papers = [("Pruning vision-language models", "We prune. Pruned models in C++ with 4bit KV-caches."),
              ("Finetuning MoE", "fine tuning a mixture-of-experts; pruning, pruning, pruning."),
              ("Nothing here", "Unrelated text about proteins."), ("", "")]
    matcher = TermMatcher(terms, forms=True)
    mentions = Mentions([Fields.of(t, a) for t, a in papers])
    titles, abstracts = matcher.counts(mentions)
    for i, (title, abstract) in enumerate(papers):
        one = matcher.evidence(title, abstract)
        assert (titles[i], abstracts[i]) == (one.title_count, one.abstract_count)
        assert matcher.evidence_at(mentions, i) == one
