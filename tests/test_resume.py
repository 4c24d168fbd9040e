"""Kill or crash a run anywhere, run it again: every reader ends up with exactly the newsletter
they were owed, nothing missed, nothing twice.

Each case runs a real `papercast run --send` subprocess against a real SMTP server (aiosmtpd)
and a real Prefect server, and makes it die at a named point (PAPERCAST_FAILPOINT, see
papercast/faults.py): SIGKILL, as an out-of-memory killer or a reboot would, or an exception.
Then a second run must finish the job. One more case kills a run at a random moment.

What "exactly once" means here, checked after the rerun:
- every issue in the ledger is done and its email was sent;
- the mailbox holds one distinct Message-ID per reader and issue, the ones the ledger names;
- each reader's issues hold every paper assigned to one of their profiles (max_papers is large);
- a message is received twice only in the one window no bookkeeping can close: the SMTP server
  accepted it and the process died before recording that. Such resends carry the same
  Message-ID; they are counted and printed, and allowed only when the kill fell in that window.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import AS_OF, PROFILES, PROJECT, write_config
from mailserver import Recorder, mail_server

pytestmark = pytest.mark.slow

NAMES = ["ada", "grace", "alan", "marie", "emmy", "rosalind", "barbara"]
CHOICES = [["efficient-llm"], ["multimodal", "reasoning"], ["reasoning", "efficient-llm"], ["multimodal"]]
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
name = "{name.title()}"
profiles = {json.dumps(CHOICES[index % len(CHOICES)])}
max_papers = 500
''' for index, name in enumerate(NAMES))
KILLS = {  # failpoint -> where the run dies, in the issue's words
    "ingest.digest@1": "during ingest",
    "ingest.done": "right after ingest",
    "classify.chunk@1": "during classification",
    "classify.done": "right after classification",
    "plan.done": "right after planning",
    "write.chunk@2": "during writing",
    "write.done": "right after writing",
    "send.accepted@3": "during sending: the server took message 3, the run died before recording it",
    "send.recorded@3": "during sending",
    "publish.page@2": "during publishing",
}
SMTP_WINDOW = ("send.accepted",)  # the only points where a resend (same Message-ID) may happen
RETRIED = ("send.",)  # failures in the send task are retried by Prefect within the same run
RESUMED = {  # what the rerun reports as resumed after each kill
    "ingest.digest@1": "classified", "ingest.done": "classified", "classify.chunk@1": "classified",
    "plan.done": "written", "write.chunk@2": "sent", "write.done": "sent", "send.accepted@3": "sent",
    "send.recorded@3": "sent"}


def smtp_config(port: int) -> str:
    return (f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom_addr = "papers@example.org"\n'
            f'timeout = 30\n[classify]\nbackend = "keywords"\n')


@pytest.fixture
def week(tmp_path, shared_digests, prefect_server):
    """A config over the three real digests, its mail server, and how to run papercast on it."""
    with a_week(tmp_path, shared_digests, prefect_server) as made:
        yield made


@pytest.fixture
def pooled_week(tmp_path, shared_digests, prefect_server):
    """The same week, its issues written by two writer processes (papercast/delivery/pool.py)."""
    with a_week(tmp_path, shared_digests, prefect_server, "[limits]\nwrite_processes = 2\n") as made:
        yield made


@contextlib.contextmanager
def a_week(folder: Path, shared_digests: Path, env: dict, extra: str = ""):
    with mail_server(Recorder()) as (server, port):
        config = write_config(folder, profiles=PROFILES, readers=READERS, extra=smtp_config(port) + extra)
        for digest in sorted(shared_digests.glob("*.txt")):
            shutil.copy(digest, folder / "inbox" / digest.name)
        yield Week(config, server, env)


class Week:
    def __init__(self, config: Path, server: Recorder, env: dict):
        self.config, self.server, self.env = config, server, env
        self.state = config.parent / "state" / "papercast.sqlite"

    def start(self, failpoint: str | None = None, day: int = 0) -> subprocess.Popen:
        env = {key: value for key, value in self.env.items() if key != "PAPERCAST_FAILPOINT"}
        if failpoint:
            env["PAPERCAST_FAILPOINT"] = failpoint
        as_of = AS_OF.fromordinal(AS_OF.toordinal() + day).isoformat()
        return subprocess.Popen([sys.executable, "-m", "papercast.cli", "run", "--config", str(self.config),
                                 "--as-of", as_of, "--send", "--json", "--batch-size", "2"], env=env, cwd=PROJECT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def run(self, failpoint: str | None = None, day: int = 0) -> tuple[int, str, str]:
        process = self.start(failpoint, day)
        out, err = process.communicate(timeout=300)
        return process.returncode, out, err

    def finish(self) -> dict:
        """The rerun, which must complete: its report."""
        code, out, err = self.run(day=1)
        assert code == 0, err[-3000:]
        return json.loads(out)


def spec(point: str, action: str) -> str:
    """`write.chunk@2`, `kill` -> `write.chunk:kill@2` (see papercast/faults.py)."""
    name, _, nth = point.partition("@")
    return f"{name}:{action}@{nth or 1}"


def ledger(state: Path) -> tuple[dict[str, list[tuple[str, str, str]]], dict[str, set[str]]]:
    """reader -> [(issue status, email status, Message-ID)], and reader -> papers of their issues."""
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT i.reader, i.status, d.status, d.ref, i.papers FROM issues i"
                          " JOIN channel_deliveries d ON d.issue_id = i.id ORDER BY i.reader, i.id").fetchall()
    issues: dict[str, list] = {}
    papers: dict[str, set[str]] = {}
    for reader, status, email_status, ref, ids in rows:
        issues.setdefault(reader, []).append((status, email_status, ref))
        papers.setdefault(reader, set()).update(json.loads(ids))
    return issues, papers


def owed(state: Path) -> dict[str, set[str]]:
    """What each reader is owed: every paper assigned to one of their profiles."""
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
        by_profile: dict[str, set[str]] = {}
        for paper, profile in db.execute("SELECT paper_id, profile_id FROM assignments"):
            by_profile.setdefault(profile, set()).add(paper)
    return {f"{name}@example.org": set().union(*(by_profile.get(p, set()) for p in CHOICES[i % len(CHOICES)]))
            for i, name in enumerate(NAMES)}


def assert_exactly_once(week: Week, resends_allowed: bool) -> int:
    """The checks of the module docstring; returns the number of resends seen."""
    issues, papers = ledger(week.state)
    assert sorted(issues) == sorted(f"{name}@example.org" for name in NAMES)
    assert {entry for entries in issues.values() for entry in entries if entry[:2] != ("done", "sent")} == set()
    received = Counter((item.rcpt_tos[0], item.message["Message-ID"]) for item in week.server.received)
    for reader, entries in issues.items():
        assert {mid for (r, mid) in received if r == reader} == {ref for _, _, ref in entries}, reader
    resends = sum(count - 1 for count in received.values())
    assert resends == 0 or (resends_allowed and resends <= 1), f"{resends} messages received twice"
    assert papers == owed(week.state), "a reader was not given every paper owed"
    assert all(papers.values()), "every reader is owed something in this week"
    return resends


@pytest.mark.parametrize("point", KILLS, ids=[f"kill {p}" for p in KILLS])
def test_a_run_killed_at_any_point_is_finished_by_the_next(week, point):
    code, _, err = week.run(spec(point, "kill"))
    assert code == -signal.SIGKILL, f"the failpoint {point} was never reached: {err[-2000:]}"
    report = week.finish()
    resends = assert_exactly_once(week, point.startswith(SMTP_WINDOW))
    stage = RESUMED.get(point)
    if stage:
        assert report["resumed"][stage] > 0, report["resumed"]
    print(f"killed {KILLS[point]} ({point}): rerun resumed {report['resumed']}; resends {resends}")


@pytest.mark.parametrize("point", KILLS, ids=[f"raise {p}" for p in KILLS])
def test_a_run_that_crashed_at_any_point_is_finished_by_the_next(week, point):
    code, _, err = week.run(spec(point, "raise"))
    if point.startswith(RETRIED):  # an I/O task: Prefect retries it and the run completes
        assert code == 0, err[-2000:]
    else:
        assert code == 1 and f"injected failure at {point.partition('@')[0]}" in err.strip().splitlines()[-1], \
            err[-2000:]
        assert len([line for line in err.splitlines() if line.startswith("papercast: error:")]) == 1
    week.finish()
    resends = assert_exactly_once(week, point.startswith(SMTP_WINDOW))
    if point.startswith(SMTP_WINDOW):
        assert resends == 1, "the failure after the server accepted message 3 makes it go out twice"


def test_a_run_killed_at_a_random_moment_is_finished_by_the_next(week):
    started = time.monotonic()
    code, _, err = week.run()  # a complete run first, to know how long one takes
    assert code == 0, err[-2000:]
    length = time.monotonic() - started
    shutil.rmtree(week.state.parent)
    shutil.rmtree(week.config.parent / "archive")
    week.server.received.clear()
    seed = int(os.environ.get("PAPERCAST_KILL_SEED", random.randrange(10**6)))
    delay = random.Random(seed).uniform(0.2, length)
    process = week.start()
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    report = week.finish()
    resends = assert_exactly_once(week, resends_allowed=True)
    print(f"killed after {delay:.2f} s of a {length:.2f} s run (PAPERCAST_KILL_SEED={seed}): "
          f"rerun resumed {report['resumed']}; resends {resends}")


WORKER_FAULTS = {  # (failpoint, action) -> the run's return code and the last line of its stderr
    ("write.worker@2", "kill"): (1, "a process writing newsletters stopped unexpectedly"),
    ("write.worker@2", "raise"): (1, "injected failure at write.worker"),
    ("write.chunk@2", "kill"): (-signal.SIGKILL, ""),
}


@pytest.mark.parametrize(("point", "action"), WORKER_FAULTS, ids=[f"{a} {p}" for p, a in WORKER_FAULTS])
def test_a_run_whose_writer_processes_die_midway_is_finished_by_the_next(pooled_week, point, action):
    code, _, err = pooled_week.run(spec(point, action))
    expected_code, expected_line = WORKER_FAULTS[point, action]
    assert code == expected_code, err[-2000:]
    if expected_line:
        assert expected_line in err.strip().splitlines()[-1], err[-2000:]
    report = pooled_week.finish()
    assert assert_exactly_once(pooled_week, resends_allowed=False) == 0
    assert report["resumed"]["written"] + report["resumed"]["sent"] > 0, report["resumed"]
