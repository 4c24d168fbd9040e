"""Progress lines on stderr for a long classify stage, e.g. `classify: 3,100 of 6,104 papers (46/s, about 65 s left)`.

A weekly run classifies its new papers in a second or two and says nothing about it. A long backlog (a
new user's first run over a year of daily files classifies thousands of papers for minutes) prints a
line once the stage has run `QUIET_FOR` seconds, then at most one line every `EVERY` seconds, and a last
line when it is done. The lines go to stderr, never to stdout, where `--json` prints the report.
"""

from __future__ import annotations

import sys
from typing import TextIO

from papercast.relevance.backlog import ClassifyProgress

QUIET_FOR = 2.0  # seconds: a stage that ends sooner prints nothing
EVERY = 5.0  # seconds between two lines


def progress_line(progress: ClassifyProgress) -> str:
    """`classify: 3,100 of 6,104 papers (46/s, about 65 s left)`, or `... (46/s, done in 133 s)` at the end."""
    rate = progress.done / progress.elapsed if progress.elapsed > 0 else 0.0
    if progress.done >= progress.total:
        tail = f"done in {progress.elapsed:.0f} s"
    else:
        tail = f"about {time_left((progress.total - progress.done) / rate) if rate else 'unknown'} left"
    return f"classify: {progress.done:,} of {progress.total:,} papers ({rate:.0f}/s, {tail})"


def time_left(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


class ProgressLines:
    """A classify_backlog `on_progress` callback that writes the lines to `stream` (default: sys.stderr)."""

    def __init__(self, stream: TextIO | None = None, quiet_for: float = QUIET_FOR, every: float = EVERY):
        self.stream, self.quiet_for, self.every = stream, quiet_for, every
        self.last: float | None = None  # when the last line was written (stage seconds)

    def __call__(self, progress: ClassifyProgress) -> None:
        if self.due(progress):
            self.last = progress.elapsed
            stream = self.stream or sys.stderr  # looked up now: whatever stderr is when the line is written
            print(progress_line(progress), file=stream, flush=True)

    def due(self, progress: ClassifyProgress) -> bool:
        if progress.done >= progress.total:
            return self.last is not None  # the last line, if the stage said anything before
        if progress.elapsed < self.quiet_for:
            return False
        return self.last is None or progress.elapsed - self.last >= self.every
