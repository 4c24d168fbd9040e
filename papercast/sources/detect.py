"""What a format's `detect` looks at first: the start of an input's text."""

from __future__ import annotations

HEAD_CHARS = 4096


def head(text: str) -> str:
    """The input's first characters, a BOM and leading whitespace left out."""
    return text.lstrip("\ufeff \t\r\n")[:HEAD_CHARS]
