"""The flow on a Dask cluster writes the same newsletters as under the default runner, and its
workers never touch the state.

The cluster is a real `dask scheduler` and two `dask worker` processes. The workers run in a
mount namespace of their own where the folder holding every state file of this test is an
empty read-only file system: a worker that tried to open (or create) the state would fail the
run. Workers report their task runs to the Prefect API named by PREFECT_API_URL, here a real
`prefect server start` on loopback (the distributed setup the docs describe).
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, PROFILES, free_port, write_config

pytestmark = pytest.mark.slow

READERS = "".join(f"""
[[readers]]
email = "reader{n}@example.org"
profiles = {json.dumps([["efficient-llm"], ["multimodal", "reasoning"], ["reasoning", "efficient-llm"]][n % 3])}
max_papers = {3 + n % 5}
""" for n in range(12))


def run_cli(folder: Path, env: dict, *options: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "papercast.cli", "run", "--config", str(folder / "papercast.toml"),
         "--as-of", AS_OF.isoformat(), "--json", "--batch-size", "4", *options],
        env=env, capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def newsletter_files(report: dict) -> dict[str, tuple]:
    """reader -> (papers, issue, html, text, email headers but Date and MIME boundary, email parts)."""
    files = {}
    for letter in report["newsletters"]:
        message = email.message_from_bytes(Path(letter["eml"]).read_bytes(), policy=email.policy.default)
        headers = [(key, str(value)) for key, value in message.items() if key not in ("Date", "Content-Type")]
        parts = [part.get_content() for part in message.iter_parts()]
        files[letter["reader"]] = (letter["papers"], letter["issue"], Path(letter["html"]).read_text(),
                                   Path(letter["text"]).read_text(), headers, parts)
    return files


def hidden_from(folder: Path) -> list[str] | None:
    """A command prefix that runs a process with `folder` replaced by an empty read-only file system,
    or None when this machine cannot make mount namespaces."""
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
              f'mount -t tmpfs -o ro,size=4k none "{folder}" && exec "$@"', "sh"]
    if not shutil.which("unshare"):
        return None
    probe = subprocess.run(prefix + ["true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.fixture(scope="module")
def state_root(tmp_path_factory) -> Path:
    """Where every state file of this module lives: the folder the workers never see."""
    return tmp_path_factory.mktemp("states")


@pytest.fixture(scope="module")
def cluster(prefect_server, state_root, tmp_path_factory):
    """A Dask scheduler and two workers that cannot see `state_root`; yields the runner spec."""
    hide = hidden_from(state_root)
    if hide is None:
        pytest.skip("this machine cannot make mount namespaces (unshare --mount)")
    port, home = free_port(), tmp_path_factory.mktemp("workers")
    dask = str(Path(sys.executable).with_name("dask")) if Path(sys.executable).with_name("dask").exists() \
        else shutil.which("dask")
    if dask is None:
        pytest.skip("the dask command (from the distributed package) is not installed")
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--dashboard-address", ":0"], env=prefect_server, cwd=home,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    processes += [subprocess.Popen(hide + [dask, "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                                           "--no-dashboard", "--local-directory", str(home)],
                                   env=prefect_server, cwd=home, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        wait_for_workers(f"127.0.0.1:{port}", 2)
        yield f"dask://127.0.0.1:{port}"
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def wait_for_workers(address: str, count: int, timeout: float = 120) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(count, timeout=timeout)


def project_folder(base: Path, state_root: Path, name: str) -> Path:
    """A config whose state lives under `state_root`, out of the workers' sight."""
    folder = base / name
    config = write_config(folder, profiles=PROFILES, readers=READERS, extra='[classify]\nbackend = "keywords"')
    state = state_root / name / "papercast.sqlite"
    config.write_text(config.read_text().replace('state = "state/papercast.sqlite"', f'state = "{state}"'))
    return folder


@pytest.fixture(scope="module")
def two_runs(cluster, prefect_server, shared_digests, state_root, tmp_path_factory):
    reports, base = {}, tmp_path_factory.mktemp("runs")
    for name, runner in (("default", "default"), ("dask", cluster)):
        folder = project_folder(base, state_root, name)
        for digest in sorted(shared_digests.glob("*.txt")):
            shutil.copy(digest, folder / "inbox" / digest.name)
        reports[name] = run_cli(folder, prefect_server, "--runner", runner)
    return reports


def test_the_workers_cannot_reach_the_state(cluster, state_root, tmp_path):
    """The check the setup rests on: a task that opens or creates a state file fails on these workers."""
    from distributed import Client

    (state_root / "probe").mkdir()
    (state_root / "probe" / "papercast.sqlite").write_bytes(b"")

    def probe(path: str, mode: str) -> str:
        try:
            open(path, mode).close()
        except OSError as exc:
            return type(exc).__name__
        return "opened"

    with Client(cluster.removeprefix("dask://")) as client:
        assert client.submit(probe, str(state_root / "probe" / "papercast.sqlite"), "rb").result() == "FileNotFoundError"
        assert client.submit(probe, str(state_root / "new.sqlite"), "wb").result() == "OSError"  # read-only
        assert client.submit(probe, str(tmp_path / "archive.txt"), "wb").result() == "opened"


def test_dask_runner_writes_the_same_newsletters_as_the_default_runner(two_runs):
    default, dask = two_runs["default"], two_runs["dask"]
    assert len(default["newsletters"]) >= 9, "the test needs several reader batches"
    assert [n["reader"] for n in dask["newsletters"]] == [n["reader"] for n in default["newsletters"]]
    assert newsletter_files(dask) == newsletter_files(default)
    assert dask["profiles"] == default["profiles"] and dask["new_papers"] == default["new_papers"] == 219


def test_dask_batches_ran_on_worker_processes_reporting_to_the_server(two_runs, prefect_server):
    """The reader batches of the Dask run were recorded by the shared server, from another process."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterId, TaskRunFilter,
                                                TaskRunFilterName)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    flow_runs = [report["prefect"]["flow_run_id"] for report in two_runs.values()]

    async def batch_runs():  # of these two runs only: other tests' runs report to the same server
        async with get_client() as client:
            return await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=flow_runs)),
                task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="write_batch")))

    with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
        runs = asyncio.run(batch_runs())
    assert len(runs) == 2 * 3, "12 readers in batches of 4, for each of the two runs"
    assert all(run.state.is_completed() for run in runs)
