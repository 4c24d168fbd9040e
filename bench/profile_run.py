"""Where the time of a `papercast run` goes: the user's command (bench/scale.py's workload) under py-spy,
its samples summed by what each thread was doing.

    .venv/bin/python bench/profile_run.py --readers 10000                    # the CLI's default runner
    .venv/bin/python bench/profile_run.py --readers 10000 --runner processes
    .venv/bin/python bench/profile_run.py --summarize /tmp/run.raw           # an earlier recording again

Needs py-spy in the virtual environment (`.venv/bin/python -m pip install py-spy`). The command runs
against a running `prefect server start` (started here), so the temporary server's process stays out of
the samples (`--prefect temporary` keeps it in). py-spy samples every thread of the command and of its
children (`--subprocesses`) at `--rate` Hz, idle ones included; each sample is one thread's stack. A
sample goes to the first category (the most specific, see CATEGORIES) any of its frames matches, read
from the innermost frame outwards; the figures are thread-seconds (samples / rate), so threads that
work at once add up, and a thread waiting (on a lock, a future, a socket) counts as waiting.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from arxiv_feed import DEFAULT_WEEK, monday_after, write_week  # noqa: E402
from userpath import PAPERCAST, PrefectServer, load, user_env, write_config  # noqa: E402

PY_SPY = Path(sys.executable).with_name("py-spy")

def frame(functions: str, file: str = "") -> str:
    """A pattern for frames "Class.function (path:line)" of these functions (a | list), in a file matching `file`."""
    return rf"(^|\.)({functions}) \(" + (rf"[^)]*{file}" if file else "")


# Where a sample is: the innermost frame that names a stage (stages nest: the CLI holds the flow's stages).
STAGES = [
    ("ingest", frame("ingest_week")),
    ("classify", frame("classify_backlog")),
    ("plan", frame("plan_issues")),
    ("write, flow thread (submits, records)", frame("write_in_batches")),
    ("write, worker (render + files)", frame("write_batch|write_issues")),
    ("write, fsync threads", frame("sync_file")),
    ("publish", frame("publish_archive")),
    ("report (assemble, save, artifact)", frame("assemble_run_report|publish_run_summary")),
    ("after the flow: flush, wait for records", frame("wait_for_task_runs|flush_to_api")),
    ("preflight", frame("preflight|prepare_run")),
    ("CLI, outside the flow (imports, JSON)", frame("main|command_run", "papercast/cli")),
]
# What a sample is doing: the innermost frame that matches one of these.
DETAILS = [
    ("onnx model (session.run)", frame("run", "onnxruntime")),
    ("tokenizer", frame("encode_batch")),
    ("embedding glue (masks, pooling)", frame("_embed_batch|_batched|pooled|normalize", "embed")),
    ("model load", frame("__init__", "relevance/embed") + "|" + frame("hybrid_scorer|make_scorer")),
    ("vector cache (SQLite)", frame("cached_vectors|save_vectors")),
    ("keyword mentions", frame("__init__|find_word|find_text|counts|evidence_at", "relevance/terms")),
    ("description words (lexical)", frame("lexical_signals|words|shared_words", "lexical")
     + "|" + frame("__init__", "relevance/lexical")),
    ("reasons", frame("why|facts", "hybrid") + "|" + frame("reason", "explain")),
    ("signals (numpy)", frame("compute|keyword_signals|rival_signals|best_match", "signals") + "|" + frame("logits")),
    ("storing assignments (SQLite)", frame("save_classified")),
    ("reading papers (SQLite)", frame("papers_after")),
    ("parse feed", frame("parse_inputs|parse_input")),
    ("store papers", frame("ingest_digest")),
    ("voters", frame("voter_picks")),
    ("candidates", frame("assigned_since") + "|" + frame("__init__|best", "candidates")),
    ("per-reader queries", frame("reader_cursor|delivered|unfinished_issues|unsubscribed|reader_cursors")),
    ("record planned (SQLite)", frame("record_planned")),
    ("materialize plans", frame("materialize")),
    ("render HTML + text (Jinja)", frame("render_newsletter|render_note")),
    ("CSS inlining (per message)", frame("inline_css")),
    ("quoted-printable body", frame("body_encode|encode_text", "quoprimime|message")),
    ("compose .eml (other)", frame("compose", "message")),
    ("fsync", frame("sync_file|sync_all")),
    ("temporary files (mkstemp, write)", frame("write_temporary|_mkstemp_inner|mkstemp")),
    ("rename", frame("replace") + r"[^)]*(os|files)"),
    ("folders", frame("private_folder|mkdir")),
    ("links", frame("issue_links|unsubscribe_links")),
    ("ledger (SQLite)", frame("record_written|newsletter_entries|run_deliveries")),
    ("issue sections from JSON", frame("sections_from_json|issue_record")),
    ("JSON", frame("dumps|encode|iterencode", "json")),
    ("publish pages and feeds", frame("publish_archive")),
    ("Prefect task engine", frame("[a-z_]+", "prefect/(task_engine|task_runners|futures)")),
    ("Prefect flow engine", frame("[a-z_]+", "prefect/flow_engine")),
    ("Prefect events, logs, API client", frame("[a-z_]+", "prefect/(events|logging|client)")),
    ("imports", frame("_find_and_load")),
    ("waiting (lock, future, socket)", frame("wait|_wait_for_tstate_lock|select|acquire|result|sleep")),
]
def record(args: argparse.Namespace, raw: Path) -> float:
    """The workload's `papercast run` under py-spy; returns its wall time."""
    folder = Path(tempfile.mkdtemp(prefix="papercast-profile-"))
    try:
        config = write_config(folder, args.readers)
        write_week(folder / "inbox", args.week)
        command = [str(PAPERCAST), "run", "--config", str(config), "--json", "--as-of",
                   monday_after(args.week).isoformat(), *(["--runner", args.runner] if args.runner else [])]
        spy = [str(PY_SPY), "record", "--rate", str(args.rate), "--idle", "--subprocesses", "--threads",
               "--format", "raw", "--output", str(raw), "--"]
        with (PrefectServer() if args.prefect == "server" else contextlib.nullcontext()) as server:
            env = user_env(server.api_url if server else None)
            print(f"recording {' '.join(command[1:])} (load {load()})", flush=True)
            started = time.perf_counter()
            result = subprocess.run(spy + command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True)
            wall = time.perf_counter() - started
        if result.returncode:
            raise SystemExit(f"py-spy / papercast failed:\n{result.stderr[-3000:]}")
        return wall
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_raw(raw: Path) -> list[tuple[list[str], int]]:
    """py-spy's collapsed stacks: (frames outermost first, samples)."""
    stacks = []
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        text, _, count = line.rpartition(" ")
        if text and count.isdigit():
            stacks.append((text.split(";"), int(count)))
    return stacks


