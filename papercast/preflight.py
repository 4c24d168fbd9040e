"""Before a run touches anything: the config, the SMTP password and link secret, the run's selection, the run
lock and the state file, checked once, in the same order, by the CLI and by the flow.

The CLI runs it before Prefect starts, so a bad config, a missing password or a damaged state is
one line and nothing else happens; the flow runs it again (the config is loaded once per process
and the lock is re-entrant), which covers runs started by `serve` or a deployment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

from papercast.config import load_settings
from papercast.delivery.smtp import smtp_password
from papercast.files import secure_archive
from papercast.links.identity import public_base
from papercast.links.signing import link_keys, required_keys
from papercast.lock import run_lock
from papercast.newsletter.selection import RunSelection, select_run
from papercast.schedule import today_in
from papercast.settings import Settings
from papercast.store import Store


@dataclass(frozen=True)
class PreparedRun:
    """A run that passed preflight: its settings, who and what it covers, its date, whether it sends."""

    settings: Settings
    selection: RunSelection
    as_of: dt.date
    send: bool = False


def prepare_run(
    config_path: str,
    as_of: dt.date | None = None,
    profiles: list[str] | None = None,
    readers: list[str] | None = None,
    send: bool | None = False,
) -> PreparedRun:
    """Config, password and link secret (with send) and selection, each a one-line error when wrong.
    `send` None: as [schedule] send says (a scheduled run)."""
    settings = load_settings(config_path)
    send = settings.schedule.send if send is None else send
    check_link_secret(settings, send)
    if send:
        smtp_password(settings.smtp, os.environ)
    selection = select_run(settings, profiles, readers)
    return PreparedRun(settings, selection, as_of or today_in(settings.schedule.timezone), send)


def check_link_secret(settings: Settings, send: bool) -> None:
    """A link secret that is set must be usable; sending with [site] base_url set needs one, or the
    messages would carry links no app accepts. A dry run without it writes unsigned links."""
    if send and public_base(settings) is not None:
        required_keys(settings, os.environ, "messages sent with [site] base_url set carry signed links")
    else:
        link_keys(settings, os.environ)


@contextlib.contextmanager
def preflight(
    config_path: str,
    as_of: dt.date | None = None,
    profiles: list[str] | None = None,
    readers: list[str] | None = None,
    send: bool | None = False,
) -> Iterator[PreparedRun]:
    """`prepare_run`, then hold the run lock and check the state for the `with` block."""
    run = prepare_run(config_path, as_of, profiles, readers, send)
    with run_lock(run.settings.paths.state, run.settings.limits.lock_wait_seconds) as taken:
        if taken:
            check_state(run.settings)
        yield run


def check_state(settings: Settings) -> None:
    """Open (and migrate) the state and read it through once: a newer, damaged or truncated state
    file is one line now, never a traceback mid-run and never a silent fresh start. The archive's
    private folders are made private too, on an install an older papercast left open."""
    with Store.of(settings) as store:
        store.check()
    secure_archive(settings.paths.archive)
