"""Writing issues: a batch whose files cannot all be written records nothing and leaves no
temporary file; the next run writes it; the same plan always writes the same bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, write_config
from papercast.config import load_settings
from papercast.delivery.message import mime_boundary
from papercast.delivery.write import write_batch, write_issues
from papercast.files import write_atomic_many
from papercast.newsletter.plan import reader_slug
from papercast.store import Store
from stages import ingest, plan, plan_and_write, readers_toml

NAMES = ["ada", "grace", "alan", "marie", "emmy"]
READERS = readers_toml(NAMES)
PAPERS = [("Four-bit Quantization of Language Models", "We study quantization and pruning."),
          ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models.")]


@pytest.fixture
def week(tmp_path):
    settings = load_settings(write_config(tmp_path, readers=READERS))
    with Store.open(settings.paths.state) as store:
        run = ingest(store, settings, PAPERS, dt.date(2026, 11, 16))
        yield settings, store, run


def test_a_batch_that_cannot_be_written_records_nothing_and_the_next_run_writes_it(week):
    settings, store, run = week
    plans = plan(store, settings, AS_OF, run).to_write
    blocked = settings.paths.archive / "newsletters" / reader_slug("marie@example.org")
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where marie's folder belongs")
    with pytest.raises(OSError):
        write_issues(plans, settings, sending=False)
    assert {store.ledger.issue(p.issue_id).status for p in plans} == {"planned"}
    assert store.ledger.delivered("ada@example.org") == set()
    assert not (settings.paths.archive / "outbox").exists() or not any((settings.paths.archive / "outbox").iterdir())

    blocked.unlink()
    written = plan_and_write(store, settings, AS_OF, run_id=run)
    assert [w.issue_id for w in written] == [p.issue_id for p in plans]
    assert {store.ledger.issue(p.issue_id).status for p in plans} == {"done"}


def test_the_same_plan_writes_the_same_bytes(week):
    settings, store, run = week
    plans = plan(store, settings, AS_OF, run).to_write
    first = write_issues(plans, settings, sending=True)
    before = {path: path.read_bytes() for w in first for path in (w.html, w.text, *w.files)}
    again = write_issues(plans, settings, sending=True)
    assert [w.message_id for w in again] == [w.message_id for w in first]
    assert {path: path.read_bytes() for path in before} == before
    assert all(path.read_bytes().startswith(b"Subject: ") for w in again for path in w.files)


def test_many_files_land_whole_or_leave_nothing_behind(tmp_path):
    (tmp_path / "blocked").write_text("not a folder")
    files = [(tmp_path / "a" / "one.txt", b"one"), (tmp_path / "blocked" / "two.txt", b"two")]
    with pytest.raises(OSError):
        write_atomic_many(files)
    assert list((tmp_path / "a").iterdir()) == []  # nothing renamed, no temporary file left
    paths = write_atomic_many([(tmp_path / "a" / f"{n}.txt", bytes([65 + n]) * n) for n in range(5)])
    assert [path.read_bytes() for path in paths] == [bytes([65 + n]) * n for n in range(5)]
    assert sorted(path.name for path in (tmp_path / "a").iterdir()) == [f"{n}.txt" for n in range(5)]


@pytest.mark.parametrize("line_end", [b"\n", b""])
def test_the_boundary_avoids_a_line_holding_it_and_is_the_same_for_the_same_issue(line_end):
    taken = mime_boundary(b"", "issue-1")
    assert taken == mime_boundary(b"", "issue-1") != mime_boundary(b"", "issue-2")
    text = b"intro\r\n--" + taken.encode() + line_end
    assert mime_boundary(text, "issue-1") == taken + ".0"
    assert mime_boundary(b"--" + taken.encode() + b"x", "issue-1") == taken  # only a whole line counts


def test_a_task_batch_of_several_chunks_writes_what_one_chunk_at_a_time_writes(week):
    settings, store, run = week
    plans = plan(store, settings, AS_OF, run).to_write
    single = write_issues(plans, settings, sending=True)
    files = {path: path.read_bytes() for w in single for path in (w.html, w.text, *w.files)}
    for path in files:
        path.unlink()
    batch = write_batch(plans, settings, sending=True, chunk=2)  # 5 readers: three chunks
    assert [w.issue_id for w in batch.issues] == [w.issue_id for w in single]
    assert {path: path.read_bytes() for path in files} == files
