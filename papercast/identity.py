"""Paper identity: a stable id and a normalized title key.

The id is the arXiv id without version where known, else a hash of the
normalized title, so the same paper from a text digest and a feed is one paper.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ARXIV_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
OLD_ARXIV_ID = re.compile(r"\b([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
TEX_COMMANDS = re.compile(r"\\[a-zA-Z]+|[\\${}^_~]")


def normalize_title(title: str) -> str:
    """Fold case, accents, punctuation, whitespace and TeX residue."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = TEX_COMMANDS.sub(" ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def find_arxiv_id(text: str) -> str | None:
    """The arXiv id (without version) in a link, guid or id string, if any."""
    match = ARXIV_ID.search(text or "")
    if match:
        return match.group(1)
    match = OLD_ARXIV_ID.search(text or "")
    return match.group(1) if match else None


def paper_id(title: str, arxiv_id: str | None = None) -> str:
    """Stable id: `arxiv:<id>` when known, else `t:<hash of normalized title>`."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    digest = hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()
    return f"t:{digest[:16]}"