def first_match(frames, patterns: list[tuple[str, re.Pattern]]) -> str | None:
    for text in frames:
        for name, pattern in patterns:
            if pattern.search(text):
                return name
    return None


def summarize(raw: Path, rate: int, wall: float | None) -> None:
    """Thread-seconds per stage (innermost stage frame) and, within each, per detail (innermost match)."""
    stages = [(name, re.compile(pattern)) for name, pattern in STAGES]
    details = [(name, re.compile(pattern)) for name, pattern in DETAILS]
    totals: Counter = Counter()
    within: dict[str, Counter] = {}
    for frames, count in read_raw(raw):
        body = [f for f in frames if not f.startswith(("process ", "thread "))]
        stage = first_match(reversed(body), stages) or "Prefect's own threads, and other"
        detail = first_match(reversed(body), details) or (body[-1].split(" (")[0] if body else "?")
        totals[stage] += count
        within.setdefault(stage, Counter())[detail] += count
    print(f"\nthread-seconds ({rate} Hz samples of every thread, idle ones included)"
          + (f"; the command's wall time {wall:.1f} s" if wall else ""))
    for stage, _ in STAGES + [("Prefect's own threads, and other", None)]:
        if not totals[stage]:
            continue
        print(f"  {totals[stage] / rate:7.1f} s  {stage}")
        if stage.startswith("Prefect's own"):
            continue
        for detail, n in within[stage].most_common(8):
            if n / rate >= 0.1:
                print(f"      {n / rate:7.1f} s  {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--week", default=DEFAULT_WEEK)
    parser.add_argument("--runner", help="a --runner value to pass (default: none, the CLI's default)")
    parser.add_argument("--prefect", choices=["server", "temporary"], default="server")
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--raw", type=Path, help="keep the recording here (default: a temporary file)")
    parser.add_argument("--summarize", type=Path, help="summarize this recording; record nothing")
    args = parser.parse_args()
    if args.summarize:
        return summarize(args.summarize, args.rate, None)
    if not PY_SPY.exists():
        raise SystemExit(f"py-spy not found at {PY_SPY}: .venv/bin/python -m pip install py-spy")
    raw = args.raw or Path(tempfile.mkstemp(prefix="papercast-profile-", suffix=".raw")[1])
    wall = record(args, raw)
    print(f"recorded to {raw}")
    summarize(raw, args.rate, wall)


if __name__ == "__main__":
    main()
