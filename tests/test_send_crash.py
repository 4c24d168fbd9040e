"""Exactly once across a crash: SIGKILL `papercast run --send` in the middle of a batch, rerun it.

The server stalls on message k+1 (it has the data, it never answers), the sending process
group is killed with SIGKILL, and a second run must send exactly the rest: every reader ends
up with one message, carrying the Message-ID of the issue the first run rendered.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import AS_OF, PROJECT, write_config
from mailserver import Recorder, mail_server

NAMES = ["ada", "grace", "alan", "marie", "emmy", "rosalind", "barbara"]
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
name = "{name.title()}"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = {3 + index}
''' for index, name in enumerate(NAMES))
STALL_AFTER = 3


def run_cli(config, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "papercast.cli", "run", "--config", str(config), "--as-of", AS_OF.isoformat(),
         "--send", "--json"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)  # its own process group: the kill takes Prefect's server with it


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def ledger(state) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(state) as db:
        return {reader: (status, mid) for reader, status, mid in
                db.execute("SELECT reader, status, message_id FROM issues")}


def test_sigkill_mid_batch_then_rerun_sends_each_reader_exactly_one(tmp_path, shared_digests):
    smtp = "[smtp]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\nfrom_addr = \"papers@example.org\"\ntimeout = 120\n"
    recorder = Recorder(stall_after=STALL_AFTER)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    with mail_server(recorder) as (server, port):
        config = write_config(tmp_path, readers=READERS, extra=smtp + f"port = {port}\n")
        shutil.copy(shared_digests / "001_0b28249de3011a72.txt", tmp_path / "inbox")
        first = run_cli(config, env)
        stalled = wait_for(lambda: server.stalled or first.poll() is not None, 240)
        assert stalled and first.poll() is None, first.communicate()[1].decode()[-2000:]
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(30)
        state = tmp_path / "state" / "papercast.sqlite"
        before = ledger(state)
        assert len(server.received) == STALL_AFTER
        assert sorted(status for status, _ in before.values()) == ["rendered"] * 4 + ["sent"] * 3

        recorder.stall_after = None
        recorder.release.set()
        second = run_cli(config, env)
        out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()[-2000:]
    report = json.loads(out)
    assert report["delivery"]["sent"] == 4 and report["delivery"]["skipped"] == 3
    received = {name: [item.message["Message-ID"] for item in server.to(f"{name}@example.org")] for name in NAMES}
    assert all(len(ids) == 1 for ids in received.values()), received
    in_flight = server.stalled[0]
    assert received[in_flight.rcpt_tos[0].split("@")[0]] == [in_flight.message["Message-ID"]]
    after = ledger(state)
    assert {reader: mid for reader, (_, mid) in after.items()} == {r: mid for r, (_, mid) in before.items()}
    assert {f"{name}@example.org": [after[f"{name}@example.org"][1]] for name in NAMES} == \
        {f"{name}@example.org": ids for name, ids in received.items()}
    assert {status for status, _ in after.values()} == {"sent"}
