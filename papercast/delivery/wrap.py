"""HTML source lines within the SMTP limit, so a message's HTML part needs no transfer encoding.

A long line of HTML is broken at its spaces: in text, in a tag between attributes and in a style
or class value, a line break is white space exactly as a space is, so the page looks the same.
The HTML is left as it is when a line has no space to break at (a long URL), when white space
matters (<pre>, <textarea>, a `white-space` style), or inside an Outlook `[if ...]` condition; it
then goes quoted-printable as before.
"""

from __future__ import annotations

import functools
import re

SPACE_MATTERS = (b"<pre", b"<textarea", b"<plaintext", b"<xmp", b"white-space")
LINE_CACHE_SIZE = 1 << 15  # distinct long lines remembered (at most about 20 MB)
CONDITION = re.compile(rb"\[if [^\]]*\]")  # "<!--[if mso]>": its space is no break point


def wrap_html(html: str, max_line: int) -> str:
    """`html` with every line at most `max_line` bytes of utf-8, or `html` unchanged when it cannot be."""
    data = html.encode("utf-8")
    lines = data.splitlines()
    if max((len(line) for line in lines), default=0) <= max_line:
        return html
    lowered = data.lower()
    if any(marker in lowered for marker in SPACE_MATTERS):
        return html
    wrapped: list[bytes] = []
    for line in lines:
        pieces = wrap_line(line, max_line) if len(line) > max_line else (line,)
        if pieces is None:
            return html
        wrapped += pieces
    return (b"\n".join(wrapped) + b"\n").decode("utf-8")


@functools.lru_cache(maxsize=LINE_CACHE_SIZE)
def wrap_line(line: bytes, max_line: int) -> tuple[bytes, ...] | None:
    """The line cut at spaces into pieces of at most `max_line` bytes (each cut space becomes the line
    break), or None when it cannot be (a run of more than `max_line` bytes without a space). Cached:
    a paper's lines (title, authors, why, excerpt, with their inlined styles) recur in many messages."""
    fixed = [match.span() for match in CONDITION.finditer(line)] if b"[if " in line else []
    pieces, start = [], 0
    while len(line) - start > max_line:
        cut = line.rfind(b" ", start, start + max_line + 1)
        while fixed and cut >= start and any(low <= cut < high for low, high in fixed):
            cut = line.rfind(b" ", start, cut)
        if cut < start:
            return None
        pieces.append(line[start:cut])
        start = cut + 1
    pieces.append(line[start:])
    return tuple(pieces)
