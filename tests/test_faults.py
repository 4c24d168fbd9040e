"""Faults beyond a kill: a full disk, a state locked by another process, a damaged state file.

Each is one line on stderr naming the file, exit 1, never a traceback and never a silent fresh
start; after the cause is gone, a rerun completes and nothing half-written is left behind.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import AS_OF, PROJECT, write_config

pytestmark = pytest.mark.slow
KEYWORDS = '[classify]\nbackend = "keywords"\n'


def run(config: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papercast.cli", "run", "--config", str(config), "--as-of",
                           AS_OF.isoformat(), "--json"], env=env, cwd=PROJECT, capture_output=True, text=True,
                          timeout=300)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("papercast: error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return errors[0]


@pytest.fixture
def week(tmp_path, shared_digests, prefect_server):
    config = write_config(tmp_path, extra=KEYWORDS)
    for digest in sorted(shared_digests.glob("*.txt")):
        shutil.copy(digest, tmp_path / "inbox" / digest.name)
    return config, prefect_server


def small_filesystem(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "none", str(folder)],
                          capture_output=True).returncode == 0


def leftovers(folder: Path) -> list[Path]:
    """Temporary files of interrupted writes (write_atomic's hidden `.<name>.<random>`)."""
    return [path for path in folder.rglob(".*") if path.is_file()]


@pytest.mark.parametrize("size", ["16k", "96k"])
def test_a_full_disk_under_the_archive_is_one_line_and_the_rerun_completes(week, size):
    config, env = week
    archive = config.parent / "archive"
    if not small_filesystem(archive, size):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        failed = run(config, env)
        line = one_line_error(failed)
        assert "no space left on the device" in line and str(archive) in line
        assert leftovers(archive) == []
        print(f"archive on a {size} file system: {line}")
        subprocess.run(["mount", "-o", "remount,size=64m", str(archive)], check=True)  # space freed
        assert run(config, env).returncode == 0
        assert leftovers(archive) == []
        issues = issue_files(config.parent / "state" / "papercast.sqlite", archive)
        assert issues and all(status == "done" for status, _ in issues)
        assert all(path.stat().st_size > 0 for _, paths in issues for path in paths)
        assert (archive / "index.html").is_file()
        for path in archive.rglob("*.html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    finally:
        subprocess.run(["umount", str(archive)], capture_output=True)


def issue_files(state: Path, archive: Path) -> list[tuple[str, list[Path]]]:
    """Each issue's status and its files (the newsletter pages and the outbox message)."""
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id, status FROM issues").fetchall()
    return [(status, [archive / "outbox" / f"{issue}.eml", *archive.glob(f"newsletters/*/{issue}.*")])
            for issue, status in rows]


HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_state_locked_by_another_process_waits_then_refuses_in_one_line(week):
    config, env = week
    assert run(config, env).returncode == 0
    text = config.read_text().replace("[classify]", "[limits]\nstate_busy_seconds = 2\n\n[classify]")
    config.write_text(text)
    state = config.parent / "state" / "papercast.sqlite"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(state), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        line = one_line_error(run(config, env))
        waited = time.monotonic() - started
        assert "locked by another process (waited 2 s)" in line and str(state) in line
        assert waited < 30, "the wait is bounded"
    finally:
        holder.kill()
        holder.wait()
    assert run(config, env).returncode == 0, "once the other process let go, runs go on"


@pytest.mark.parametrize("damage", ["truncated", "empty", "overwritten"])
def test_a_damaged_state_is_one_line_naming_the_file_never_a_fresh_start(week, damage):
    config, env = week
    assert run(config, env).returncode == 0
    state = config.parent / "state" / "papercast.sqlite"
    data = state.read_bytes()
    state.write_bytes({"truncated": data[: len(data) // 2], "empty": b"",
                       "overwritten": b"not a database " * 400}[damage])
    damaged = state.read_bytes()
    line = one_line_error(run(config, env))
    assert str(state) in line
    assert any(word in line for word in ("malformed", "empty", "not a database")), line
    assert state.read_bytes() == damaged, "the damaged file is left as it was for the operator"
