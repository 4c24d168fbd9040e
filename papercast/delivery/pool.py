"""The write stage on every core: one worker process per core renders, composes and writes chunks of issues.

Rendering and composing are pure Python, so threads share one core (the GIL). A run with many
issues starts one process per core for its write stage (spawned, not forked: the run's process has
Prefect's threads and locks), each with its own template environment; the processes start once per
run and serve every write task. A worker writes its chunk's files as `write_issues` does in-process
(the same bytes) and hands back only what it wrote, which the coordinator records as before.

A worker that fails raises its error here, unchanged (a full disk is still one StorageError); a worker
that dies is a DeliveryError. Either way nothing is recorded for the issues not handed back, so the
next run writes them again, and a file is only ever replaced whole by the same bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

import jinja2

from papercast.cores import available_cores
from papercast.delivery.write import WRITE_CHUNK, WrittenBatch, WrittenIssue, write_issues
from papercast.errors import DeliveryError
from papercast.faults import checkpoint
from papercast.heap import freeze_for_good
from papercast.newsletter.plan import NewsletterPlan
from papercast.newsletter.render import make_environment
from papercast.settings import Settings

POOL_MIN_ISSUES = 1000  # below this, starting the processes (about 0.5 s) costs more than it saves
PARENT_CHECK_SECONDS = 1.0

WORKER: tuple[Settings, bool, jinja2.Environment] | None = None  # in a worker: what every chunk needs


def worth_a_pool(issues: int, setting: int | None = None, cores: int | None = None) -> int:
    """How many worker processes a write stage of `issues` issues uses, 0 for none (this process writes).
    `setting` is [limits] write_processes: None chooses (one per core, for 1,000 issues or more), 0 or 1
    keeps the writing in this process, N >= 2 starts N."""
    if setting is not None:
        return setting if setting >= 2 and issues else 0
    cores = available_cores() if cores is None else cores
    return cores if cores > 1 and issues >= POOL_MIN_ISSUES else 0


def start_worker(settings: Settings, sending: bool, parent: int) -> None:
    """In a new worker: what every chunk needs, and a watch on `parent`, the run's process (its pid given
    by the run: a run killed while this worker was still starting has already left)."""
    global WORKER
    threading.Thread(target=exit_with_parent, args=(parent,), daemon=True).start()
    WORKER = (settings, sending, make_environment())
    freeze_for_good()  # the modules and templates loaded: collections scan only each chunk's objects


def exit_with_parent(parent: int) -> None:
    """A run killed outright (SIGKILL) leaves its workers waiting for work that never comes: they go too."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def write_in_worker(plans: list[NewsletterPlan]) -> list[WrittenIssue]:
    if WORKER is None:
        raise RuntimeError("write_in_worker runs only in a WritePool's process")
    settings, sending, env = WORKER
    written = write_issues(plans, settings, sending, env)
    checkpoint("write.worker")
    return written


class WritePool:
    """`workers` processes writing issues for one run's settings: `with WritePool(...) as pool: pool.write(plans)`."""

    def __init__(self, settings: Settings, sending: bool, workers: int, chunk: int = WRITE_CHUNK):
        self.settings, self.sending, self.workers, self.chunk = settings, sending, workers, chunk
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> WritePool:
        self.executor = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(self.settings, self.sending, os.getpid()),
        )
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def write(self, plans: list[NewsletterPlan]) -> WrittenBatch:
        """Every plan's files written, chunks spread over the workers; what was written, in the plans' order."""
        if self.executor is None:
            raise RuntimeError("WritePool.write outside its with-block")
        chunks = [plans[start : start + self.chunk] for start in range(0, len(plans), self.chunk)]
        futures = [self.executor.submit(write_in_worker, chunk) for chunk in chunks]
        return WrittenBatch(tuple(issue for future in futures for issue in self.result(future)))

    def result(self, future: Future[list[WrittenIssue]]) -> list[WrittenIssue]:
        try:
            return future.result()
        except BrokenProcessPool:
            raise DeliveryError(
                "a process writing newsletters stopped unexpectedly",
                source="write stage",
                hint="check memory and the system log; the next run writes what this one did not record",
            ) from None
