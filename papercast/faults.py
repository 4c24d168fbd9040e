"""Failpoints: named places where a test can make a run die, to prove every stage resumes.

Inert unless the environment says otherwise. `PAPERCAST_FAILPOINT=<point>[:kill|:raise][@N]`
makes the N-th passage (default the first) through `<point>` kill this process with SIGKILL
(as an out-of-memory killer or a reboot would) or raise `InjectedFault`. The points, in run order:

    ingest.digest      after each digest was stored          ingest.done     after the last
    classify.chunk     after each chunk of papers classified  classify.done   after the last
    plan.done          after the run's issues were planned
    write.worker       in a writer process, after it wrote a chunk, before handing it back
    write.chunk        after each chunk of issues was recorded as written     write.done
    send.accepted      after the SMTP server accepted a message, before it is recorded
    send.recorded      after a sent message was recorded
    publish.page       after each archive page was written
"""

from __future__ import annotations

import os
import signal
from collections import Counter

from papercast.errors import PapercastError

VARIABLE = "PAPERCAST_FAILPOINT"
_passages: Counter[str] = Counter()


class InjectedFault(PapercastError):
    default_hint = "a failpoint set in PAPERCAST_FAILPOINT (tests only)"


def checkpoint(point: str) -> None:
    """Do what PAPERCAST_FAILPOINT asks at `point`, if it names it; else nothing."""
    spec = os.environ.get(VARIABLE)
    if not spec or not spec.startswith(point):
        return
    name, action, nth = parse(spec)
    if name != point:
        return
    _passages[point] += 1
    if _passages[point] != nth:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise InjectedFault(f"injected failure at {point}")


def parse(spec: str) -> tuple[str, str, int]:
    """`classify.chunk:kill@2` -> ("classify.chunk", "kill", 2)."""
    head, _, nth = spec.partition("@")
    name, _, action = head.partition(":")
    return name, action or "kill", int(nth) if nth.isdigit() else 1
