"""What the user-path benchmarks share: a config as a user writes it, the `papercast` command run in its own
process and measured (wall time, peak memory, CPU), and a running `prefect server start`.

Nothing here imports papercast: the command under test is the installed `papercast` script of this
virtual environment, started as a user starts it, with the environment a user has (no PREFECT_*
settings, except PREFECT_API_URL when a running server is used).
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
PAPERCAST = Path(sys.executable).with_name("papercast")
SHIPPED_CONFIG = PROJECT / "config" / "papercast.toml"
SAMPLE_SECONDS = 0.2  # how often the process tree's memory is sampled


def shipped_profiles() -> list[dict]:
    """The 8 profiles of the shipped config."""
    return tomllib.loads(SHIPPED_CONFIG.read_text(encoding="utf-8"))["profiles"]


def toml_value(value) -> str:
    return json.dumps(value) if isinstance(value, (str, list)) else str(value)


def table(name: str, values: dict) -> str:
    return f"[[{name}]]\n" + "".join(f"{key} = {toml_value(v)}\n" for key, v in values.items())


def readers(count: int, profile_ids: list[str], seed: int = 7, max_papers: int = 20) -> list[dict]:
    """`count` readers, each of 1-3 profiles chosen at random, `max_papers` each."""
    rng = random.Random(seed)
    return [{"email": f"reader{n}@example.org", "name": f"Reader {n}",
             "profiles": sorted(rng.sample(profile_ids, rng.randint(1, 3))), "max_papers": max_papers}
            for n in range(count)]


def write_config(folder: Path, reader_count: int, seed: int = 7, max_papers: int = 20, extra: str = "") -> Path:
    """papercast.toml in `folder`: inbox/, archive/ and state/ inside it, the shipped profiles and
    `reader_count` readers."""
    profiles = shipped_profiles()
    people = readers(reader_count, [p["id"] for p in profiles], seed, max_papers)
    text = ('[paths]\ninbox = "inbox"\narchive = "archive"\nstate = "state/papercast.sqlite"\n\n'
            '[schedule]\ntimezone = "Europe/Berlin"\n\n' + extra + "\n"
            + "\n".join(table("profiles", p) for p in profiles) + "\n"
            + "\n".join(table("readers", r) for r in people))
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    path = folder / "papercast.toml"
    path.write_text(text, encoding="utf-8")
    return path


def user_env(api_url: str | None = None) -> dict:
    """The environment a user runs papercast in: no PREFECT_* settings (papercast picks its own), or only
    PREFECT_API_URL pointing at a running server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return {**env, "PREFECT_API_URL": api_url} if api_url else env


@dataclass
class Measured:
    """One command: wall time, peak memory (largest single process; the whole tree, sampled), CPU, load."""

    command: list[str]
    returncode: int
    wall: float
    max_rss_mb: float        # ru_maxrss from wait4: the largest process of the tree (the command or a child)
    tree_rss_mb: float       # the summed RSS of the command and all its children, sampled every 0.2 s
    cpu: float               # user + system seconds of the command and its waited-for children
    load_before: float
    load_after: float
    stdout: str = ""
    stderr: str = ""
    report: dict = field(default_factory=dict)

    @property
    def timings(self) -> dict:
        return self.report.get("timings", {})

    def line(self) -> str:
        return (f"wall {self.wall:6.1f} s, peak RSS {self.max_rss_mb:5.0f} MB (one process) / "
                f"{self.tree_rss_mb:5.0f} MB "
                f"(tree), CPU {self.cpu:6.1f} s, load {self.load_before:.2f} -> {self.load_after:.2f}")


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.done.wait(SAMPLE_SECONDS):
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)


def run_command(command: list[str], env: dict, cwd: Path | None = None, stop_after: float | None = None,
                stop_when=None) -> Measured:
    """Run `command`, measure it; `stop_when(stderr_so_far)` true (checked every 0.2 s) or `stop_after`
    seconds kills it with SIGKILL, as a crash would."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile(prefix="papercast-err-") as err:
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        memory = TreeMemory(process.pid)
        memory.start()
        killer = threading.Thread(target=watch, args=(process, Path(err.name), start, stop_after, stop_when),
                                  daemon=True)
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        memory.done.set()
        memory.join()
        out.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = Path(err.name).read_text(encoding="utf-8", errors="replace")
    measured = Measured(command, process.returncode, wall, usage.ru_maxrss / 1024, memory.peak / 2**20,
                        usage.ru_utime + usage.ru_stime, load_before, os.getloadavg()[0], stdout, stderr)
    if stdout.lstrip().startswith("{"):
        measured.report = json.loads(stdout)
    return measured


def watch(process: subprocess.Popen, stderr: Path, start: float, stop_after: float | None, stop_when) -> None:
    if stop_after is None and stop_when is None:
        return
    while process.returncode is None:
        time.sleep(0.2)
        elapsed = time.perf_counter() - start
        text = stderr.read_text(encoding="utf-8", errors="replace") if stop_when else ""
        if (stop_after is not None and elapsed >= stop_after) or (stop_when is not None and stop_when(text)):
            try:
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()
                process.kill()
            except (psutil.Error, OSError):
                pass
            return


def papercast_run(config: Path, as_of: str | None, env: dict, *options: str, **kill) -> Measured:
    """`papercast run --config F --json [--as-of D] [options]`, measured."""
    command = [str(PAPERCAST), "run", "--config", str(config), "--json", *(["--as-of", as_of] if as_of else []),
               *options]
    return run_command(command, env, **kill)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrefectServer:
    """`prefect server start` on a free loopback port, with a home of its own, for as long as the `with` lasts
    (as tests/conftest.py's prefect_server does)."""

    def __enter__(self) -> "PrefectServer":
        self.home = Path(tempfile.mkdtemp(prefix="papercast-bench-prefect-"))
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        env = {**user_env(), "PREFECT_HOME": str(self.home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "DO_NOT_TRACK": "1"}
        self.log = (self.home / "server.log").open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                         "--port", str(self.port)], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.wait_healthy()
        return self

    def wait_healthy(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"prefect server exited with {self.process.returncode} (log: {self.home}/server.log)")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("prefect server did not become healthy")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20 if path.exists() else 0.0


LEFT_FOR_EXIT: list[Path] = []


def remove_at_exit(folder: Path) -> None:
    """Delete `folder` when the bench ends, not between runs. This VM's ext4 has no journal, and such
    a file system will not reuse an inode freed in the last 60-300 s: each new file first scans past
    every recently deleted one. Deleting one run's 30,000 files just before the next run made that
    run's write stage 10-20 s slower (bench/RESULTS-scale.md, "The file system's share")."""
    LEFT_FOR_EXIT.append(folder)


@atexit.register
def remove_left_folders() -> None:
    for folder in LEFT_FOR_EXIT:
        shutil.rmtree(folder, ignore_errors=True)
