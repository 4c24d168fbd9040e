"""Delivery throughput: 1,000 readers' newsletters sent to a local aiosmtpd server.

Run from the project root:  .venv/bin/python bench/delivery.py [--readers 1000] [--rate 0]

The real Daily Papers digests in ../shared/digests are ingested and classified into a fresh
store in a temporary folder; then, through the core (no Prefect), every reader's newsletter is
rendered and written (.html, .txt, .eml, ledger 'rendered') and sent over one SMTP connection
(ledger 'sent', deliveries, cursor: one SQLite transaction per message). Prints messages per
second for the send stage alone and for render+write+send.
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
from papercast.relevance.registry import make_scorer  # noqa: E402
from papercast.relevance.classify import classify_papers  # noqa: E402
from papercast.config import load_settings  # noqa: E402
from papercast.delivery.deliver import send_issues, write_newsletters  # noqa: E402
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox  # noqa: E402
from papercast.newsletter.plan import plan_newsletters  # noqa: E402
from papercast.newsletter.render import make_environment  # noqa: E402
from papercast.delivery.smtp import SmtpSender  # noqa: E402
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


def prepare(store: Store, settings) -> None:
    files, _ = read_inbox(settings)
    ingested = ingest_digests(store, parse_inputs(files, AS_OF).digests, store.start_run(AS_OF))
    store.save_assignments(classify_papers(ingested.new_papers, settings.profiles, make_scorer(settings),
                                           settings.classify.threshold))


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--readers", type=int, default=1000)
    args.add_argument("--rate", type=float, default=0.0, help="smtp.rate_limit, messages per second (0: none)")
    options = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp, mail_server() as (server, port):
        settings = load_settings(write_config(Path(tmp), options.readers, port, options.rate))
        with Store.open(settings.paths.state) as store:
            prepare(store, settings)
            start = time.perf_counter()
            plans, _ = plan_newsletters(store, settings, AS_OF)
            planned = time.perf_counter()
            written = write_newsletters(store, settings, make_environment(), plans,
                                        dt.datetime.now(dt.timezone.utc), 1, sending=True)
            rendered = time.perf_counter()
            with SmtpSender(settings.smtp, None) as sender:
                results = send_issues(store, sender, [w.issue_id for w in written])
            sent = time.perf_counter()
        report(options, plans, results, server, planned - start, rendered - planned, sent - rendered)


def report(options, plans, results, server, plan_s: float, write_s: float, send_s: float) -> None:
    ok = sum(1 for r in results if r.status == "sent")
    size = sum(len(item.data) for item in server.received) / max(len(server.received), 1)
    print(f"readers: {options.readers}; newsletters: {len(plans)}; sent: {ok}; received by the server: "
          f"{len(server.received)}; mean message size: {size / 1024:.1f} KiB; rate limit: {options.rate or 'none'}")
    print(f"plan: {plan_s:.2f} s; render+write (.html .txt .eml + ledger): {write_s:.2f} s "
          f"({len(plans) / write_s:.0f} newsletters/s)")
    print(f"send over one connection (+ ledger per message): {send_s:.2f} s = {ok / send_s:.0f} messages/s")
    print(f"render+write+send: {ok / (write_s + send_s):.0f} messages/s")


if __name__ == "__main__":
    main()
