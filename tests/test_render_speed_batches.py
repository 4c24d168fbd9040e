"""Newsletters are written in chunks, one ledger transaction each: a chunk whose files could not
all be written records none of them, pending issues keep their place, and files land whole."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from email.generator import BytesGenerator

import pytest

from conftest import AS_OF, write_config
from papercast.relevance.keywords import KeywordScorer
from papercast.relevance.classify import classify_papers
from papercast.config import load_settings
from papercast.delivery.deliver import write_newsletters
from papercast.files import write_atomic_many
from papercast.delivery.message import mime_boundary
from papercast.models import Digest, Paper
from papercast.newsletter.plan import plan_newsletters, reader_slug
from papercast.newsletter.render import make_environment
from papercast.store import Store

NAMES = ["ada", "grace", "alan", "marie", "emmy"]
READERS = "".join(f'\n[[readers]]\nemail = "{name}@example.org"\nname = "{name.title()}"\n'
                  f'profiles = ["efficient-llm", "reasoning"]\nmax_papers = 5\n' for name in NAMES)
PAPERS = [("Four-bit Quantization of Language Models", "We study quantization and pruning."),
          ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models.")]
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def week(tmp_path):
    settings = load_settings(write_config(tmp_path, readers=READERS))
    with Store.open(settings.paths.state) as store:
        run = store.start_run(AS_OF)
        digest = Digest("d.txt", AS_OF, tuple(Paper(t, a) for t, a in PAPERS), content_hash="h1")
        _, new = store.ingest_digest(digest, run)
        store.save_assignments(classify_papers(new, settings.profiles, KeywordScorer(), 0.5))
        yield settings, store


def issue_readers(settings) -> list[str]:
    with sqlite3.connect(settings.paths.state) as db:
        return sorted(row[0] for row in db.execute("SELECT reader FROM issues"))


def test_a_chunk_that_cannot_be_written_records_none_of_its_newsletters(week):
    settings, store = week
    plans, _ = plan_newsletters(store, settings, AS_OF)
    blocked = settings.paths.archive / "newsletters" / reader_slug("marie@example.org")
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where marie's folder belongs")  # the second chunk fails on marie's .html
    with pytest.raises(OSError):
        write_newsletters(store, settings, make_environment(), plans, NOW, 1, chunk_size=2)
    assert issue_readers(settings) == ["ada@example.org", "grace@example.org"]
    assert store.delivered("alan@example.org") == set() and store.reader_cursor("alan@example.org") == 0
    assert len(store.delivered("grace@example.org")) == 2
    outbox = sorted(path.name for path in (settings.paths.archive / "outbox").iterdir())
    assert outbox == sorted(f"{plan.issue_id}.eml" for plan in plans[:2])  # no .eml, no temp file of chunk 2

    blocked.unlink()
    again, _ = plan_newsletters(store, settings, AS_OF)
    written = write_newsletters(store, settings, make_environment(), again, NOW, 1, chunk_size=2)
    assert [w.reader for w in written] == [f"{name}@example.org" for name in NAMES[2:]]
    assert issue_readers(settings) == sorted(f"{name}@example.org" for name in NAMES)


def test_pending_issues_keep_their_place_among_new_ones(week):
    settings, store = week
    plans, _ = plan_newsletters(store, settings, AS_OF)
    first = write_newsletters(store, settings, make_environment(), plans[1::2], NOW, 1, sending=True)
    again = write_newsletters(store, settings, make_environment(), plans, NOW, 1, sending=True, chunk_size=3)
    assert [w.reader for w in again] == [plan.reader.email for plan in plans]
    assert [w.message_id for w in again[1::2]] == [w.message_id for w in first]
    assert all(w.status == "rendered" and w.eml.read_bytes().startswith(b"Subject: ") for w in again)
    assert store.delivered("ada@example.org") == set()  # rendered for sending: nothing delivered yet


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
def test_the_boundary_avoids_a_line_holding_it_as_the_email_package_does(line_end):
    random.seed(3)
    taken = BytesGenerator._make_boundary()
    text = b"intro\r\n--" + taken.encode() + line_end
    random.seed(3)
    expected = BytesGenerator._make_boundary(text)
    random.seed(3)
    assert mime_boundary(text) == expected == taken + ".0"
