"""Scheduled weekly emails really go out: `papercast serve --send` (or [schedule] send = true) with an every-minute
cron, a real aiosmtpd server and a digest dated today. No `papercast run` is typed: the schedule alone delivers
one newsletter to every reader, and a later tick sends nothing. `papercast serve` starts its own temporary
Prefect server here (no PREFECT_API_URL), as a new user's would."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, digest_text, quiet_env, write_config
from mailserver import Recorder, mail_server

pytestmark = pytest.mark.slow

READERS = ("ada@example.org", "grace@example.org")
PAPERS = [("Four-bit Quantization of Language Models", "We study quantization and pruning of language models."
           " It is evaluated on several benchmarks with consistent gains over strong baselines."),
          ("A Multimodal Model for Charts", "A vision-language model for visual question answering on charts."
           " It is evaluated on several benchmarks with consistent gains over strong baselines.")]
DEADLINE = 300  # seconds: the first tick is at most a minute away, then Prefect picks the run up


def config_for(folder: Path, port: int, send_in_config: bool) -> Path:
    extra = (f'[schedule]\ncron = "* * * * *"\ntimezone = "UTC"\n{"send = true" if send_in_config else ""}\n'
             f'[classify]\nbackend = "keywords"\n'
             f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom_addr = "papers@example.org"\n')
    config = write_config(folder, extra=extra)
    today = dt.datetime.now(dt.timezone.utc).date()
    (folder / "inbox" / "today.txt").write_text(digest_text(f"{today:%b} {today.day}", PAPERS), encoding="utf-8")
    return config


def reports(folder: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted((folder / "archive" / "reports").glob("run-*.json"))]


def wait_until(check, serve: subprocess.Popen, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if serve.poll() is not None:
            pytest.fail(f"papercast serve exited: {serve.stderr.read()[-3000:]}")
        if check():
            return time.monotonic() - started
        time.sleep(1)
    pytest.fail(f"not within {timeout} s")


def start_serve(folder: Path, port: int, how: str) -> subprocess.Popen:
    config = config_for(folder, port, send_in_config=how.startswith("[schedule]"))
    flag = ["--send"] if how == "serve --send" else []
    return subprocess.Popen([sys.executable, "-m", "papercast.cli", "serve", "--config", str(config), "--no-web", *flag],
                            env=quiet_env(folder / "prefect"), cwd=PROJECT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_the_schedule_alone_delivers_one_newsletter_to_every_reader(tmp_path):
    """Both ways at once, each with its own folder, mail server and `papercast serve` (and so its own Prefect)."""
    hows = ["serve --send", "[schedule] send = true"]
    with mail_server(Recorder()) as (flagged, flag_port), mail_server(Recorder()) as (configured, config_port):
        servers = dict(zip(hows, (flagged, configured)))
        folders = {how: tmp_path / f"case{n}" for n, how in enumerate(hows)}
        serves = {how: start_serve(folders[how], port, how) for how, port in zip(hows, (flag_port, config_port))}
        started, times = time.monotonic(), {}
        try:
            for how in hows:
                wait_until(lambda how=how: sorted(r.rcpt_tos[0] for r in servers[how].received) == list(READERS),
                           serves[how], DEADLINE)
                times[how] = time.monotonic() - started
            for how in hows:
                wait_until(lambda how=how: len(reports(folders[how])) >= 2, serves[how], 120)
            time.sleep(2)  # anything a later tick would (wrongly) send
        finally:
            errs = {how: stop(serve) for how, serve in serves.items()}
        received = {how: sorted(r.rcpt_tos[0] for r in servers[how].received) for how in hows}
    for how in hows:
        assert received[how] == list(READERS), f"{how}: every reader exactly one, and the later tick sent nothing"
        first, second = reports(folders[how])[:2]
        assert first["delivery"]["sent"] == 2 and first["exit_code"] == 0
        assert second["delivery"]["sent"] == 0 and second["newsletters"] == []
        assert "scheduled runs send through smtp://127.0.0.1" in errs[how] and "dry runs" not in errs[how]
        assert "View at " not in errs[how] and "prefect deployment run" not in errs[how], "nothing points at a server" \
            " no one else can reach"
    print("every reader had their newsletter, counted from the start of `papercast serve` (at most "
          + "; ".join(f"{how}: {seconds:.0f} s" for how, seconds in times.items()) + "); a later tick sent nothing")


def stop(serve: subprocess.Popen) -> str:
    """SIGTERM, as a service manager stops it (SIGINT may be ignored when the tests run in the background)."""
    serve.send_signal(signal.SIGTERM)
    try:
        return serve.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        raise
