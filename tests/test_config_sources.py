"""[[sources]] in the config: validated at load, errors naming the key."""

from __future__ import annotations

import re

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.errors import ConfigError

FEED = '[[sources]]\nname = "arxiv-cs.CL"\nkind = "feed"\nurl = "https://rss.example.org/rss/cs.CL"\n'


def test_feed_and_daily_sources_load_with_defaults(tmp_path):
    extra = FEED + '[[sources]]\nname = "hf-daily"\nkind = "hf-daily"\nurl = "https://hf.example/api"\ntimeout = 10\n'
    sources = load_settings(write_config(tmp_path, extra=extra)).sources
    assert [(s.name, s.kind, s.timeout, s.retries) for s in sources] == [
        ("arxiv-cs.CL", "feed", 30.0, 2), ("hf-daily", "hf-daily", 10.0, 2)]


@pytest.mark.parametrize("extra, message", [
    ('[[sources]]\nname = "x"\nkind = "feed"\n', "sources[0]: a feed source needs a url"),
    ('[[sources]]\nname = "x"\nkind = "feed"\nurl = "ftp://x.example/feed"\n', "sources[0].url"),
    ('[[sources]]\nname = "x"\nkind = "rss"\nurl = "https://x.example"\n', "sources[0].kind"),
    (FEED + 'etag = "abc"\n', "sources[0].etag: unknown key"),
    (FEED + FEED, "sources: duplicate source name arxiv-cs.CL"),
    (FEED.replace('"arxiv-cs.CL"', '"my feed"'), "sources[0].name"),
])
def test_bad_sources_are_config_errors_naming_the_key(tmp_path, extra, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(write_config(tmp_path, extra=extra))


def test_an_inbox_source_adds_a_folder_that_is_read_like_the_inbox(tmp_path):
    from papercast.sources.ingest import read_inbox

    extra = '[[sources]]\nname = "lab-drops"\nkind = "inbox"\npath = "drops"\n'
    settings = load_settings(write_config(tmp_path, extra=extra))
    assert settings.sources[0].path == tmp_path / "drops"
    (tmp_path / "drops").mkdir()
    (tmp_path / "drops" / "saved-feed.xml").write_text("<rss version='2.0'><channel></channel></rss>")
    (tmp_path / "inbox" / "week.txt").write_text("Nov 20\n\nTitle\n\nAbstract.\n")
    files, errors = read_inbox(settings)
    assert sorted(f.source.split("/")[-1] for f in files) == ["saved-feed.xml", "week.txt"] and errors == []


def test_an_inbox_source_needs_a_path(tmp_path):
    with pytest.raises(ConfigError, match=r"sources\[0\]: an inbox source reads a folder"):
        load_settings(write_config(tmp_path, extra='[[sources]]\nname = "x"\nkind = "inbox"\n'))
