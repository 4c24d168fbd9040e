"""Input limits: one giant or runaway input must not exhaust memory or flood the store.

Applied by `parse_input` to every format: the bytes are capped before parsing, then the
papers per digest and each abstract's length. Each cap is a warning, never an error.
A capped digest gets a content hash that names the limits, so after raising them the
same file dropped again is ingested again and the papers cut before are not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from papercast.models import Digest, Paper, Problem

MB = 1024 * 1024
MAX_WARNINGS = 20  # per input; the rest are counted in one line


@dataclass(frozen=True)
class InputLimits:
    """The caps; `papercast.config.Limits` ([limits] in the config) carries the same names."""

    max_input_bytes: int = 20 * MB
    max_papers_per_digest: int = 5000
    max_abstract_chars: int = 10_000

    @classmethod
    def from_config(cls, limits) -> InputLimits:
        return cls(limits.max_input_bytes, limits.max_papers_per_digest, limits.max_abstract_chars)

    def fingerprint(self) -> str:
        return f"{self.max_input_bytes}-{self.max_papers_per_digest}-{self.max_abstract_chars}"


NO_LIMITS_SET = InputLimits()  # the defaults, when a caller gives none


def size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size:,} bytes"


def cap_input_size(data: bytes, source: str, limits: InputLimits) -> tuple[bytes, list[Problem]]:
    """The input, or its head up to the last line break within the limit, with a warning."""
    if len(data) <= limits.max_input_bytes:
        return data, []
    head = data[: limits.max_input_bytes]
    line_end = head.rfind(b"\n")
    if line_end > 0:
        head = head[: line_end + 1]
    return head, [
        Problem(
            source,
            f"input is {size_text(len(data))}, over the limit of "
            f"{size_text(limits.max_input_bytes)} ([limits] max_input_bytes): "
            f"only the first {size_text(len(head))} were read",
        )
    ]


def cap_papers(papers: tuple[Paper, ...], source: str, limits: InputLimits) -> tuple[tuple[Paper, ...], list[Problem]]:
    limit = limits.max_papers_per_digest
    if len(papers) <= limit:
        return papers, []
    return papers[:limit], [
        Problem(
            source,
            f"{len(papers)} papers, over the limit of {limit} per digest "
            f"([limits] max_papers_per_digest): the first {limit} were kept; "
            f"raise the limit and drop the file again to ingest the rest",
        )
    ]


def cap_abstracts(
    papers: tuple[Paper, ...], source: str, limits: InputLimits
) -> tuple[tuple[Paper, ...], list[Problem]]:
    limit = limits.max_abstract_chars
    long = [paper for paper in papers if len(paper.abstract) > limit]
    if not long:
        return papers, []
    capped = tuple(
        replace(p, abstract=p.abstract[:limit].rstrip() + " …") if len(p.abstract) > limit else p for p in papers
    )
    return capped, [
        Problem(
            source,
            f"{len(long)} abstract(s) longer than {limit:,} characters were cut "
            f"([limits] max_abstract_chars), first: {long[0].title[:60]!r}",
        )
    ]


def apply_limits(digest: Digest, limits: InputLimits, size_warnings: list[Problem]) -> Digest:
    """The digest within the limits, with a warning per cap applied (size ones included)."""
    papers, paper_warnings = cap_papers(digest.papers, digest.source, limits)
    papers, abstract_warnings = cap_abstracts(papers, digest.source, limits)
    caps = size_warnings + paper_warnings + abstract_warnings
    warnings = tuple(caps) + bounded_warnings(digest.warnings, digest.source)
    if not caps:
        return replace(digest, warnings=warnings)
    capped_hash = f"{digest.content_hash}~capped-{limits.fingerprint()}" if digest.content_hash else ""
    return replace(digest, papers=papers, content_hash=capped_hash, warnings=warnings)


def bounded_warnings(warnings: tuple[Problem, ...], source: str) -> tuple[Problem, ...]:
    """At most MAX_WARNINGS per input, then one line counting the rest: a broken file is not a flood."""
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    rest = len(warnings) - MAX_WARNINGS
    return warnings[:MAX_WARNINGS] + (Problem(source, f"... and {rest} more warnings like these"),)
