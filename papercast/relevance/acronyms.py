"""Common machine-learning acronyms and their spelled-out forms, so that a keyword finds either.

A profile that lists "VLM" should find a paper on "vision-language models", and one that lists
"mixture of experts" a paper on "MoE". Each group below is one concept: its short form first,
then the ways papers spell it out. The table was written once from general knowledge of the
field's vocabulary, not from any profile or labelled paper; it stays short on purpose (an
acronym with several common meanings, like "SSL" or "PPO"'s rarer readings, is left out or kept
to its machine-learning sense).
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    ("LLM", "large language model"),
    ("SLM", "small language model"),
    (
        "VLM",
        "vision-language model",
        "vision language model",
        "LVLM",
        "large vision-language model",
        "MLLM",
        "multimodal large language model",
        "multimodal LLM",
        "LMM",
        "large multimodal model",
    ),
    ("VLA", "vision-language-action model", "vision-language-action"),
    ("RAG", "retrieval-augmented generation", "retrieval augmented generation"),
    ("SFT", "supervised fine-tuning"),
    ("RLHF", "reinforcement learning from human feedback"),
    ("RLAIF", "reinforcement learning from AI feedback"),
    ("RLVR", "reinforcement learning with verifiable rewards", "verifiable rewards"),
    ("DPO", "direct preference optimization"),
    ("PPO", "proximal policy optimization"),
    ("GRPO", "group relative policy optimization"),
    ("PTQ", "post-training quantization"),
    ("QAT", "quantization-aware training"),
    ("MoE", "mixture of experts", "mixture-of-experts"),
    ("SSM", "state space model", "state-space model"),
    ("SAE", "sparse autoencoder"),
    ("TTS", "text-to-speech", "speech synthesis"),
    ("ASR", "automatic speech recognition", "speech recognition"),
    ("NeRF", "neural radiance field"),
    ("3DGS", "gaussian splatting", "3D gaussian splatting"),
    ("GNN", "graph neural network"),
    ("GCN", "graph convolutional network"),
    ("CoT", "chain-of-thought", "chain of thought"),
    ("KV cache", "key-value cache"),
    ("PEFT", "parameter-efficient fine-tuning", "parameter efficient fine-tuning"),
    ("LoRA", "low-rank adaptation"),
    ("NAS", "neural architecture search"),
    ("ViT", "vision transformer"),
    ("CNN", "convolutional neural network"),
    ("RNN", "recurrent neural network"),
    ("LSTM", "long short-term memory"),
    ("GAN", "generative adversarial network"),
    ("VAE", "variational autoencoder"),
    ("RL", "reinforcement learning"),
    ("MARL", "multi-agent reinforcement learning"),
    ("NLP", "natural language processing"),
    ("NLI", "natural language inference"),
    ("NER", "named entity recognition"),
    ("QA", "question answering"),
    ("VQA", "visual question answering"),
    ("OCR", "optical character recognition", "text recognition"),
    ("MT", "machine translation"),
    ("NMT", "neural machine translation"),
    ("ICL", "in-context learning"),
    ("MCP", "model context protocol"),
    ("FL", "federated learning"),
    ("DP", "differential privacy", "differentially private"),
    ("MIA", "membership inference attack", "membership inference"),
    ("KD", "knowledge distillation"),
    ("CTR", "click-through rate"),
    ("KG", "knowledge graph"),
    ("MLP", "multilayer perceptron", "multi-layer perceptron"),
    ("OOD", "out-of-distribution", "out of distribution"),
    ("CLIP", "contrastive language-image pretraining", "contrastive language-image pre-training"),
    ("T2I", "text-to-image"),
    ("T2V", "text-to-video"),
    ("I2V", "image-to-video"),
    ("SR", "super-resolution"),
    ("MRI", "magnetic resonance imaging"),
    ("CT", "computed tomography"),
    ("EHR", "electronic health record"),
    ("AGI", "artificial general intelligence"),
    ("HPO", "hyperparameter optimization"),
)


def _key(term: str) -> str:
    return " ".join(term.lower().replace("-", " ").split())


FORMS: dict[str, tuple[str, ...]] = {}
for _group in GROUPS:
    for _form in _group:
        FORMS.setdefault(_key(_form), _group)


SHORTEST = 3  # a short form under this many characters ("DP", "MT") is too ambiguous to look for


def other_forms(term: str) -> list[str]:
    """The other ways of writing `term` that are safe to look for in a paper (short forms of at least
    `SHORTEST` characters, and spelled-out forms), or [] when it is not in the table."""
    return [
        form
        for form in FORMS.get(_key(term), ())
        if _key(form) != _key(term) and (" " in form or "-" in form or len(form) >= SHORTEST)
    ]


def spelled_out(term: str) -> str:
    """The term with its first spelled-out form added, for embedding: "VLM" -> "VLM (vision-language model)"."""
    group = FORMS.get(_key(term))
    if not group or _key(group[0]) != _key(term) or len(group) < 2:
        return term
    return f"{term} ({group[1]})"
