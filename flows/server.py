"""Prefect's temporary API server for one `papercast run`, started early and stopped only once
every task-run record of the run has reached it.

Without PREFECT_API_URL, Prefect starts a temporary server itself when the flow begins: it
imports `prefect.server.api.server` into this process (about 1.8 s) and then waits for the
server (about 4 s). This module starts the same server process itself, before `import prefect`,
so the server boots while papercast checks its config and state and Prefect imports. It
launches exactly what Prefect 3.8-3.9's own `SubprocessASGIServer` launches (uvicorn with
`prefect.server.api.server:create_app`); for any other Prefect version it steps aside and
Prefect's own start is used. No module here imports Prefect at import time.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

KNOWN_PREFECT = ((3, 8), (3, 9))  # versions whose temporary server this launches the same way
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_FINAL": "1"}
EPHEMERAL = {"PREFECT__SERVER_EPHEMERAL": "1"}  # a server for one run: no background services (no scheduler)
API_URL, UI_URL = "PREFECT_API_URL", "PREFECT_UI_URL"
PORT_IN_USE = 3  # uvicorn's exit code when the port was taken meanwhile


def launchable() -> bool:
    """Whether this Prefect is one whose temporary server we know how to start."""
    try:
        major, minor = (int(part) for part in metadata.version("prefect").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) in KNOWN_PREFECT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def die_with_parent() -> None:
    """Linux: the server gets SIGTERM when this process dies, even by SIGKILL (no orphan left)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def export_api(api_url: str) -> list[str]:
    """Point Prefect in this process and its children at a temporary server; it serves no UI, so Prefect's
    "View at <UI URL>" links would be dead: PREFECT_UI_URL is emptied (unless set). The names exported."""
    os.environ[API_URL] = api_url
    if UI_URL in os.environ:
        return [API_URL]
    os.environ[UI_URL] = ""
    return [API_URL, UI_URL]


class TemporaryServer:
    """One temporary Prefect API server process on a free 127.0.0.1 port. `services`: with Prefect's
    background services, the scheduler among them (for `papercast serve`); else an ephemeral server."""

    def __init__(self, services: bool = False):
        self.port = free_port()
        self.services = services
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> TemporaryServer:
        spec = find_spec("prefect")
        if spec is None or spec.origin is None:
            raise RuntimeError("Prefect is not installed")
        app_dir = Path(spec.origin).parent.parent
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(app_dir),
            "--factory",
            "prefect.server.api.server:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "error",
            "--lifespan",
            "on",
        ]
        env = {**os.environ, **SERVER_ENV, **({} if self.services else EPHEMERAL)}
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=die_with_parent
        )
        return self

    def started(self) -> subprocess.Popen:
        if self.process is None:
            raise RuntimeError("Prefect's temporary server was not started")
        return self.process

    def wait_ready(self, timeout: float) -> None:
        """Until /api/health answers; a port taken meanwhile means a restart on another one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.started()
            if process.poll() == PORT_IN_USE:
                self.port = free_port()
                self.start()
            elif process.poll() is not None:
                error = process.stderr.read().decode(errors="replace")[-500:] if process.stderr else ""
                raise RuntimeError(f"Prefect's temporary server exited ({process.returncode}): {error}")
            if healthy(self.api_url):
                return
            time.sleep(0.05)
        raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:g} s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def configured_elsewhere() -> bool:
    """PREFECT_API_URL in the environment or in a Prefect profile: that API is used, none is started."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml"))
    return profiles.is_file() and "PREFECT_API_URL" in profiles.read_text(encoding="utf-8", errors="replace")


class EarlyServer:
    """`with EarlyServer() as server:` starts a temporary server at once (when one is needed and this
    Prefect is known; else `server` is None) and exports its URL for Prefect and child processes."""

    def __enter__(self) -> TemporaryServer | None:
        self.server = None if configured_elsewhere() or not launchable() else TemporaryServer().start()
        self.exported = export_api(self.server.api_url) if self.server is not None else []
        return self.server

    def __exit__(self, *exc) -> None:
        for name in self.exported:
            os.environ.pop(name, None)
        if self.server is not None:
            self.server.stop()
