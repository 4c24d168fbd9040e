"""Recognize an input by its content and hand it to the one parser for its format.

Parsers take text or bytes and return a Digest; none touches the network or disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from papercast.errors import SourceError
from papercast.models import Digest
from papercast.sources.limits import NO_LIMITS_SET, InputLimits, apply_limits, cap_input_size
from papercast.sources.registry import FORMATS, known_formats

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """Text from bytes: BOM-aware, UTF-8 first, then Windows-1252 as a last resort."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_format(text: str) -> str | None:
    """The input's format (papercast/sources/registry.py) from its content, not its name; None when it is
    none we know."""
    return next((name for name, format in FORMATS.items() if format.detect(text)), None)


def parse_input(data: bytes, source: str, as_of: dt.date, limits: InputLimits = NO_LIMITS_SET) -> Digest:
    """Parse one input of any known format into a Digest carrying its content hash, within `limits`."""
    head, size_warnings = cap_input_size(data, source, limits)
    try:
        digest = parse_known_format(head, source, as_of)
    except SourceError:
        raise
    except Exception as exc:  # a parser bug on one odd file costs that file, never the run
        raise SourceError(
            f"could not be parsed ({type(exc).__name__}: {str(exc)[:200]})",
            source=source,
            hint="the file was skipped; please report it as a papercast bug",
        ) from exc
    return apply_limits(replace(digest, content_hash=content_hash(data)), limits, size_warnings)


def parse_known_format(data: bytes, source: str, as_of: dt.date) -> Digest:
    """Parse one input of any known format into a Digest carrying its content hash."""
    if not data.strip():
        raise SourceError("empty file", source=source)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("binary data, not a digest or feed", source=source)
    text = decode_text(data, source)
    kind = detect_format(text)
    if kind is None:
        raise SourceError(f"not a recognized digest or feed (expected {known_formats()})", source=source)
    digest = FORMATS[kind].parse(data, text, source, as_of)
    return replace(digest, content_hash=content_hash(data))
