"""State schema versions: a v1 state from the first release migrates forward and keeps working.

tests/data/state-v1.sqlite is a real state written by the first release (the three
example digests ingested and classified, schema version 1). It is only ever copied,
never opened in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import PROJECT, digest_text
from papercast.jsonable import jsonable
from papercast.store import schema as schema_module
from papercast.cli import main
from papercast.errors import StateError
from papercast.store import MIGRATIONS, SCHEMA_VERSION, Store

FIXTURE = Path(__file__).parent / "data" / "state-v1.sqlite"
V1_TABLES = ("runs", "digests", "papers", "assignments", "issues", "deliveries", "reader_cursors")
AS_OF = dt.date(2026, 11, 30)
NEW_ABSTRACT = ("We quantize the key-value cache of long-context language models to two bits with learned scales. "
                "Memory drops fourfold, accuracy stays within a point on eight benchmarks, and inference gets faster.")


def rows(path: Path, table: str, columns: list[str]) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()


def columns_of(path: Path, table: str) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def schema(path: Path) -> dict[str, list[tuple]]:
    """Every table and index with its columns (name, type, not null, default, pk): the shape, not the SQL text."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')"
                                          " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: [tuple(r[1:]) for r in db.execute(f"PRAGMA index_info({name})").fetchall()]
                or [tuple(r[1:]) for r in db.execute(f"PRAGMA table_info({name})")] for name in names}


def user_version(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


@pytest.fixture
def v1_copy(tmp_path) -> Path:
    target = tmp_path / "state" / "papercast.sqlite"
    target.parent.mkdir()
    shutil.copy(FIXTURE, target)
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_fixture_is_a_real_untouched_v1_state():
    assert user_version(FIXTURE) == 1 and SCHEMA_VERSION > 1
    assert {t: len(rows(FIXTURE, t, ["*"])) for t in ("digests", "papers", "assignments")} == \
        {"digests": 3, "papers": 14, "assignments": 17}
    assert not list(FIXTURE.parent.glob("state-v1.sqlite-*")), "the fixture was opened in place (WAL files)"


def test_a_v1_state_migrates_to_the_current_version_with_every_row_intact(v1_copy):
    before = {t: (columns_of(v1_copy, t), rows(v1_copy, t, columns_of(v1_copy, t))) for t in V1_TABLES}
    fixture_hash = sha256(FIXTURE)
    with Store.open(v1_copy) as store:
        assert len(store.classification.editions()) == 17
        assert store.papers.paper("t:8830b2759f8d4738").title.startswith("KV-Lite: Two-Bit Key-Value Cache")
    assert user_version(v1_copy) == SCHEMA_VERSION
    for table, (columns, old_rows) in before.items():
        kept = [c for c in columns if c in columns_of(v1_copy, table)]
        assert table == "issues" or kept == columns, f"{table} lost a column"  # v5 moved the email columns out
        assert rows(v1_copy, table, kept) == [row[:len(kept)] for row in old_rows] if table != "issues" \
            else len(rows(v1_copy, table, kept)) == len(old_rows), f"{table} changed in migration"
    assert sha256(FIXTURE) == fixture_hash


def test_a_migrated_state_has_the_same_shape_as_a_fresh_one(v1_copy, tmp_path):
    with Store.open(v1_copy), Store.open(tmp_path / "fresh.sqlite"):
        pass
    assert schema(v1_copy) == schema(tmp_path / "fresh.sqlite")
    assert user_version(tmp_path / "fresh.sqlite") == SCHEMA_VERSION == max(MIGRATIONS)


def test_opening_a_current_state_again_changes_nothing(v1_copy):
    with Store.open(v1_copy):
        pass
    shape = schema(v1_copy)
    with Store.open(v1_copy):
        pass
    assert schema(v1_copy) == shape and user_version(v1_copy) == SCHEMA_VERSION


def test_a_failing_migration_leaves_the_state_as_it_was(v1_copy, monkeypatch):
    """All pending steps run in one transaction: a broken step rolls back the earlier ones too."""
    before = schema(v1_copy)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION + 1, "CREATE TABLE half_done (x); NOT SQL AT ALL")
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StateError, match="cannot use state database"):
        Store.open(v1_copy)
    assert user_version(v1_copy) == 1 and schema(v1_copy) == before


def test_a_state_newer_than_this_papercast_is_refused(v1_copy):
    with sqlite3.connect(v1_copy) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError) as caught:
        Store.open(v1_copy)
    assert caught.value.source == str(v1_copy)
    assert f"state schema {SCHEMA_VERSION + 1} is newer than this papercast ({SCHEMA_VERSION})" in caught.value.message
    assert "upgrade papercast" in caught.value.one_line()
    assert user_version(v1_copy) == SCHEMA_VERSION + 1, "a newer state is left alone"


