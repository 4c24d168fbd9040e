"""Helpers for the reader app's tests and bench/web.py: a site with real newsletters and a published
archive, raw HTTP requests (no client-side path clean-up), and a dump of the state to compare."""

from __future__ import annotations

import email
import email.policy
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from conftest import AS_OF, write_config
from papercast.config import load_settings
from papercast.settings import Settings
from papercast.newsletter.render import make_environment
from papercast.site.publish import publish_archive
from papercast.sources import parse_input
from papercast.store import Store
from papercast.delivery.write import record_written, write_issues
from papercast.report import RunOutcome, assemble_report, save_report
from stages import classify, plan

SECRET = "web-test-secret-0123456789abcdef"
OLD_SECRET = "web-test-old-secret-0123456789ab"
FAST = '[classify]\nbackend = "keywords"\nthreshold = 0.3\n'
READERS = "".join(f'''
[[readers]]
email = "{name}@example.org"
name = "{name.title()} Example"
profiles = ["efficient-llm", "multimodal", "reasoning"]
max_papers = 6
''' for name in ("ada", "grace", "alan"))


WITH_A_FEED = READERS.replace('name = "Alan Example"\n', 'name = "Alan Example"\nchannels = ["email", "feed"]\n')


@dataclass(frozen=True)
class Site:
    settings: Settings
    emls: dict[str, Path]  # reader -> the .eml written for them


def site_config(folder: Path, base_url: str, extra: str = "", readers: str = READERS) -> Path:
    return write_config(folder, readers=readers, extra=f'[site]\nbase_url = "{base_url}"\n' + FAST + extra)


def build_site(folder: Path, base_url: str, digest: Path, extra: str = "", sending: bool = False,
               readers: str = READERS) -> Site:
    """A real digest ingested and classified, every reader's newsletter written, the archive published,
    the run report saved: what a run leaves, without Prefect."""
    settings = load_settings(site_config(folder, base_url, extra, readers))
    with Store.open(settings.paths.state) as store:
        run = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(parse_input(digest.read_bytes(), digest.name, AS_OF), run)
        classify(store, settings, run)
        planning = plan(store, settings, AS_OF, run)
        written = write_issues(planning.to_write, settings, sending)
        record_written(store.ledger, written, run)
        publish_archive(store.classification, settings, make_environment())
        outcome = RunOutcome(planning=planning, written=written)
        save_report(assemble_report(store, settings, run, AS_OF, sending, outcome, "keywords"), settings.paths.archive)
    return Site(settings, {w.reader: w.files[0] for w in written if w.files})


def unsubscribe_url(eml: Path) -> str:
    """The https/http URL of a message's List-Unsubscribe header."""
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return next(part.strip(" <>") for part in message["List-Unsubscribe"].split(",") if "://" in part)


def raw_request(base_url: str, target: str, method: str = "GET", body: bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Send `target` exactly as given (no normalization of `..` or escapes); return (status, body)."""
    host, port = base_url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    head = {"Host": f"{host}:{port}", "Connection": "close", "Content-Length": str(len(body)), **(headers or {})}
    request = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode("latin-1") + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def state_dump(settings: Settings) -> list[str]:
    """Every row of the state, as SQL: equal dumps mean nothing changed."""
    with sqlite3.connect(settings.paths.state) as db:
        return list(db.iterdump())


def subscriptions(settings: Settings) -> dict[str, str]:
    with Store.of(settings) as store:
        return {email: s.status for email, s in store.subscriptions.subscriptions().items()}
