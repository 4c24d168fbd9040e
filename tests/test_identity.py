"""Paper identity: normalized titles and arXiv ids."""

from __future__ import annotations

import pytest

from papercast.identity import find_arxiv_id, normalize_title, paper_id


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("QLoRA: Efficient Finetuning of Quantized LLMs", "qlora  efficient finetuning of quantized llms"),
        ("Scaling  Laws\tfor  Everything", "Scaling Laws for Everything."),
        ("Café au Lait: Zürich Models", "Cafe au Lait - Zurich Models"),
        (r"A $\mathcal{O}(n)$ Transformer", "A O(n) Transformer"),
    ],
)
def test_titles_that_differ_only_in_form_share_a_key(a, b):
    assert normalize_title(a) == normalize_title(b)


def test_different_titles_have_different_ids():
    assert paper_id("Attention Is All You Need") != paper_id("Attention Is Not All You Need")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://arxiv.org/abs/2405.12345v2", "2405.12345"),
        ("oai:arXiv.org:2401.00001v1", "2401.00001"),
        ("https://huggingface.co/papers/2311.01234", "2311.01234"),
        ("http://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
        ("no id here 12.3456", None),
    ],
)
def test_arxiv_ids_are_found_without_version(text, expected):
    assert find_arxiv_id(text) == expected


def test_arxiv_id_wins_over_title_hash():
    assert paper_id("Some Title", "2405.12345") == "arxiv:2405.12345"
    assert paper_id("Some Title").startswith("t:")
