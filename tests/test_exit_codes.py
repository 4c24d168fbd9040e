"""Exit codes an operator can trust: 0 only when everything the run was asked to do was done; 3 when the run
completed with something left (an input that could not be read, a message not accepted, a source that
failed), each with a one-line, non-empty reason; 1 when it could not run. Real `papercast` subprocesses
against a real Prefect server, a real SMTP server and a real HTTP server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import AS_OF, EXAMPLES, PROJECT, write_config
from feedserver import Route, start_feed_server
from mailserver import Recorder, free_port, mail_server

pytestmark = pytest.mark.slow

READERS = "".join(f'\n[[readers]]\nemail = "{name}@example.org"\nprofiles = ["efficient-llm", "multimodal", '
                  f'"reasoning"]\nmax_papers = 5\n' for name in ("ada", "grace", "alan", "marie"))


def smtp(port: int, **extra) -> str:
    options = {"host": "127.0.0.1", "port": port, "security": "none", "from_addr": "papers@example.org",
               "timeout": 5, "retries": 1, "retry_backoff": 0.5, **extra}
    return "[smtp]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in options.items()) + \
        '[classify]\nbackend = "keywords"\n'


def week(tmp_path, extra: str = ""):
    config = write_config(tmp_path, readers=READERS, extra=extra)
    for digest in EXAMPLES.glob("*.txt"):
        shutil.copy(digest, tmp_path / "inbox" / digest.name)
    return config


def papercast(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papercast.cli", *args, "--as-of", AS_OF.isoformat()],
                          env={**os.environ, **env}, cwd=PROJECT, capture_output=True, text=True, timeout=300)


def assert_partly_done(done: subprocess.CompletedProcess, *reasons: str) -> dict:
    """Exit 3; the JSON report's not_done names each reason, none of them empty."""
    assert done.returncode == 3, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["exit_code"] == 3 and report["not_done"]
    assert all(line.partition(": ")[2].strip() for line in report["not_done"]), report["not_done"]
    for reason in reasons:
        assert any(reason in line for line in report["not_done"]), (reason, report["not_done"])
    return report


def test_a_clean_run_exits_0(tmp_path, prefect_server):
    with mail_server(Recorder()) as (_, port):
        done = papercast(prefect_server, "run", "--config", str(week(tmp_path, smtp(port))), "--send", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert (report["exit_code"], report["not_done"], report["delivery"]["sent"]) == (0, [], 4)


def test_a_missing_inbox_folder_exits_3_naming_it(tmp_path, prefect_server):
    config = week(tmp_path)
    shutil.rmtree(tmp_path / "inbox")
    done = papercast(prefect_server, "run", "--config", str(config), "--json")
    assert_partly_done(done, f"{tmp_path / 'inbox'}: inbox folder does not exist")
    summary = papercast(prefect_server, "run", "--config", str(config))
    assert summary.returncode == 3
    assert summary.stdout.splitlines()[-1] == "  not done (exit 3): 1 problem, named above; the next run tries again"


def test_an_smtp_server_that_refuses_every_message_exits_3_with_its_reply(tmp_path, prefect_server):
    refusing = Recorder(rcpt_replies={f"{n}@example.org": ["550 5.7.1 relaying denied"] for n in ("ada", "grace",
                                                                                                   "alan", "marie")})
    with mail_server(refusing) as (server, port):
        done = papercast(prefect_server, "run", "--config", str(week(tmp_path, smtp(port))), "--send", "--json")
    report = assert_partly_done(done, "ada@example.org: 550 5.7.1 relaying denied")
    assert report["delivery"]["failed"] == 4 and server.received == []


def test_an_unreachable_smtp_server_exits_3_soon_and_every_reader_has_the_reason(tmp_path, prefect_server):
    config = week(tmp_path, smtp(free_port()))
    started = time.monotonic()
    done = papercast(prefect_server, "run", "--config", str(config), "--send")
    took = time.monotonic() - started
    assert done.returncode == 3, done.stderr[-3000:]
    failed = [line for line in done.stdout.splitlines() if line.startswith("  failed: ")]
    assert len(failed) == 4 and all("cannot deliver after 2 attempts" in line for line in failed), failed
    assert all(": " in line and line.split(": ", 2)[2].strip() for line in failed)
    sent = next(line for line in done.stdout.splitlines() if line.startswith("  sent: "))
    assert sent.startswith("  sent: 0; failed: 4; still pending: 4; sending took ")
    assert float(sent.rsplit(" ", 2)[1]) < 5, "one bounded retry (0.5 s): not multiplied by Prefect's retries"
    print(f"unreachable SMTP server: {sent.strip()}; the whole command took {took:.1f} s")


def test_a_failing_feed_exits_3_for_run_and_fetch(tmp_path, prefect_server):
    server, httpd = start_feed_server()
    server.routes["/rss"] = Route(status=500)
    try:
        extra = f'[[sources]]\nname = "lab"\nkind = "feed"\nurl = "{server.url("/rss")}"\nretries = 0\ntimeout = 5\n'
        config = week(tmp_path, extra + '[classify]\nbackend = "keywords"\n')
        run = papercast(prefect_server, "run", "--config", str(config), "--json")
        fetch = papercast(prefect_server, "fetch", "--config", str(config), "--json")
    finally:
        httpd.shutdown()
    for done in (run, fetch):
        report = assert_partly_done(done, "lab: HTTP 500")
        assert [s["status"] for s in report["sources"]] == ["failed"]


def test_a_run_that_cannot_start_exits_1_in_one_line(tmp_path, prefect_server):
    config = week(tmp_path, '[smtp]\nusername = "u"\npassword_env = "TEST_EXIT_PW"\n')
    done = papercast({**prefect_server, "TEST_EXIT_PW": ""}, "run", "--config", str(config), "--send")
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "TEST_EXIT_PW is not set" in done.stderr
