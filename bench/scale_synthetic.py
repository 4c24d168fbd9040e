"""Scale benchmark: a synthetic week at realistic sizes, timed per stage, core alone and through the flow.

    .venv/bin/python bench/scale.py                       # the default matrix (several minutes)
    .venv/bin/python bench/scale.py --readers 10000 --profiles 50 --modes core
    .venv/bin/python bench/scale.py --modes real          # the three shared digests, end to end

Workload: 100,000 papers already seen, a digest of 2,000 new papers, 8-50
profiles, 100-10,000 readers (1-3 profiles each, 10 papers max). Each case runs
in its own process so its peak memory (max RSS) is its own. Targets: 10,000
readers x 2,000 papers <= 30 s and <= 1 GB on 2 cores; cost linear in readers;
the real week end to end (Prefect's start counted) < 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

AS_OF = dt.date(2026, 11, 23)
VOCAB = ("model data training language vision learning network graph agent reward policy benchmark dataset "
         "robust efficient scalable sparse dense token attention memory retrieval generation evaluation").split()
TOPICS = ("quantization pruning distillation reasoning planning multimodal vision-language protein molecule "
          "alignment safety jailbreak lora adapter mamba diffusion retrieval agents robotics speech music "
          "compression scaling pretraining hallucination calibration math code translation summarization "
          "segmentation detection tracking video audio graph recommendation federated privacy fairness "
          "interpretability causal bayesian kernel optimization sparsity moe tokenizer").split()
TARGET_SECONDS, TARGET_MB, TARGET_REAL_SECONDS, TARGET_FLOW_SECONDS = 30.0, 1024.0, 10.0, 20.0


def synthetic_config(folder: Path, profiles: int, readers: int, backend: str, rng: random.Random) -> Path:
    lines = ['[paths]\ninbox = "inbox"\narchive = "archive"\nstate = "state/papercast.sqlite"\n',
             f'[classify]\nbackend = "{backend}"\n']
    for n in range(profiles):
        words = rng.sample(TOPICS, 3)
        lines.append(f'[[profiles]]\nid = "p{n:02d}"\ntitle = "Profile {n}: {words[0]}"\n'
                     f'keywords = {json.dumps(words)}\n')
    for n in range(readers):
        chosen = sorted({f"p{rng.randrange(profiles):02d}" for _ in range(rng.randint(1, 3))})
        lines.append(f'[[readers]]\nemail = "reader{n}@example.org"\nprofiles = {json.dumps(chosen)}\n'
                     f"max_papers = 10\n")
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    path = folder / "papercast.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def synthetic_paper(n: int, rng: random.Random) -> tuple[str, str]:
    title = f"{rng.choice(TOPICS).capitalize()} {' '.join(rng.sample(VOCAB, 4))} {n}"
    words = rng.sample(VOCAB, 12) + rng.sample(TOPICS, 2)
    return title, " ".join(words * 6) + "."


def seen_digest(count: int, rng: random.Random):
    from papercast.models import Digest, Paper

    papers = tuple(Paper(*synthetic_paper(n, rng)) for n in range(count))
    return Digest("bench:seen", AS_OF - dt.timedelta(days=30), papers, content_hash="seen-papers")


def new_digest_text(count: int, seen: int, rng: random.Random) -> str:
    from conftest import digest_text

    return digest_text("Nov 20", [synthetic_paper(seen + n, rng) for n in range(count)])


def prepare(folder: Path, args: argparse.Namespace, seed: int = 7) -> Path:
    """Config, a state holding `seen` papers (copied from args.seen_state), a digest of `new` papers."""
    from papercast.config import load_settings

    rng = random.Random(seed)
    config = synthetic_config(folder, args.profiles, args.readers, args.backend, rng)
    state = load_settings(config).paths.state
    state.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(args.seen_state, state)
    (folder / "inbox" / "week.txt").write_text(new_digest_text(args.new, args.seen, rng), encoding="utf-8")
    return config


def build_seen_state(path: Path, seen: int, seed: int = 11) -> Path:
    """A state file that has already seen (and classified) `seen` papers, built once, copied into every case."""
    from papercast.store import Store

    with Store.open(path) as store:
        run_id = store.runs.start_run(AS_OF - dt.timedelta(days=30))
        store.papers.ingest_digest(seen_digest(seen, random.Random(seed)), run_id)
        with store.database.transaction() as db:  # classified long ago by profiles of the same names
            db.executemany("INSERT INTO profile_progress VALUES (?, ?)",
                           [(f"p{n:02d}", store.papers.max_paper_seq()) for n in range(100)])
    return path


def run_core(config: Path) -> dict[str, float]:
    """The weekly run through the core functions only, stage by stage (what the flow wires)."""
    from papercast.config import load_settings
    from papercast.delivery.write import record_written, write_issues
    from papercast.newsletter.plan import plan_issues
    from papercast.newsletter.render import make_environment
    from papercast.newsletter.selection import select_run
    from papercast.relevance.backlog import classify_backlog
    from papercast.site.publish import publish_archive
    from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
    from papercast.store import Store

    times, clock = {}, time.perf_counter()

    def lap(stage):
        nonlocal clock
        now = time.perf_counter()
        times[stage] = round(now - clock, 3)
        clock = now

    settings = load_settings(config)
    with Store.open(settings.paths.state) as store:
        run_id = store.runs.start_run(AS_OF)
        files, _ = read_inbox(settings)
        parsed = parse_inputs(files, AS_OF)
        lap("read+parse")
        new = ingest_digests(store.papers, parsed.digests, run_id).new_papers
        lap("ingest")
        classify_backlog(store, settings, run_id)
        lap("classify")
        planning = plan_issues(store, settings, select_run(settings), AS_OF, run_id, dt.datetime.now(dt.timezone.utc))
        lap("plan")
        env = make_environment()
        for start in range(0, len(planning.to_write), 1000):
            record_written(store.ledger, write_issues(planning.to_write[start:start + 1000], settings, False, env), run_id)
        lap("render+write")
        publish_archive(store.classification, settings, env)
        lap("publish")
    times["newsletters"] = len(planning.to_write)
    times["new_papers"] = len(new)
    return times


def run_flow(config: Path, runner: str) -> dict[str, float]:
    """The weekly run through Prefect (temporary server started and counted)."""
    from papercast.cli import prepare_prefect
    from papercast.config import load_settings

    prepare_prefect(load_settings(config))
    start = time.perf_counter()
    from papercast.flows.runners import run_weekly

    report = run_weekly(str(config), AS_OF, runner=runner)
    times = dict(report["timings"])
    times["total_with_prefect"] = round(time.perf_counter() - start, 3)
    times["newsletters"] = len(report["newsletters"])
    times["new_papers"] = report["new_papers"]
    return times


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> None:
    """One case in this process: prepare, run, print a JSON line."""
    folder = Path(tempfile.mkdtemp(prefix="papercast-bench-"))
    try:
        if args.mode == "real":
            config = real_week(folder, args.backend)
        else:
            config = prepare(folder, args)
        prepared_mb = peak_mb()
        run = {"core": run_core}.get(args.mode)
        cpu = time.process_time()
        times = run(config) if run else run_flow(config, args.runner)
        print(json.dumps({"times": times, "peak_mb": round(peak_mb(), 1), "prepare_peak_mb": round(prepared_mb, 1),
                          "cpu": round(time.process_time() - cpu, 1), "load": round(os.getloadavg()[0], 1)}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def real_week(folder: Path, backend: str) -> Path:
    from conftest import write_config

    config = write_config(folder, extra=f'[classify]\nbackend = "{backend}"')
    for digest in sorted((PROJECT.parent / "shared" / "digests").glob("*.txt")):
        shutil.copy(digest, folder / "inbox" / digest.name)
    return config


def run_case(args: argparse.Namespace, mode: str, profiles: int, readers: int) -> dict:
    command = [sys.executable, __file__, "--child", "--mode", mode, "--profiles", str(profiles),
               "--readers", str(readers), "--seen", str(args.seen), "--new", str(args.new),
               "--runner", args.runner, "--backend", args.backend, "--seen-state", str(args.seen_state)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT)
    if result.returncode != 0:
        raise SystemExit(f"case failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="core")
    parser.add_argument("--modes", default="core,flow,real", help="comma list of core, flow, real")
    parser.add_argument("--readers", default="100,1000,10000")
    parser.add_argument("--profiles", default="8,50")
    parser.add_argument("--seen", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=2_000)
    parser.add_argument("--runner", default="default", help="default, processes, dask or dask://HOST:PORT (flow mode)")
    parser.add_argument("--backend", default="keywords", choices=["keywords", "hybrid"],
                        help="classifier of the synthetic config (hybrid embeds every new paper)")
    parser.add_argument("--seen-state", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.readers, args.profiles = int(args.readers), int(args.profiles)
        return child(args)
    print_matrix(args)


def print_matrix(args: argparse.Namespace) -> None:
    modes = args.modes.split(",")
    folder = Path(tempfile.mkdtemp(prefix="papercast-bench-seen-"))
    started = time.perf_counter()
    args.seen_state = build_seen_state(folder / "seen.sqlite", args.seen)
    print(f"built a state with {args.seen} seen papers in {time.perf_counter() - started:.1f} s; "
          f"classifier: {args.backend}; runner: {args.runner}")
    try:
        run_matrix(args, modes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_matrix(args: argparse.Namespace, modes: list[str]) -> None:
    for mode in [m for m in modes if m in ("core", "flow")]:
        for profiles in map(int, args.profiles.split(",")):
            rows = [(readers, run_case(args, mode, profiles, readers))
                    for readers in map(int, args.readers.split(","))]
            print_rows(f"{mode}, {profiles} profiles, {args.new} new / {args.seen} seen papers", rows)
    if "real" in modes:
        real = run_case(args, "real", 0, 0)
        total = real["times"]["total_with_prefect"]
        print(f"\nreal week (3 shared digests, {args.backend}) end to end with Prefect's start: {total:.1f} s "
              f"(target < {TARGET_REAL_SECONDS:.0f} s: {verdict(total, TARGET_REAL_SECONDS)}); peak {real['peak_mb']:.0f} MB")
        print("  stages: " + ", ".join(f"{k} {v}" for k, v in real["times"].items()))


def print_rows(title: str, rows: list[tuple[int, dict]]) -> None:
    print(f"\n== {title}")
    for readers, result in rows:
        times = result["times"]
        stages = {k: v for k, v in times.items() if k not in ("newsletters", "new_papers")}
        total = stages.get("total_with_prefect", sum(stages.values()))
        dominant = max((k for k in stages if k != "total_with_prefect"), key=stages.get)
        print(f"{readers:>6} readers: {total:6.1f} s, peak {result['peak_mb']:6.0f} MB "
              f"({times['newsletters']} newsletters; {1000 * total / max(readers, 1):.2f} ms/reader; "
              f"dominant: {dominant} {stages[dominant]:.1f} s; this process's CPU {result['cpu']} s; "
              f"load average {result['load']})")
        if "plan" in stages and "write" in stages:
            print(f"        planned and written through the flow: {stages['plan'] + stages['write']:.1f} s "
                  f"(target <= {TARGET_FLOW_SECONDS:.0f} s: {verdict(stages['plan'] + stages['write'], TARGET_FLOW_SECONDS)})")
        print("        " + ", ".join(f"{k} {v}" for k, v in stages.items()))
        if readers == 10_000:
            print(f"        vs targets: time {verdict(total, TARGET_SECONDS)}, memory {verdict(result['peak_mb'], TARGET_MB)}")


def verdict(value: float, target: float) -> str:
    return f"{value / target:.0%} of target ({'met' if value <= target else 'MISSED'})"


if __name__ == "__main__":
    main()
