"""Shared fixtures: real files in tmp_path, one Prefect test harness per session."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"  # real data beside the checkout (a separate checkout: shared/)
SHARED_DIGESTS = SHARED / "digests"
HF_DAILY = SHARED / "data" / "hf-daily"
EXAMPLES = PROJECT / "examples" / "digests"
AS_OF = dt.date(2026, 11, 23)

# Prefect offline and quiet, its home inside the test session, set before any import of prefect.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

PROFILES = """
[[profiles]]
id = "efficient-llm"
title = "Efficient LLM inference"
description = "Making language models smaller and faster."
keywords = ["quantization", "pruning", "distillation", "kv cache"]

[[profiles]]
id = "multimodal"
title = "Vision-language models"
description = "Models that see and read."
keywords = ["vision-language", "multimodal", "visual question answering"]

[[profiles]]
id = "reasoning"
title = "Reasoning"
description = "Step-by-step reasoning."
keywords = ["reasoning", "chain-of-thought", "math"]
exclude = ["radiology"]
"""

READERS = """
[[readers]]
email = "ada@example.org"
name = "Ada Lovelace"
profiles = ["efficient-llm", "reasoning"]
max_papers = 5

[[readers]]
email = "grace@example.org"
name = "Grace Hopper"
profiles = ["multimodal"]
max_papers = 3
"""


def shared_data(path: Path, what: str) -> Path:
    """Real data from ../shared, or a skip that says what the test needs and where it comes from."""
    if not path.is_dir():
        pytest.skip(f"needs ../shared/{path.relative_to(SHARED)} ({what}): check out shared/ beside the project")
    return path


@pytest.fixture(scope="session")
def shared_digests() -> Path:
    """The real Daily Papers captures beside the project (../shared/digests)."""
    return shared_data(SHARED_DIGESTS, "real Daily Papers captures")


@pytest.fixture(scope="session")
def hf_daily_captures() -> Path:
    """83 weeks of the Daily Papers API, one real JSON file per day (../shared/data/hf-daily)."""
    return shared_data(HF_DAILY, "real Daily Papers API files")


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server for the whole session (started on first use)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quiet_env(home: Path) -> dict:
    """This environment without PREFECT_* settings, with a Prefect home of its own, offline and quiet."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return {**env, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_LOGGING_LEVEL": "WARNING"}


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on a free loopback port for the session; yields an environment
    whose PREFECT_API_URL points at it (for papercast subprocesses and Dask workers)."""
    home, port = tmp_path_factory.mktemp("prefect-server"), free_port()
    env = quiet_env(home)
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(api, server)
        yield {**env, "PREFECT_API_URL": api}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def wait_healthy(api: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prefect server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("prefect server did not become healthy")


def write_config(folder: Path, *, profiles: str = PROFILES, readers: str = READERS, extra: str = "") -> Path:
    """A config with inbox, archive and state inside `folder`; returns its path."""
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    path = folder / "papercast.toml"
    path.write_text(textwrap.dedent(f"""
        [paths]
        inbox = "inbox"
        archive = "archive"
        state = "state/papercast.sqlite"
        {extra}
        """) + profiles + readers, encoding="utf-8")
    return path


@pytest.fixture
def config_path(tmp_path) -> Path:
    return write_config(tmp_path)


def digest_text(date: str, papers: list[tuple[str, str]], header: bool = True) -> str:
    """A digest in the Daily Papers text format."""
    top = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
    return (top if header else "") + f"{date}\n\n" + body


SLOW_FIXTURES = {"prefect_harness", "prefect_server", "browser", "shared_digests_run"}


def pytest_collection_modifyitems(items):
    """Tests that start Prefect are in the slow lane whatever their file says."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
