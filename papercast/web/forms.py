"""The forms the app takes, and nothing else: `application/x-www-form-urlencoded` and
`multipart/form-data`, in UTF-8 (or its subset US-ASCII), each field given once.

A confirm button and a mail provider's one-click POST (RFC 8058) send one or two short text fields.
Anything else (another content type, an unknown or other charset, bytes that do not decode, a field
given twice, a file) is refused with FormRefused, which the app answers with 400 and changes nothing:
a form that could be read two ways is never guessed at.
"""

from __future__ import annotations

import codecs
import email.message
import email.parser
import email.policy
from urllib.parse import parse_qsl

URLENCODED, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
KNOWN_CHARSETS = {"utf-8", "ascii"}  # codec names, after aliases (UTF8, us-ascii, ...) are resolved


class FormRefused(ValueError):
    """A form the app does not read; the message says why, for the 400 answer."""


def form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """The form's fields, or FormRefused."""
    kind, charset = content_kind(content_type)
    if kind == URLENCODED:
        return once_each(urlencoded_pairs(body, known_codec(charset)))
    if kind == MULTIPART:
        return once_each(multipart_pairs(content_type, body))
    raise FormRefused(f"a form must be sent as {URLENCODED} or {MULTIPART}")


def content_kind(content_type: str) -> tuple[str, str | None]:
    """The media type (lower case; text/plain when missing or malformed) and its charset parameter."""
    header = email.message.Message()
    header["Content-Type"] = content_type
    return header.get_content_type(), header.get_content_charset()


def known_codec(charset: str | None) -> str:
    """The codec for a charset the app reads (none named: UTF-8); anything else is refused."""
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = ""
    if codec not in KNOWN_CHARSETS:
        raise FormRefused(f"unknown or unsupported charset {charset!r}: send the form in UTF-8")
    return codec


def urlencoded_pairs(body: bytes, codec: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(body.decode(codec), keep_blank_values=True, encoding=codec, errors="strict")
    except UnicodeDecodeError:
        raise FormRefused(f"the form is not valid {codec}") from None


def multipart_pairs(content_type: str, body: bytes) -> list[tuple[str, str]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise FormRefused("the multipart form has no parts")
    return [text_field(part) for part in message.iter_parts()]


def text_field(part: email.message.Message) -> tuple[str, str]:
    """A part's name and its text value; a file or a nested multipart is refused."""
    if part.is_multipart() or part.get_content_type() != "text/plain" or part.get_filename() is not None:
        raise FormRefused("a multipart form may hold text fields only")
    codec = known_codec(part.get_content_charset())
    payload = part.get_payload(decode=True)
    try:
        value = (payload if isinstance(payload, bytes) else b"").decode(codec)
    except UnicodeDecodeError:
        raise FormRefused(f"a field of the form is not valid {codec}") from None
    name = part.get_param("name", header="content-disposition")
    return name if isinstance(name, str) else "", value.strip()


def once_each(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The fields by name; a name given twice is refused (which one was meant?)."""
    fields = dict(pairs)
    if len(fields) != len(pairs):
        twice = sorted({name for name, _ in pairs if [n for n, _ in pairs].count(name) > 1})
        raise FormRefused(f"field {', '.join(twice)} given more than once")
    return fields
