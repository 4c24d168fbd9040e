"""Two runs on the same state at once: one ingests and sends, the other waits or refuses.

The headline test starts two real `papercast run --send` subprocesses at the same
moment against a real SMTP server (aiosmtpd) and checks every reader got exactly one
message and every digest was ingested once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import AS_OF, PROJECT, write_config
from mailserver import mail_server, password_checker
from papercast.cli import main
from papercast.errors import StateError
from papercast.lock import lock_path_for, run_lock

DIGESTS = ["001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt", "000_78a9b9aaee6fab8d.txt"]
READERS = ("ada@example.org", "grace@example.org")
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from papercast.lock import run_lock
    with run_lock(Path(sys.argv[1]), 0):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def clean_env(folder: Path, **extra: str) -> dict:
    """The user's environment as a fresh shell would have it: no Prefect settings from this test session."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(folder / "prefect-home"), PYTHONPATH=str(PROJECT), **extra)
    return env


def start_run(config: Path, env: dict, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "papercast.cli", "run", "--config", str(config),
               "--as-of", AS_OF.isoformat(), "--json", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT)


def hold_lock(state: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the state's run lock (as a running `papercast run` would)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(state), str(seconds)],
                              stdout=subprocess.PIPE, text=True, cwd=PROJECT, env=clean_env(state.parent))
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def sending_config(tmp_path, shared_digests):
    def make(port: int, wait: float = 600) -> Path:
        config = write_config(tmp_path, extra=textwrap.dedent(f"""
            [classify]
            backend = "keywords"

            [limits]
            lock_wait_seconds = {wait}

            [smtp]
            host = "127.0.0.1"
            port = {port}
            security = "none"
            username = "papercast"
            password_env = "PAPERCAST_TEST_SMTP_PASSWORD"
            from_addr = "papers@example.org"
            """))
        for name in DIGESTS:
            shutil.copy(shared_digests / name, tmp_path / "inbox" / name)
        return config
    return make


@pytest.mark.slow
def test_two_runs_at_once_ingest_once_and_send_once_per_reader(tmp_path, sending_config):
    with mail_server(authenticator=password_checker("papercast", "secret"), auth_require_tls=False) as (recorder, port):
        config = sending_config(port)
        env = clean_env(tmp_path, PAPERCAST_TEST_SMTP_PASSWORD="secret")
        runs = [start_run(config, env, "--send"), start_run(config, env, "--send")]
        outputs = [run.communicate(timeout=900) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    ingesting = [r for r in reports if any(not d["already_ingested"] for d in r["digests"])]
    assert len(ingesting) == 1 and ingesting[0]["new_papers"] == 67 + 78 + 74
    other = next(r for r in reports if r is not ingesting[0])
    assert other["new_papers"] == 0 and other["newsletters"] == []
    assert sum("another papercast run holds the state" in err for _, err in outputs) == 1, "the second one waited"
    assert {reader: len(recorder.to(reader)) for reader in READERS} == {reader: 1 for reader in READERS}
    assert len(recorder.received) == len(READERS)
    with sqlite3.connect(tmp_path / "state" / "papercast.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM digests").fetchone()[0] == len(DIGESTS)
        assert db.execute("SELECT reader, COUNT(*) FROM issues GROUP BY reader").fetchall() == \
            [(reader, 1) for reader in sorted(READERS)]


def test_a_run_that_cannot_get_the_lock_refuses_in_one_line(tmp_path, sending_config, capsys):
    config = sending_config(port=2525, wait=0.5)
    holder = hold_lock(tmp_path / "state" / "papercast.sqlite", 60)
    try:
        code = main(["run", "--config", str(config), "--as-of", AS_OF.isoformat(), "--json"])
    finally:
        holder.kill()
        holder.wait()
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 1 and captured.out == ""
    assert lines[-1].startswith("papercast: error: ") and "another papercast run is using this state" in lines[-1]
    assert f"pid {holder.pid}" in lines[-1] and "lock_wait_seconds" in lines[-1]
    assert not (tmp_path / "archive").exists(), "nothing ran"


def test_the_lock_waits_for_the_holder_and_is_freed_when_it_dies(tmp_path):
    state = tmp_path / "state.sqlite"
    holder = hold_lock(state, 1.0)
    started = time.monotonic()
    with run_lock(state, wait_seconds=60):
        waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.7, "the holder kept it for 1 s after saying 'held'"
    killed = hold_lock(state, 60)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    with run_lock(state, wait_seconds=0):  # a crashed run leaves no stale lock
        assert str(os.getpid()) in lock_path_for(state).read_text()


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    state = tmp_path / "state.sqlite"
    with run_lock(state, wait_seconds=0):
        with run_lock(state, wait_seconds=0):
            pass
        holder = subprocess.run([sys.executable, "-c", HOLDER, str(state), "0"], capture_output=True, text=True,
                                cwd=PROJECT, env=clean_env(tmp_path))
        assert holder.returncode != 0 and "another papercast run is using this state" in holder.stderr
    with run_lock(state, wait_seconds=0):
        pass


def test_the_flow_itself_takes_the_lock(tmp_path, prefect_harness, sending_config):
    """Runs started by `papercast serve` or a deployment do not go through the CLI: the flow locks too."""
    from papercast.flows.newsletter import weekly_newsletter

    config = sending_config(port=2525, wait=0)
    holder = hold_lock(tmp_path / "state" / "papercast.sqlite", 120)
    try:
        with pytest.raises(StateError, match="another papercast run is using this state"):
            weekly_newsletter(str(config), AS_OF)
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "archive").exists()


def test_publish_waits_for_a_run_too(tmp_path, sending_config, capsys):
    """`papercast publish` rewrites the archive a run is writing: it takes the same lock."""
    config = sending_config(port=2525, wait=0.2)
    holder = hold_lock(tmp_path / "state" / "papercast.sqlite", 60)
    try:
        code = main(["publish", "--config", str(config)])
    finally:
        holder.kill()
        holder.wait()
    assert code == 1 and "another papercast run is using this state" in capsys.readouterr().err
    assert main(["publish", "--config", str(config)]) == 0
