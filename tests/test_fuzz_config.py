"""Fuzzing the config loader: any file loads or raises ConfigError naming the file (and key).

Three levels: arbitrary bytes; a good config with one value replaced by anything TOML
can hold; a good config with an unknown key added anywhere.
"""

from __future__ import annotations

import json
import math
import tomllib

from hypothesis import given
from hypothesis import strategies as st

from conftest import write_config
from fuzzing import fuzz_settings
from papercast.config import load_settings
from papercast.settings import Settings, key_name
from papercast.errors import ConfigError

EXTRA = """
[smtp]
host = "localhost"
port = 2525
security = "none"
password_env = "PAPERCAST_SMTP_PASSWORD"
from_addr = "papers@example.org"

[schedule]
cron = "0 7 * * MON"
timezone = "Europe/Berlin"

[limits]
max_input_bytes = 1048576
"""
SCALARS = (st.text(max_size=30) | st.integers(-2**63, 2**63 - 1) | st.booleans()
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(["", "\x00", "../..", "0 7 * * MON"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3), max_leaves=8)


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest literal."""
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F or c in '"\\' else c for c in text)
    return f'"{escaped}"'


def toml_value(value) -> str:
    """TOML for any JSON-like value (inline tables for dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(config: dict) -> str:
    """A TOML document: top-level tables and arrays of tables, values inline."""
    lines = []
    for name, section in config.items():
        tables = section if isinstance(section, list) and all(isinstance(s, dict) for s in section) else None
        if isinstance(section, dict):
            lines.append(f"[{toml_string(name)}]")
            lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in section.items()]
        elif tables is not None and tables:
            for table in tables:
                lines.append(f"[[{toml_string(name)}]]")
                lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items()]
        else:
            lines.insert(0, f"{toml_string(name)} = {toml_value(section)}")
    return "\n".join(lines) + "\n"


def load_or_own_error(path) -> Settings | None:
    """The property: Settings, or ConfigError naming the file."""
    try:
        return load_settings(path)
    except ConfigError as exc:
        assert exc.source == str(path.resolve()) and exc.message.strip()
        assert str(path.resolve()) in exc.one_line()
        return None


def key_paths(config: dict) -> list[tuple]:
    """Every (section, [index,] key) that holds a value in the good config."""
    paths = []
    for name, section in config.items():
        if isinstance(section, dict):
            paths += [(name, key) for key in section]
        else:
            paths += [(name, i, key) for i, table in enumerate(section) for key in table]
    return paths


def good_config(folder) -> tuple:
    path = write_config(folder, extra=EXTRA)
    return path, tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_good_config_round_trips_through_the_toml_writer(tmp_path):
    path, config = good_config(tmp_path)
    path.write_text(toml_document(config), encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == config
    assert load_settings(path).schedule.timezone == "Europe/Berlin"


@fuzz_settings()
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_load_or_raise_config_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "papercast.toml"
    path.write_bytes(data)
    assert load_or_own_error(path) is None or data.strip()


@fuzz_settings()
@given(data=st.data())
def test_any_value_anywhere_loads_or_names_the_key(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path, config = good_config(folder)
    where = data.draw(st.sampled_from(key_paths(config)))
    value = data.draw(VALUES)
    holder = config[where[0]] if len(where) == 2 else config[where[0]][where[1]]
    holder[where[-1]] = value
    path.write_text(toml_document(config), encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert exc.source == str(path.resolve())
        named = key_name(where)
        assert exc.message.startswith((named, where[0], "config")), (named, exc.message)


@fuzz_settings()
@given(data=st.data(), key=st.text(min_size=1, max_size=12))
def test_an_unknown_key_anywhere_is_refused_by_name(tmp_path_factory, data, key):
    folder = tmp_path_factory.mktemp("fuzz")
    path, config = good_config(folder)
    sections = [name for name, section in config.items() if isinstance(section, dict)]
    where = data.draw(st.sampled_from(sections + ["readers", "profiles"]))
    holder = config[where] if isinstance(config[where], dict) else config[where][0]
    if key in holder:
        return
    holder[key] = "x"
    path.write_text(toml_document(config), encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert "unknown key" in exc.message and key in exc.message and exc.source == str(path.resolve())
    else:
        raise AssertionError(f"unknown key {key!r} in {where} was accepted")


def test_a_nul_in_a_path_is_a_config_error_not_a_crash(tmp_path):
    """Found by the fuzzer: resolving a path with NUL raised ValueError out of load_settings."""
    path = write_config(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('inbox = "inbox"', 'inbox = "in\\u0000box"'),
                    encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert exc.message.startswith("paths.inbox: a path cannot contain a NUL character")
    else:
        raise AssertionError("a NUL in a path was accepted")
