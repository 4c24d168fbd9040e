"""The docs keep up with the code: every command and option of the CLI is documented, and every file, command,
flag and config key a doc names exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

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


# -- every file, command, flag and config key a doc names exists ---------------------------------------

DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
TOP = ("papercast", "flows", "tests", "bench", "docs", "templates", "config", "examples", "scripts")
PATH = re.compile(r"(?<![\w./-])(?:\.\./)?((?:" + "|".join(TOP) + r")/[\w./-]*[\w/])")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
COMMAND = re.compile(r"^\s*(?:\$ )?(?:[A-Z_]+=\S* )*(?:\S*/)?papercast ([a-z]+)((?: +[^\s#|`)]+)*)", re.M)
KEY = re.compile(r"\[\[?(\w+)\]?\] (\w+)")
GENERATED = ("tests/artifacts",)  # written by the tests, not tracked
INSTALLED = {"papercast/flows/": "flows/", "papercast/templates/": "templates/", "papercast/starter/": "config/",
             "papercast/examples/": "examples/"}  # where pyproject.toml installs these folders


def exists(name: str) -> bool:
    """A project path (or its installed name) exists; `path:function` names the file."""
    path = name.split(":")[0]
    for installed, folder in INSTALLED.items():
        path = folder + path.removeprefix(installed) if path.startswith(installed) else path
    return (PROJECT / path).exists()


def code_of(text: str) -> list[str]:
    """The code in a doc: fenced blocks, indented blocks and inline code spans."""
    fenced = [body for _, body in FENCE.findall(text)]
    indented = [line for line in FENCE.sub("", text).splitlines() if line.startswith("    ")]
    return fenced + indented + CODE_SPAN.findall(text)


def missing_paths(doc: Path, text: str) -> list[str]:
    """Project paths named in the doc (in code or as links) that do not exist."""
    named = {match for code in code_of(text) for match in PATH.findall(code)}
    linked = {target for target in LINK.findall(text) if not target.startswith(("http:", "https:", "mailto:"))}
    missing = [name for name in named if "<" not in name and "*" not in name and not name.startswith(GENERATED)
               and not exists(name)]
    return missing + [target for target in linked if not (doc.parent / target).exists()]


def unknown_options(text: str) -> list[str]:
    """`papercast <command> --flag ...` in the doc's code where the command or a flag does not exist."""
    known = commands()
    wrong = []
    for code in code_of(text):
        for command, rest in COMMAND.findall(code):
            if command not in known:
                wrong.append(f"papercast {command}")
                continue
            options = {o for a in known[command]._actions for o in a.option_strings} | {"--verbose", "-v"}
            wrong += [f"papercast {command} {flag}" for flag in re.findall(r"(?<![\w-])--[a-z][\w-]*", rest)
                      if flag not in options]
    return wrong


def unknown_keys(text: str) -> list[str]:
    """Config keys the doc names, in TOML blocks or as `[section] key`, that the config does not have."""
    from papercast.settings import Settings

    sections = {name: field.annotation for name, field in Settings.model_fields.items()}
    wrong = []
    for section, key in KEY.findall(text):
        model = sections.get(section)
        model = getattr(model, "__args__", (model,))[0] if model is not None else None
        if model is not None and hasattr(model, "model_fields") and key not in model.model_fields:
            wrong.append(f"[{section}] {key}")
    for language, body in FENCE.findall(text):
        if language == "toml":
            wrong += toml_block_keys(body, sections)
    return wrong


def toml_block_keys(body: str, sections: dict) -> list[str]:
    wrong, model = [], None
    for line in body.splitlines():
        header = re.match(r"^\[\[?(\w+)\]?\]", line)
        if header:
            model = sections.get(header.group(1))
            model = getattr(model, "__args__", (model,))[0] if model is not None else None
            if model is None:
                wrong.append(f"[{header.group(1)}]")
            continue
        key = re.match(r"^(\w+)\s*=", line)
        if key and model is not None and key.group(1) not in model.model_fields:
            wrong.append(f"{model.__name__}.{key.group(1)}")
    return wrong


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_file_command_flag_and_config_key_a_doc_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    assert missing_paths(doc, text) == [], "files named but missing"
    assert unknown_options(text) == [], "commands or flags that do not exist"
    assert unknown_keys(text) == [], "config keys that do not exist"


def test_the_stale_pointer_check_can_fail():
    stale = ("See `papercast/delivery/pigeons.py` and [the log](nowhere.md).\n\n"
             "    papercast serve --config F --host 0.0.0.0\n    papercast frobnicate\n\n"
             "```toml\n[schedule]\ncron = \"0 7 * * MON\"\nsendd = true\n```\nSet `[smtp] passwrd_env`.\n")
    doc = PROJECT / "docs" / "stale.md"
    assert sorted(missing_paths(doc, stale)) == ["nowhere.md", "papercast/delivery/pigeons.py"]
    assert unknown_options(stale) == ["papercast serve --host", "papercast frobnicate"]
    assert sorted(unknown_keys(stale)) == ["Schedule.sendd", "[smtp] passwrd_env"]


def test_every_project_file_the_code_and_its_config_name_exists():
    """Comments and docstrings point at files too (`see papercast/delivery/write.py`): they must exist."""
    sources = [*sorted((PROJECT / "papercast").rglob("*.py")), *sorted((PROJECT / "flows").glob("*.py")),
               *sorted(p for p in (PROJECT / "tests").glob("*.py") if p.name != "test_docs.py"),
               PROJECT / "pyproject.toml", PROJECT / "prefect.yaml",
               PROJECT / "config" / "papercast.toml", PROJECT / "scripts" / "bootstrap"]
    missing = {f"{path.relative_to(PROJECT)}: {name}" for path in sources
               for name in PATH.findall(path.read_text(encoding="utf-8"))
               if "." in name.rsplit("/", 1)[-1] and "<" not in name and "*" not in name
               and not name.startswith(GENERATED) and not exists(name)}
    assert missing == set()
