"""What every request of the app shares: the settings (reread when the config file changes), the
signing keys, the templates, the store, the map from readers' opaque ids back to readers, and the
threads that write.

Writes never block reads: a request that writes (a vote, an unsubscribe) runs on a few threads of its
own (`write`), never on the pool that serves pages, the archive and /healthz, and waits for the state
at most `[web] write_wait` seconds in all (queue, write lock and SQLite's busy wait). When the wait runs
out it raises StateBusyError before anything was written, and the app answers 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2

from papercast.config import load_settings
from papercast.errors import PapercastError, StateBusyError
from papercast.links.identity import list_address
from papercast.links.reader import ReaderLinks
from papercast.links.signing import LinkKeys, SignedLink
from papercast.newsletter.render import make_environment
from papercast.settings import Reader, Settings
from papercast.store import Store

log = logging.getLogger("papercast.web")
WRITE_THREADS = 4  # writes queue on one lock; a few threads let them open the state meanwhile
T = TypeVar("T")


@dataclass(frozen=True)
class Verified:
    """A link whose signature checked out, and the configured reader it names."""

    link: SignedLink
    reader: Reader
    key_index: int  # 0: the current secret; more: a previous one, still accepted


class ReaderDirectory:
    """Readers by their opaque id under each accepted secret (ids are derived with the secret)."""

    def __init__(self, readers: list[Reader], keys: LinkKeys):
        self.by_id = [{keys.reader_id(r.email, index): r for r in readers} for index in range(len(keys.secrets))]

    def reader(self, reader_id: str, key_index: int) -> Reader | None:
        return self.by_id[key_index].get(reader_id)


class WebContext:
    """Settings are reread when the config file changes (readers come and go); a config that turns
    bad meanwhile is logged and the last good one kept, so the app never serves a half-read config."""

    def __init__(self, config_path: Path, keys: LinkKeys, env: jinja2.Environment | None = None):
        self.config_path, self.keys = config_path, keys
        self.env = env or make_environment()
        self.lock, self.write_lock = threading.Lock(), threading.Lock()
        self.writer = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="papercast-write")
        self.write_deadline = threading.local()
        self._settings = load_settings(config_path)
        self._directory = ReaderDirectory(self._settings.readers, keys)
        with self.store() as store:  # created and migrated once, now: requests then only open it
            store.check()

    def settings(self) -> Settings:
        with self.lock:
            try:
                fresh = load_settings(self.config_path)
            except PapercastError as exc:
                log.warning("config not reloaded, the last good one stays in use: %s", exc.one_line())
                return self._settings
            if fresh is not self._settings:
                self._settings, self._directory = fresh, ReaderDirectory(fresh.readers, self.keys)
            return self._settings

    def directory(self) -> ReaderDirectory:
        self.settings()
        return self._directory

    def store(self) -> Store:
        return Store.of(self.settings())

    async def write(self, action: Callable[..., T], *args) -> T:
        """`action(*args)` on a write thread, given `[web] write_wait` seconds from now to get the state;
        StateBusyError (nothing written) when it could not."""
        deadline = time.monotonic() + self.settings().web.write_wait
        return await asyncio.wrap_future(self.writer.submit(self.write_by, deadline, action, *args))

    def write_by(self, deadline: float, action: Callable[..., T], *args) -> T:
        self.write_deadline.value = deadline
        try:
            return action(*args)
        finally:
            self.write_deadline.value = None

    def wait_left(self) -> float | None:
        """Seconds this write thread may still wait for the state (None: no deadline, not a request)."""
        deadline = getattr(self.write_deadline, "value", None)
        if deadline is None:
            return None
        left = deadline - time.monotonic()
        if left <= 0:
            raise self.busy()
        return left

    def time_left(self) -> float:
        """`wait_left` on a write thread with a deadline (StateBusyError once it passed)."""
        left = self.wait_left()
        return -1.0 if left is None else left

    def busy(self) -> StateBusyError:
        settings = self.settings()
        return StateBusyError(
            f"the state was busy for more than {settings.web.write_wait:g} s", source=str(settings.paths.state)
        )

    @contextlib.contextmanager
    def writing(self) -> Iterator[Store]:
        """The store, for a write: one request writes at a time, so concurrent requests queue here, in
        order, rather than in SQLite's busy handler, whose growing sleeps make the slowest requests slow.
        On a write thread the whole wait (this lock, then SQLite's) ends at the request's deadline."""
        settings, left = self.settings(), self.wait_left()
        with Store.open(settings.paths.state, settings.limits.state_busy_seconds if left is None else left) as store:
            if not self.write_lock.acquire(timeout=-1 if left is None else self.time_left()):
                raise self.busy()  # the deadline passed while other writes held the lock
            try:
                if left is not None:
                    store.database.wait_at_most(self.time_left())  # SQLite's busy wait ends at the deadline too
                yield store
            finally:
                self.write_lock.release()

    def verify(self, action: str, fields: dict[str, str]) -> Verified | None:
        """The link's reader when `fields` (r, l, p, s) carry a valid signature for `action` under an
        accepted secret and name a configured reader; None otherwise (forged, altered, cut, retired)."""
        link = SignedLink(action, fields.get("r", ""), fields.get("l", ""), fields.get("p", ""))
        index = self.keys.verify(link, fields.get("s", "")) if link.reader else None
        if index is None:
            return None
        reader = self.directory().reader(link.reader, index)
        return Verified(link, reader, index) if reader else None

    def links(self) -> ReaderLinks:
        """Links from one app page to another: relative (they work under any base path)."""
        return ReaderLinks("", list_address(self.settings().smtp), self.keys)
