"""Delivery throughput: 1,000 readers' newsletters sent to a local aiosmtpd server.

Run from the project root:  .venv/bin/python bench/delivery.py [--readers 1000] [--rate 0]

The real Daily Papers digests in ../shared/digests are ingested and classified into a fresh
store in a temporary folder; then, through the core (no Prefect), every reader's newsletter is
planned, rendered and written (.html, .txt, .eml; ledger: written, email pending) and sent over
one SMTP connection (ledger: sent, deliveries, cursor: one SQLite transaction per message).
Prints messages per second for the send stage alone and for render+write+send.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

from mailserver import mail_server  # noqa: E402  (tests/mailserver.py: aiosmtpd on 127.0.0.1)
from papercast.config import load_settings  # noqa: E402
from papercast.delivery.email import EmailChannel  # noqa: E402
from papercast.delivery.send import send_batch  # noqa: E402
from papercast.delivery.write import record_written, write_issues  # noqa: E402
from papercast.newsletter.plan import plan_issues  # noqa: E402
from papercast.newsletter.selection import select_run  # noqa: E402
from papercast.relevance.backlog import classify_backlog  # noqa: E402
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox  # noqa: E402
from papercast.store import Store  # noqa: E402

DIGESTS = PROJECT.parent / "shared" / "digests"
AS_OF = dt.date(2026, 11, 23)
PROFILES = ["efficient-llm", "fine-tuning", "multimodal", "scaling", "reasoning", "alignment-safety",
            "ai-for-science", "architectures"]


def write_config(folder: Path, readers: int, port: int, rate: float) -> Path:
    """The project's own profiles, `readers` readers with two profiles each, SMTP on `port`."""
    source = (PROJECT / "config" / "papercast.toml").read_text(encoding="utf-8")
    profiles = source[source.index("[[profiles]]"):source.index("[[readers]]")]
    people = "".join(
        f'[[readers]]\nemail = "reader{n:05d}@example.org"\nname = "Reader {n}"\n'
        f'profiles = ["{PROFILES[n % 8]}", "{PROFILES[(n + 3) % 8]}"]\nmax_papers = 10\n\n'
        for n in range(readers))
    smtp = (f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom_addr = "papers@example.org"\n'
            f'rate_limit = {rate}\nbatch_size = {readers}\n'
            'unsubscribe_url = "https://example.org/unsubscribe?list={list}&reader={token}"\n')
    (folder / "inbox").mkdir()
    for digest in sorted(DIGESTS.glob("*.txt")):
        (folder / "inbox" / digest.name).write_bytes(digest.read_bytes())
    config = folder / "papercast.toml"
    config.write_text(f'[paths]\ninbox = "inbox"\narchive = "archive"\nstate = "state.sqlite"\n\n'
                      f"{profiles}{people}{smtp}", encoding="utf-8")
    return config


def prepare(store: Store, settings) -> int:
    files, _ = read_inbox(settings)
    run_id = store.runs.start_run(AS_OF)
    ingest_digests(store.papers, parse_inputs(files, AS_OF).digests, run_id)
    classify_backlog(store, settings, run_id)
    return run_id


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--readers", type=int, default=1000)
    args.add_argument("--rate", type=float, default=0.0, help="smtp.rate_limit, messages per second (0: none)")
    options = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp, mail_server() as (server, port):
        settings = load_settings(write_config(Path(tmp), options.readers, port, options.rate))
        with Store.open(settings.paths.state) as store:
            run_id = prepare(store, settings)
            start = time.perf_counter()
            plans = plan_issues(store, settings, select_run(settings), AS_OF, run_id,
                                dt.datetime.now(dt.timezone.utc)).to_write
            planned = time.perf_counter()
            written = write_issues(plans, settings, sending=True)
            record_written(store.ledger, written, run_id)
            rendered = time.perf_counter()
            results = send_batch(store, EmailChannel(settings), [w.issue_id for w in written], run_id)
            sent = time.perf_counter()
        report(options, plans, results, server, planned - start, rendered - planned, sent - rendered)


def report(options, plans, results, server, plan_s: float, write_s: float, send_s: float) -> None:
    ok = sum(1 for r in results if r.status == "sent")
    size = sum(len(item.data) for item in server.received) / max(len(server.received), 1)
    print(f"readers: {options.readers}; newsletters: {len(plans)}; sent: {ok}; received by the server: "
          f"{len(server.received)}; mean message size: {size / 1024:.1f} KiB; rate limit: {options.rate or 'none'}")
    print(f"plan (+ ledger): {plan_s:.2f} s; render+write (.html .txt .eml + ledger): {write_s:.2f} s "
          f"({len(plans) / write_s:.0f} newsletters/s)")
    print(f"send over one connection (+ ledger per message): {send_s:.2f} s = {ok / send_s:.0f} messages/s")
    print(f"render+write+send: {ok / (write_s + send_s):.0f} messages/s")


if __name__ == "__main__":
    main()
