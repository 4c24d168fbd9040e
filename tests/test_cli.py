"""The papercast command: the contract outside checks rely on."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, PROJECT, write_config
from papercast.cli import main


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papercast.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=PROJECT, timeout=600)


def test_bad_config_is_one_line_on_stderr_and_exit_1(tmp_path):
    path = write_config(tmp_path, extra="colour = 'blue'")
    result = run_cli("run", "--config", str(path), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0] and "paths.colour: unknown key" in lines[0]


def test_verbose_adds_the_traceback(tmp_path, capsys):
    code = main(["run", "--config", str(tmp_path / "missing.toml"), "--verbose"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" in err and "config file not found" in err


def test_bad_date_is_rejected_up_front(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["run", "--config", str(write_config(tmp_path)), "--as-of", "23/11/2026"])
    assert caught.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.slow
def test_run_json_on_the_shipped_examples_prints_only_the_report(tmp_path):
    config = write_config(tmp_path)
    for digest in EXAMPLES.iterdir():
        shutil.copy(digest, tmp_path / "inbox" / digest.name)
    shared_home = {"PREFECT_HOME": os.environ.get("PREFECT_HOME", str(tmp_path / "prefect"))}
    result = run_cli("run", "--config", str(config), "--as-of", "2026-11-23", "--json", env=shared_home)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "View at " not in result.stderr, "no link into a temporary server that is gone once the command ends"
    report = json.loads(result.stdout)
    assert report["new_papers"] == 14
    assert [d["new"] for d in report["digests"]] == [6, 4, 4]
    assert report["newsletters"] and report["errors"] == []
    assert all(Path(n["eml"]).is_absolute() and Path(n["eml"]).exists() for n in report["newsletters"])


def test_serve_says_once_that_scheduled_runs_are_dry_runs_and_how_to_send(tmp_path):
    from papercast.config import load_settings
    from papercast.serving import serving_lines

    settings = load_settings(write_config(tmp_path))
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.timezone.utc)
    dry = serving_lines(settings, False, now, temporary=True)
    assert [line for line in dry if "dry runs" in line] == [
        f"scheduled runs are dry runs: messages go to {tmp_path / 'archive' / 'outbox'}, nothing is sent; to send, "
        "start `papercast serve --send` or set [schedule] send = true"]
    assert dry[0] == "weekly run '0 7 * * MON' (UTC); next: 2026-11-23T07:00+00:00, 2026-11-30T07:00+00:00, " \
                     "2026-12-07T07:00+00:00"
    sending = serving_lines(settings, True, now, temporary=False)
    assert not any("dry runs" in line or "temporary" in line for line in sending)


def test_serve_send_without_the_smtp_password_stops_at_start_in_one_line(tmp_path, capsys, monkeypatch):
    config = write_config(tmp_path, extra='[smtp]\nusername = "papercast"\npassword_env = "TEST_SERVE_PW"\n')
    monkeypatch.delenv("TEST_SERVE_PW", raising=False)
    code = main(["serve", "--config", str(config), "--send", "--no-web"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "\n" not in err and "TEST_SERVE_PW is not set" in err
    config.write_text(config.read_text() + "[schedule]\nsend = true\n")
    assert main(["serve", "--config", str(config), "--no-web"]) == 1, "[schedule] send = true needs it just the same"


def test_output_piped_into_head_ends_quietly(tmp_path):
    """`papercast readers --json | head -1`: the reader of the pipe leaves early; no BrokenPipeError."""
    readers = "".join(f'\n[[readers]]\nemail = "r{n}@example.org"\nprofiles = ["reasoning"]\n' for n in range(3000))
    config = write_config(tmp_path, readers=readers)
    process = subprocess.Popen([sys.executable, "-m", "papercast.cli", "readers", "--config", str(config), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT)
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0 and first.strip() == b"[" and err == "", err[-2000:]
