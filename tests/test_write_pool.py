"""The write stage on worker processes: the same files and the same record as writing in-process, a
worker's error comes back as itself, a worker that dies is one clear error, and nothing unrecorded
counts as written."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import time

import pytest

from conftest import AS_OF, write_config
from papercast.config import load_settings
from papercast.delivery.pool import POOL_MIN_ISSUES, WritePool, start_worker, worth_a_pool
from papercast.delivery.write import for_workers, record_written, write_issues
from papercast.errors import DeliveryError
from papercast.faults import InjectedFault
from papercast.newsletter.plan import reader_slug
from papercast.store import Store
from stages import ingest, plan, readers_toml

NAMES = ["ada", "grace", "alan", "marie", "emmy", "rosalind", "barbara"]
READERS = readers_toml(NAMES)
PAPERS = [("Four-bit Quantization of Language Models", "We study quantization and pruning."),
          ("Chain-of-Thought Distillation", "Distillation of chain-of-thought reasoning into small models."),
          ("Sparse Attention for Long Context", "Pruning attention heads makes inference efficient.")]


@pytest.fixture
def week(tmp_path):
    settings = load_settings(write_config(tmp_path, readers=READERS))
    with Store.open(settings.paths.state) as store:
        run = ingest(store, settings, PAPERS, dt.date(2026, 11, 16))
        yield settings, store, plan(store, settings, AS_OF, run).to_write


def archive_bytes(written) -> dict:
    return {path: path.read_bytes() for w in written for path in (w.html, w.text, *w.files)}


@pytest.mark.parametrize("sending", [False, True])
def test_workers_write_the_bytes_and_hand_back_the_record_this_process_would(week, sending):
    settings, _, plans = week
    here = write_issues(plans, settings, sending)
    expected = archive_bytes(here)
    for path in expected:
        path.unlink()
    with WritePool(for_workers(settings), sending, workers=2, chunk=2) as pool:
        batch = pool.write(plans)
    assert list(batch.issues) == here  # same issues, same order, same deliveries and Message-IDs
    assert archive_bytes(batch.issues) == expected
    assert len({w.reader for w in batch.issues}) == len(NAMES)


def test_a_worker_error_comes_back_as_itself_and_nothing_is_recorded(week):
    settings, store, plans = week
    blocked = settings.paths.archive / "newsletters" / reader_slug("marie@example.org")
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where marie's folder belongs")
    with WritePool(for_workers(settings), False, workers=2, chunk=2) as pool:
        with pytest.raises(OSError):
            pool.write(plans)
        blocked.unlink()
        written = list(pool.write(plans).issues)  # the same pool goes on
    record_written(store.ledger, written, run_id=1)
    assert {store.ledger.issue(p.issue_id).status for p in plans} == {"done"}


def test_a_worker_that_dies_is_one_clear_error_and_an_injected_fault_is_itself(week, monkeypatch):
    settings, _, plans = week
    monkeypatch.setenv("PAPERCAST_FAILPOINT", "write.worker:raise@1")
    with WritePool(for_workers(settings), False, workers=2, chunk=2) as pool, pytest.raises(InjectedFault):
        pool.write(plans)
    monkeypatch.setenv("PAPERCAST_FAILPOINT", "write.worker:kill@1")
    with WritePool(for_workers(settings), False, workers=2, chunk=2) as pool:
        with pytest.raises(DeliveryError) as raised:
            pool.write(plans)
    assert "a process writing newsletters stopped unexpectedly" in raised.value.one_line()
    assert "\n" not in raised.value.one_line()


def test_workers_leave_when_the_run_is_killed(tmp_path, week):
    settings, _, plans = week
    child = os.fork()
    if child == 0:  # the run: starts its pool, then dies as SIGKILL makes it die
        pool = WritePool(for_workers(settings), False, workers=2, chunk=2).__enter__()
        pool.write(plans)
        (tmp_path / "workers").write_text(" ".join(str(p) for p in pool.executor._processes))
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(child, 0)
    workers = [int(pid) for pid in (tmp_path / "workers").read_text().split()]
    assert workers
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while any(alive(pid) for pid in workers) and dt.datetime.now() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "a writer process outlived the run"


def start_then_wait(settings, parent: int) -> None:
    """A writer process's start, then waiting for work that never comes (a spawned process's target)."""
    start_worker(settings, False, parent)
    time.sleep(60)


def test_a_worker_whose_run_died_while_it_started_leaves_at_once(week):
    """The run gives its own pid: a worker still importing when the run was killed does not take its new
    parent (the reaper) for the run and wait forever."""
    settings, _, _ = week
    gone = subprocess.Popen(["true"])
    gone.wait()
    worker = multiprocessing.get_context("spawn").Process(target=start_then_wait, args=(for_workers(settings), gone.pid))
    worker.start()
    worker.join(timeout=20)
    assert worker.exitcode == 1, "the worker kept waiting for a run that had gone"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended; only its parent (gone) could reap it
        return stat.read().split(") ", 1)[1][0] != "Z"


@pytest.mark.parametrize(("issues", "setting", "cores", "workers"), [
    (POOL_MIN_ISSUES, None, 2, 2), (POOL_MIN_ISSUES - 1, None, 2, 0), (10_000, None, 1, 0), (10_000, None, 4, 4),
    (5, 2, 1, 2), (10_000, 0, 8, 0), (10_000, 1, 8, 0), (0, 3, 8, 0)])
def test_how_many_writer_processes_a_run_starts(issues, setting, cores, workers):
    assert worth_a_pool(issues, setting, cores) == workers
