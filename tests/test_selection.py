"""Manual-run subsets: which profiles and readers a run covers."""

from __future__ import annotations

import pytest

from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.selection import select_run


def test_everything_by_default(config_path):
    selection = select_run(load_settings(config_path))
    assert selection.profiles == ("efficient-llm", "multimodal", "reasoning")
    assert [r.email for r in selection.readers] == ["ada@example.org", "grace@example.org"]
    assert not selection.partial_profiles


def test_profile_subset_keeps_only_their_subscribers(config_path):
    selection = select_run(load_settings(config_path), profiles=["reasoning"])
    assert selection.profiles == ("reasoning",) and selection.partial_profiles
    [ada] = selection.readers
    assert ada.email == "ada@example.org" and selection.reader_profiles(ada) == ["reasoning"]


def test_reader_subset_is_case_insensitive(config_path):
    selection = select_run(load_settings(config_path), readers=["Grace@Example.org"])
    assert [r.email for r in selection.readers] == ["grace@example.org"]


@pytest.mark.parametrize("kwargs, source, name", [({"profiles": ["nope"]}, "profiles", "nope"),
                                                  ({"readers": ["x@y.org"]}, "readers", "x@y.org")])
def test_unknown_names_are_config_errors(config_path, kwargs, source, name):
    with pytest.raises(ConfigError) as caught:
        select_run(load_settings(config_path), **kwargs)
    assert caught.value.source == source and name in caught.value.message
