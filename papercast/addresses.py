"""Email addresses in the config: a reader's, the sender's. They go into mail headers, so a control character
is refused (named in words), and a malformed one is refused with an example of what was expected."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

EMAIL = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
SENDER = r"^[^@\s<>]+@[^@\s<>]+$"  # the sender may be a local host name: papercast@localhost
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def no_control_characters(value: str) -> str:
    """An address goes into mail headers: a NUL, CR, LF or escape in it is refused, named in words."""
    found = CONTROL.search(value)
    if found:
        raise ValueError(f"contains a control character (U+{ord(found.group()):04X}); write the address as plain text")
    return value


def address(pattern: str, example: str):
    """A validator for an address of this shape; its error says what was expected, not the pattern."""
    shape = re.compile(pattern)

    def check(value: str) -> str:
        if not shape.match(no_control_characters(value)):
            raise ValueError(f"not an email address (expected something like {example})")
        return value

    return AfterValidator(check)


ReaderAddress = Annotated[str, address(EMAIL, "ada@example.org")]
SenderAddress = Annotated[str, address(SENDER, "papers@example.org")]
