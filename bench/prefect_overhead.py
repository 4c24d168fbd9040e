"""What Prefect costs a papercast run, and what papercast adds on top of Prefect itself.

    .venv/bin/python bench/prefect_overhead.py [--repeat 3]

Same machine, same invocation: `papercast run` on the shipped example (a folder made by
`papercast init`), against a trivial Prefect flow with the same number of task runs (each task
returns at once), each as a fresh subprocess, in three settings:

- temporary server, new Prefect database (a first run: the server migrates its database);
- temporary server, existing database (every later run);
- a running `prefect server start` named by PREFECT_API_URL (the long-running path).

papercast starts the temporary server itself, before `import prefect`, and waits until the API
holds every task run before stopping it; the trivial flow uses Prefect's own start. Medians of
--repeat runs are printed, and the overhead papercast adds: its run minus the trivial flow's,
and its own stages (the report's timings) within that.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PAPERCAST = str(Path(sys.executable).with_name("papercast"))
TRIVIAL = """
import sys
from prefect import flow, task

@task
def step(n: int) -> int:
    return n

@flow(name="trivial")
def trivial(count: int) -> int:
    return sum(step(n) for n in range(count))

trivial(int(sys.argv[1]))
"""


def quiet_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180", "PREFECT_LOGGING_LEVEL": "WARNING"}


def timed(command: list[str], env: dict, cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return time.perf_counter() - start, result.stdout


def papercast_run(folder: Path, env: dict) -> tuple[float, dict]:
    """One run on a fresh copy of the example (so every run has the same work to do)."""
    work = Path(tempfile.mkdtemp(prefix="pc-overhead-"))
    subprocess.run([PAPERCAST, "init", str(work / "w")], check=True, capture_output=True)
    seconds, out = timed([PAPERCAST, "run", "--config", str(work / "w" / "papercast.toml"), "--json"], env, folder)
    shutil.rmtree(work)
    return seconds, json.loads(out)


def trivial_run(folder: Path, env: dict, tasks: int) -> float:
    script = folder / "trivial.py"
    script.write_text(TRIVIAL)
    return timed([sys.executable, str(script), str(tasks)], env, folder)[0]


def count_task_runs(flow_run_id: str, env: dict) -> int:
    """How many task runs the API holds for a flow run (against a running server)."""
    code = ("import sys\nfrom prefect.client.orchestration import get_client\n"
            "from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId\n"
            "with get_client(sync_client=True) as c:\n"
            "    print(len(c.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[sys.argv[1]])),"
            " limit=200)))")
    return int(subprocess.run([sys.executable, "-c", code, flow_run_id], env=env, capture_output=True, text=True,
                              check=True).stdout.strip())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                               str(port)], env=quiet_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"
    for _ in range(1800):
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=1):
                return server, api
        except OSError:
            time.sleep(0.1)
    raise SystemExit("prefect server start did not answer")


def measure(setting: str, folder: Path, repeat: int) -> dict:
    """Medians of papercast and the trivial flow in one setting."""
    papercast, trivial, one_task, stages, tasks = [], [], [], [], 0
    server, api = running_server(folder / "server-home") if setting == "running server" else (None, "")

    def env_for(name: str, n: int) -> dict:
        home = folder / f"{name}-{setting[:3]}-{n if setting.startswith('new') else 0}"
        return quiet_env(home) if server is None else {**quiet_env(home), "PREFECT_API_URL": api}

    try:
        if setting == "existing database":  # a first run creates the databases; it is not counted
            papercast_run(folder, env_for("papercast", 0))
            trivial_run(folder, env_for("trivial", 0), 1)
        for n in range(repeat):
            seconds, report = papercast_run(folder, env_for("papercast", n))
            tasks = report["prefect"].get("task_runs") or count_task_runs(report["prefect"]["flow_run_id"],
                                                                         env_for("papercast", n))
            papercast.append(seconds)
            stages.append(sum(v for k, v in report["timings"].items() if k != "total_with_prefect"))
            trivial.append(trivial_run(folder, env_for("trivial", n), tasks))
            one_task.append(trivial_run(folder, env_for("trivial", n), 1))
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    return {"setting": setting, "tasks": tasks, "papercast": statistics.median(papercast),
            "trivial": statistics.median(trivial), "one_task": statistics.median(one_task),
            "stages": statistics.median(stages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pc-overhead-"))
    try:
        rows = [measure(setting, folder, args.repeat) for setting in
                ("new database", "existing database", "running server")]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nmedians of {args.repeat} runs each, shipped example (14 papers, 4 readers), 2 cores\n")
    print("| setting | papercast run | trivial flow, same task runs | papercast's overhead | its own stages |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['setting']} | {row['papercast']:.1f} s | {row['trivial']:.1f} s ({row['tasks']} task runs)"
              f" | {row['papercast'] - row['trivial']:+.1f} s | {row['stages']:.2f} s |")
    for row in rows:
        per_task = (row["trivial"] - row["one_task"]) / max(row["tasks"] - 1, 1)
        print(f"- {row['setting']}: a trivial flow of 1 task takes {row['one_task']:.1f} s; "
              f"each further task run adds {1000 * per_task:.0f} ms")


if __name__ == "__main__":
    main()
