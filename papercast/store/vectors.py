"""The relevance vector cache: each paper's embedding per model, keyed by a hash of the text it came from.

Raw bytes: the scorer owns their meaning (papercast/relevance/embed.py, `VectorCache`).
"""

from __future__ import annotations

from papercast.store.connection import Repository


class Vectors(Repository):
    """paper_vectors."""

    def cached_vectors(self, model: str, text_hashes: dict[str, str]) -> dict[str, bytes]:
        """Stored vectors of `model` for paper ids whose text hash still matches."""
        found = {}
        ids = list(text_hashes)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT paper_id, text_hash, vector FROM paper_vectors WHERE model = ?"
                f" AND paper_id IN ({','.join('?' * len(chunk))})",
                (model, *chunk),
            )
            found.update({r["paper_id"]: r["vector"] for r in rows if r["text_hash"] == text_hashes[r["paper_id"]]})
        return found

    def save_vectors(self, model: str, vectors: list[tuple[str, str, bytes]]) -> None:
        """(paper_id, text_hash, vector bytes) rows, replacing older vectors of the same model."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO paper_vectors VALUES (?, ?, ?, ?)",
                [(paper_id, model, text_hash, blob) for paper_id, text_hash, blob in vectors],
            )
