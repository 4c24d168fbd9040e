"""Votes in the state: one per (reader, profile, paper), a second replaces the first, counted per reader;
a reader's channels in the config. Real SQLite, no app."""

from __future__ import annotations

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.store import Store

ADA, GRACE = "ada@example.org", "grace@example.org"


def test_a_second_vote_on_the_same_paper_replaces_the_first(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as store:
        first, changed = store.votes.record_vote("Ada@Example.org", "reasoning", "arxiv:2611.00001", True, "page")
        again, changed_again = store.votes.record_vote(ADA, "reasoning", "arxiv:2611.00001", True, "page")
        assert changed and not changed_again and again == first  # the button pressed twice: nothing new
        assert (first.reader, first.profile_id, first.paper_id, first.liked) == (ADA, "reasoning", "arxiv:2611.00001",
                                                                               True)
        changed_mind, changed = store.votes.record_vote(ADA, "reasoning", "arxiv:2611.00001", False, "page")
        assert changed and not changed_mind.liked and changed_mind.voted_at >= first.voted_at
        assert store.votes.votes_of([ADA, GRACE]) == {ADA: [changed_mind]}
        with store.database.transaction() as db:
            assert db.execute("SELECT COUNT(*) FROM reader_votes").fetchone()[0] == 1


def test_votes_are_kept_per_reader_profile_and_paper_and_counted(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as store:
        store.votes.record_vote(ADA, "reasoning", "p1", True, "page")
        store.votes.record_vote(ADA, "multimodal", "p1", False, "page")  # the same paper in another profile: its own vote
        store.votes.record_vote(ADA, "reasoning", "p2", True, "page")
        store.votes.record_vote(GRACE, "reasoning", "p1", False, "page")
        votes = store.votes.votes_of(["ADA@example.org", GRACE, "alan@example.org"])
        assert set(votes) == {"ADA@example.org", GRACE}  # keys as asked for; readers without votes left out
        assert [(v.profile_id, v.paper_id, v.liked) for v in votes["ADA@example.org"]] == [
            ("reasoning", "p1", True), ("multimodal", "p1", False), ("reasoning", "p2", True)]
        counts = store.votes.vote_counts()
        assert (counts[ADA].more, counts[ADA].fewer, counts[GRACE].more, counts[GRACE].fewer) == (2, 1, 0, 1)
        assert store.votes.vote(ADA, "reasoning", "p3") is None


def test_many_readers_are_looked_up_in_chunks(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as store:
        emails = [f"reader{i:04d}@example.org" for i in range(1200)]
        for email in emails[::100]:
            store.votes.record_vote(email, "reasoning", "p1", True, "page")
        assert sorted(store.votes.votes_of(emails)) == emails[::100]


def test_channels_default_to_email_and_are_checked_at_load(tmp_path):
    reader = '[[readers]]\nemail = "ada@example.org"\nprofiles = ["reasoning"]\n'
    settings = load_settings(write_config(tmp_path / "plain", readers=reader))
    assert settings.readers[0].channels == ["email"]
    site = '[site]\nbase_url = "https://papers.example.org/"\n'
    feed_only = load_settings(write_config(tmp_path / "feed", readers=reader + 'channels = ["feed"]\n', extra=site))
    assert feed_only.readers[0].channels == ["feed"]
    cases = {'channels = ["email", "pigeon"]\n': "readers[0].channels[1]: Input should be 'email' or 'feed'",
             'channels = []\n': "readers[0].channels: List should have at least 1 item",
             'channels = ["feed", "feed"]\n': "readers[0].channels: channel feed given twice"}
    for line, message in cases.items():
        with pytest.raises(ConfigError) as caught:
            load_settings(write_config(tmp_path / "bad", readers=reader + line, extra=site))
        assert message in caught.value.one_line() and "papercast.toml" in caught.value.one_line()
    with pytest.raises(ConfigError, match=r"readers\[0\].channels: the feed channel needs \[site\] base_url"):
        load_settings(write_config(tmp_path / "nosite", readers=reader + 'channels = ["email", "feed"]\n'))
