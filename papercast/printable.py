"""Text from outside, made safe to print on one line of a log or a terminal.

A request path, a header, or a reader's name from the config may hold control characters: a CR or LF
would start a forged log line, an ESC would drive the operator's terminal, a right-to-left override
would show the line in another order. `printable` writes each such character as an escape
(`\\r`, `\\n`, `\\x1b`, `\\u202e`) and doubles a backslash, so what is printed cannot pass for an
escape the text did not contain. Everything else, accents and scripts included, stays as it is.
"""

from __future__ import annotations

import unicodedata

NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}  # controls, format characters (bidi overrides), line/paragraph breaks


def escaped(char: str) -> str:
    if char in NAMED:
        return NAMED[char]
    if unicodedata.category(char) not in HIDDEN:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every control, format or line-breaking character escaped."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(escaped(char) for char in text)