def run_config(folder: Path, inbox: Path) -> Path:
    """The shipped config (its profiles match the fixture's), pointed at this folder."""
    text = (PROJECT / "config" / "papercast.toml").read_text(encoding="utf-8")
    paths = f'[paths]\ninbox = "{inbox}"\narchive = "archive"\nstate = "state/papercast.sqlite"\n'
    text = text[:text.index("[paths]")] + paths + text[text.index("[[profiles]]"):]
    path = folder / "papercast.toml"
    path.write_text(text + '\n[classify]\nbackend = "keywords"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("damage", ["newer", "not-a-database"])
def test_the_cli_refuses_a_newer_or_damaged_state_in_one_line_before_prefect(v1_copy, tmp_path, capsys, damage):
    if damage == "newer":
        with sqlite3.connect(v1_copy) as db:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        expected = "is newer than this papercast"
    else:
        v1_copy.write_bytes(b"this is a note, not a database" * 100)
        expected = "cannot use state database: file is not a database"
    config = run_config(tmp_path, PROJECT / "examples" / "digests")
    assert main(["run", "--config", str(config), "--json"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and str(v1_copy) in err[0]
    assert not (tmp_path / "archive").exists()


def test_a_run_on_a_v1_state_works(v1_copy, tmp_path, prefect_harness):
    from papercast.flows.newsletter import weekly_newsletter

    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT / "examples" / "digests", inbox)
    new_title = "Two-Bit KV Cache Quantization with Learned Scales for Long Contexts"
    (inbox / "2026-11-27-daily-papers.txt").write_text(digest_text("Nov 27", [(new_title, NEW_ABSTRACT)]))
    report = jsonable(weekly_newsletter(str(run_config(tmp_path, inbox)), AS_OF))
    old = [d for d in report["digests"] if d["already_ingested"]]
    assert len(old) == 3, "the first release's digests are recognized as already ingested"
    assert report["new_papers"] == 1 and report["errors"] == []
    ada = next(n for n in report["newsletters"] if n["reader"] == "ada@example.org")
    with Store.open(v1_copy) as store:
        assert store.ledger.delivered("ada@example.org") == set(ada["papers"])
        new_paper = [p.id for p in store.papers.papers_after(14, 1)]
        assert ada["papers"] == new_paper, "a new reader starts with the papers first seen in the last week"
        kept = store.classification.assigned_since(["efficient-llm"], 0, 14)
        assert len(kept) > 1, "papers stored by the first release keep their assignments"
        assert store.papers.max_paper_seq() == 15


V4_ISSUES = [  # (id, reader, status, message_id, papers, cursor, attempts, last_error, sent_at)
    ("i-written", "ada@example.org", "written", "<w@x>", '["t:8830b2759f8d4738"]', 14, 0, None, None),
    ("i-rendered", "grace@example.org", "rendered", "<r@x>", '["t:8830b2759f8d4738"]', 14, 1, "421 busy", None),
    ("i-sent", "alan@example.org", "sent", "<s@x>", '["t:8830b2759f8d4738"]', 14, 1, None, "2026-11-24T07:00:00+00:00"),
    ("i-failed", "marie@example.org", "failed", "<f@x>", '[]', 14, 1, "550 no", None),
]


def make_v4_ledger(state: Path) -> None:
    """The v1 state taken to v4 by its own migrations, with V4_ISSUES in the ledger of that release."""
    with sqlite3.connect(state) as db:
        for step in (2, 3, 4):
            db.executescript(MIGRATIONS[step])
        db.execute("PRAGMA user_version = 4")
        db.executemany("INSERT INTO issues (id, reader, run_id, date, status, message_id, subject, created_at,"
                       " papers, cursor, attempts, last_error, sent_at) VALUES (?, ?, 1, '2026-11-23', ?, ?, 's',"
                       " '2026-11-23T07:00:00+00:00', ?, ?, ?, ?, ?)", V4_ISSUES)


def test_a_v4_ledger_moves_each_issue_to_its_stage_and_its_email_delivery(v1_copy):
    """The delivery ledger of the previous release (v4): rendered issues are still to be sent."""
    make_v4_ledger(v1_copy)
    with Store.open(v1_copy) as store:
        stages = {i: store.ledger.issue(i).status for i, *_ in V4_ISSUES}
        emails = {i: (d.status, d.ref, d.attempts, d.last_error) for i, *_ in V4_ISSUES
                  for d in store.ledger.channel_deliveries(i)}
        pending = [issue.id for issue in store.ledger.pending_deliveries("email", ["grace@example.org"])]
    assert stages == {"i-written": "done", "i-rendered": "written", "i-sent": "done", "i-failed": "failed"}
    assert emails == {"i-written": ("written", "<w@x>", 0, None), "i-rendered": ("pending", "<r@x>", 1, "421 busy"),
                      "i-sent": ("sent", "<s@x>", 1, None), "i-failed": ("failed", "<f@x>", 1, "550 no")}
    assert pending == ["i-rendered"]


def test_a_v4_issue_sent_after_the_upgrade_records_its_papers_as_delivered(v1_copy):
    """A v4 issue has its paper ids but no sections: sent later, the reader still has its papers (never again)."""
    make_v4_ledger(v1_copy)
    with Store.open(v1_copy) as store:
        run_id = store.runs.start_run(AS_OF)
        store.ledger.mark_delivered("i-rendered", "email", run_id)
        assert store.ledger.issue("i-rendered").status == "done"
        assert store.ledger.delivered("grace@example.org") == {"t:8830b2759f8d4738"}
