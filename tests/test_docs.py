"""The docs keep up with the code: every command and option of the CLI is documented."""

from __future__ import annotations

import argparse

from conftest import PROJECT
from papercast.cli import build_parser


def documentation() -> str:
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_documented():
    text = documentation()
    missing = [name for name in commands() if f"papercast {name}" not in text]
    assert missing == [], f"commands missing from README.md and docs/: {missing}"


def test_every_option_of_every_command_is_documented():
    text = documentation()
    missing = [f"papercast {name} {option}" for name, parser in commands().items()
               for action in parser._actions for option in action.option_strings
               if option.startswith("--") and option not in ("--help",) and option not in text]
    assert missing == [], f"options missing from README.md and docs/: {missing}"


def test_the_check_sees_a_missing_option(monkeypatch):
    """The tests above can fail: an option nobody documented is reported."""
    import papercast.cli as cli

    original = cli.build_parser

    def with_extra():
        parser = original()
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        action.choices["run"].add_argument("--an-undocumented-option-xyz")
        return parser

    monkeypatch.setattr("test_docs.build_parser", with_extra)
    try:
        test_every_option_of_every_command_is_documented()
    except AssertionError as exc:
        assert "--an-undocumented-option-xyz" in str(exc)
    else:
        raise AssertionError("an undocumented option went unnoticed")
