"""One run at a time per state: an advisory lock (flock) on a file beside the state.

Two `papercast run` on the same state would both ingest the same digests and both
send the same newsletters. The run lock makes the second wait for the first (for a
bounded time) or refuse with one clear line. The lock file holds the holder's pid and
start time so the message can say who holds it; the kernel drops the lock when the
holder's process ends, so a crashed run never leaves a stale lock.

The lock is re-entrant within one process: the CLI takes it before Prefect starts, and the
flow's preflight takes it again (which also covers runs started by `serve` or a deployment).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from papercast.errors import StateError

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2


def lock_path_for(state_path: Path) -> Path:
    """The lock file beside the state: `papercast.sqlite` -> `papercast.sqlite.lock`."""
    return state_path.with_name(state_path.name + ".lock")


@contextlib.contextmanager
def run_lock(state_path: Path, wait_seconds: float) -> Iterator[bool]:
    """Hold the state's run lock for the `with` block; wait up to `wait_seconds` for it.

    Yields True when this call took the lock, False when this process already held it.
    """
    path = lock_path_for(state_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if holder_pid(fd) == os.getpid() and not try_lock(fd):
            yield False  # this process already holds it: re-entrant, nothing to do
            return
        acquire(fd, path, state_path, wait_seconds)
        write_holder(fd)
        yield True
    finally:
        os.close(fd)  # closing our descriptor releases our flock


def try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def acquire(fd: int, path: Path, state_path: Path, wait_seconds: float) -> None:
    """Take the lock, polling until `wait_seconds` have passed; then refuse with who holds it."""
    deadline = time.monotonic() + max(wait_seconds, 0)
    if try_lock(fd):
        return
    log.warning(
        "%s: another papercast run holds the state (%s); waiting up to %g s", state_path, holder_text(fd), wait_seconds
    )
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if try_lock(fd):
            return
    raise StateError(
        f"another papercast run is using this state ({holder_text(fd)}); gave up after waiting {wait_seconds:g} s",
        source=str(state_path),
        hint=f"let that run finish, or raise [limits] lock_wait_seconds (lock file {path})",
    )


def write_holder(fd: int) -> None:
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)


def read_holder(fd: int) -> list[str]:
    return os.pread(fd, 200, 0).decode("utf-8", errors="replace").split()


def holder_pid(fd: int) -> int | None:
    fields = read_holder(fd)
    return int(fields[0]) if fields and fields[0].isdigit() else None


def holder_text(fd: int) -> str:
    fields = read_holder(fd)
    if len(fields) < 2:
        return "holder unknown"
    return f"pid {fields[0]}, started {fields[1]}"
