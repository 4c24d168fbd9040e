"""Golden-file comparison. PAPERCAST_UPDATE_GOLDEN=1 rewrites the expectations."""

from __future__ import annotations

import os
import re
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def normalize(text: str, replacements: list[tuple[str, str]] = ()) -> str:
    """Fold volatile parts (given as regex -> placeholder) and trailing whitespace."""
    for pattern, placeholder in replacements:
        text = re.sub(pattern, placeholder, text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def assert_golden(name: str, actual: str, replacements: list[tuple[str, str]] = ()) -> None:
    """Compare `actual` (normalized) to tests/golden/<name>; write it when asked to or when missing in an update."""
    path = GOLDEN / name
    actual = normalize(actual, replacements)
    if os.environ.get("PAPERCAST_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"golden file {path} missing: rerun with PAPERCAST_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path} (PAPERCAST_UPDATE_GOLDEN=1 rewrites it; review the diff)"
