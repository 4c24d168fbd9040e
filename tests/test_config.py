"""Config loading: validation at load, errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROFILES, PROJECT, READERS, write_config
from papercast.config import load_settings
from papercast.errors import ConfigError


def test_shipped_config_loads_with_paths_resolved_against_its_folder():
    settings = load_settings(PROJECT / "config" / "papercast.toml")
    assert settings.paths.inbox == (PROJECT / "examples" / "digests").resolve()
    assert settings.paths.archive == (PROJECT / "archive").resolve()
    assert 6 <= len(settings.profiles) <= 8
    assert 3 <= len(settings.readers) <= 5
    known = {p.id for p in settings.profiles}
    assert all(set(r.profiles) <= known for r in settings.readers)


def test_relative_paths_resolve_against_config_folder_not_cwd(tmp_path, monkeypatch):
    path = write_config(tmp_path / "conf")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(path)
    assert settings.paths.state == tmp_path / "conf" / "state" / "papercast.sqlite"


def error_for(tmp_path: Path, **kwargs) -> str:
    path = write_config(tmp_path, **kwargs)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = caught.value.one_line()
    assert str(path) in message, "the error must name the file"
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"readers": READERS.replace('"multimodal"]', '"robotics"]')}, "readers[1].profiles: unknown profile robotics"),
        ({"profiles": PROFILES + PROFILES.split("[[profiles]]")[0] + "[[profiles]]" + PROFILES.split("[[profiles]]")[1]},
         "duplicate profile id efficient-llm"),
        ({"readers": READERS.replace("max_papers = 5", "max_papers = 0")}, "readers[0].max_papers"),
        ({"readers": READERS.replace('email = "ada@example.org"', 'email = "not-an-address"')}, "readers[0].email"),
        ({"extra": "colour = 'blue'"}, "paths.colour: unknown key"),
        ({"profiles": PROFILES.replace('id = "reasoning"', 'id = "Reasoning Profile"')}, "profiles[2].id"),
        ({"profiles": PROFILES.replace('keywords = ["reasoning", "chain-of-thought", "math"]', 'keywords = "reasoning"')},
         "profiles[2].keywords"),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path, kwargs, expected):
    assert expected in error_for(tmp_path, **kwargs)


def test_missing_section_is_named(tmp_path):
    path = tmp_path / "papercast.toml"
    path.write_text(PROFILES, encoding="utf-8")
    with pytest.raises(ConfigError, match="paths: required key is missing"):
        load_settings(path)


def test_bad_toml_and_missing_file_are_config_errors(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[paths\ninbox = 'x'", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(broken)
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.toml")


@pytest.mark.parametrize(("address", "shown"), [
    ("ada\\u0000@example.org", "U+0000"), ("ada@example.org\\r\\nBcc: all@example.org", "U+000D"),
    ("ada\\u001b[31m@example.org", "U+001B"), ("ada@exa\\u007fmple.org", "U+007F"),
    ("ada\\u0085@example.org", "U+0085"),
])
def test_a_control_character_in_an_address_is_refused_in_words(tmp_path, address, shown):
    message = error_for(tmp_path, readers=READERS.replace('"ada@example.org"', f'"{address}"'))
    assert f"readers[0].email: contains a control character ({shown})" in message
    assert "pattern" not in message and "^" not in message and "\\s" not in message


@pytest.mark.parametrize("key", ["from_addr", "reply_to"])
def test_a_control_character_in_the_senders_addresses_is_refused(tmp_path, key):
    message = error_for(tmp_path, extra=f'[smtp]\n{key} = "papers\\u0000@example.org"\n')
    assert f"smtp.{key}: contains a control character (U+0000)" in message


def test_a_malformed_address_is_explained_without_the_regex(tmp_path):
    message = error_for(tmp_path, readers=READERS.replace('"ada@example.org"', '"ada at example.org"'))
    assert "readers[0].email: not an email address" in message and "pattern" not in message


def test_the_readmes_error_examples_are_the_real_messages(tmp_path):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    unknown = error_for(tmp_path, readers=READERS.replace('profiles = ["multimodal"]', 'profiles = ["robotics"]'))
    misspelled = error_for(tmp_path, readers=READERS.replace("max_papers = 5", "max_paper = 5"))
    for message in (unknown, misspelled):
        example = message.split(": ", 1)[1].removesuffix(" (check the config file)")
        assert f"config/papercast.toml: {example}" in readme, example


def test_a_profile_that_can_match_nothing_is_refused_by_name(tmp_path):
    empty = PROFILES + '\n[[profiles]]\nid = "x"\ntitle = "Something"\ndescription = "  "\nkeywords = [""]\n'
    message = error_for(tmp_path, profiles=empty)
    assert "profiles[3]: profile 'x' can match nothing: give it a description or keywords" in message
    write_config(tmp_path, profiles=PROFILES + '\n[[profiles]]\nid = "y"\ntitle = "Y"\nkeywords = ["graphs"]\n')
    assert load_settings(tmp_path / "papercast.toml").profile("y").keywords == ["graphs"]
