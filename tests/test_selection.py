"""Manual-run subsets: which profiles and readers a run covers."""

from __future__ import annotations

import pytest

from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.newsletter.selection import narrowed_to, select_run


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


def test_a_batch_carries_only_its_own_readers(config_path):
    settings = load_settings(config_path)
    selection = select_run(settings, profiles=["efficient-llm"])
    batch = list(selection.readers[:1])
    narrow_settings, narrow_selection = narrowed_to(settings, selection, batch)
    assert narrow_settings.readers == batch and narrow_selection.readers == tuple(batch)
    assert narrow_selection.profiles == selection.profiles
    assert narrow_selection.partial_profiles == selection.partial_profiles
    assert narrow_settings.profiles == settings.profiles and narrow_settings.paths == settings.paths
    assert len(settings.readers) > 1  # the run itself is left as it was
