"""The fast quoted-printable encoder writes exactly what the email package's quoprimime writes."""

from __future__ import annotations

import random
from email import quoprimime

import pytest

from papercast.delivery.quoted import body_encode

# what makes quoted-printable hard: escapes near a soft break, trailing blanks, CR/LF, bytes above 127
ALPHABET = ["a", "b", " ", "\t", "=", "\n", "\r", "\r\n", "é", "—", "长", "\x00", "\x0b", "\x85", ".", "~"]


def reference(data: bytes, max_line: int, eol: str) -> bytes:
    return quoprimime.body_encode(data.decode("latin-1"), max_line, eol).encode("ascii")


def random_text(rng: random.Random) -> bytes:
    weights = [30, 10, 8, 2, 4, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1]
    pieces = rng.choices(ALPHABET, weights, k=rng.randint(0, 400))
    return "".join(pieces).encode("utf-8")


@pytest.mark.parametrize("max_line", [4, 5, 76, 78])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_random_bodies_encode_like_quoprimime(max_line, eol):
    rng = random.Random(max_line * 31 + len(eol))
    for _ in range(400):
        data = random_text(rng)
        assert body_encode(data, max_line, eol.encode()) == reference(data, max_line, eol), data


@pytest.mark.parametrize("width", range(70, 84))
def test_escapes_and_blanks_at_every_break_position(width):
    for tail in ["=", "==", "é", " ", "\t", "a =", "= ", "é\t"]:
        for pad in range(0, 6):
            data = ("x" * (width - pad) + tail + "y" * pad + tail + "\n").encode("utf-8")
            assert body_encode(data, 78) == reference(data, 78, "\n"), data


def test_short_max_line_is_refused_as_quoprimime_does():
    with pytest.raises(ValueError):
        body_encode(b"abc", 3)
