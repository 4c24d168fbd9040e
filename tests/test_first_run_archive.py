"""A new user's first run over an archive of real Daily Papers files: the first newsletters hold the last week."""

from __future__ import annotations

import datetime as dt
import shutil

from conftest import write_config
from papercast.config import load_settings
from papercast.store import Store
from stages import classify, ingest_sources, plan_and_write

WEEKS = 4


def dropped(tmp_path, folder):
    """A config whose inbox holds the first WEEKS weeks of real files (dropped newest first); the last day."""
    settings = load_settings(write_config(tmp_path))
    files = sorted(folder.glob("*.json"))[: WEEKS * 5]
    for path in reversed(files):  # the order files are dropped in does not matter
        shutil.copy(path, settings.paths.inbox / path.name)
    return settings, dt.date.fromisoformat(files[-1].stem)


def test_old_files_dropped_late_are_what_a_new_reader_gets(tmp_path, hf_daily_captures):
    """Nothing was listed in the run's last week: a new reader gets what the last week's runs stored."""
    settings, last = dropped(tmp_path, hf_daily_captures)
    as_of = last + dt.timedelta(days=120)
    with Store.open(settings.paths.state) as store:
        run, _ = ingest_sources(store, settings, as_of)
        classify(store, settings, run)
        written = plan_and_write(store, settings, as_of, run_id=run)
        seen = [store.papers.paper(pid).first_seen for issue in written for pid in issue.papers]
    assert len(written) == 2 and min(seen) < last - dt.timedelta(days=7), "the best of the files dropped"


def test_a_first_run_over_weeks_of_files_gives_new_readers_the_last_week_only(tmp_path, hf_daily_captures):
    settings, last = dropped(tmp_path, hf_daily_captures)
    as_of = last + dt.timedelta(days=7 - last.weekday())  # the Monday after the last file
    with Store.open(settings.paths.state) as store:
        run, outcome = ingest_sources(store, settings, as_of)
        classify(store, settings, run)
        written = plan_and_write(store, settings, as_of, run_id=run)
        seen = {pid: store.papers.paper(pid).first_seen for issue in written for pid in issue.papers}
        next_run, _ = ingest_sources(store, settings, as_of + dt.timedelta(days=7))
        again = plan_and_write(store, settings, as_of + dt.timedelta(days=7), run_id=next_run)
    assert len(outcome.digests) == WEEKS * 5 and outcome.new_papers > 200
    assert {issue.reader for issue in written} == {"ada@example.org", "grace@example.org"}
    assert all(issue.papers for issue in written), "each new reader gets papers"
    assert min(seen.values()) >= as_of - dt.timedelta(days=7), "only papers listed in the last week"
    assert again == [] or all(not issue.papers for issue in again), "then only what is new: nothing here"


def test_files_ingested_before_are_hashed_not_parsed_and_reported_as_before(tmp_path, hf_daily_captures):
    from papercast.sources.ingest import ingest_digests, parse_inputs, parse_new_inputs, read_inbox

    settings, last = dropped(tmp_path, hf_daily_captures)
    with Store.open(settings.paths.state) as store:
        ingest_sources(store, settings, last)
        files, _ = read_inbox(settings)
        again = parse_new_inputs(store.papers, files, last)
        parsed_anyway = parse_inputs(files, last)
        expected = ingest_digests(store.papers, parsed_anyway.digests, 2)
        got = ingest_digests(store.papers, again.digests, 2, again.known)
    assert again.digests == [] and len(again.known) == len(files) == WEEKS * 5
    assert got.digests == expected.digests and all(d.skipped for d in got.digests)
    assert got.new_papers == expected.new_papers == []
