"""Fuzzing every input parser through `parse_input`, the one entry point for all formats.

The property: whatever the bytes, the parser returns a Digest or raises SourceError
naming the file; never another exception, never a hang (the profile's deadline).
Re-encoding a good digest (latin-1, UTF-16 with BOM, UTF-8 BOM, mixed line endings)
must not change what it holds.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import AS_OF, digest_text
from fuzzing import fuzz_settings
from papercast.errors import SourceError
from papercast.models import Digest
from papercast.sources import parse_input

SOURCE = "/inbox/fuzzed-input"
ABSTRACT = ("We study a problem that matters to many people. Our method improves results on many benchmarks "
            "by a clear margin, and we release code and data so that others can build on it in later work.")
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>cs.CL updates</title><link>https://example.org/</link>
<item><title>Four-Bit KV Cache Quantization</title><link>https://arxiv.org/abs/2611.10001</link>
<description>arXiv:2611.10001v1 Announce Type: new Abstract: We quantize the cache &amp; keep accuracy.</description>
<pubDate>Fri, 20 Nov 2026 00:00:00 -0500</pubDate></item></channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab blog</title><id>urn:x</id><updated>2026-11-20T00:00:00Z</updated>
<entry><title>Sparse Mixture of Experts at Scale</title><id>http://arxiv.org/abs/2611.10002v2</id>
<link href="http://arxiv.org/abs/2611.10002v2"/><updated>2026-11-20T00:00:00Z</updated>
<summary type="html">&lt;p&gt;We route tokens to experts.&lt;/p&gt;</summary></entry></feed>"""
HF_JSON = json.dumps([{"paper": {"id": "2611.10003", "title": "Reasoning in Small Models",
                                 "summary": ABSTRACT, "authors": [{"name": "Ada Lovelace"}],
                                 "publishedAt": "2026-11-19T18:59:12.000Z"}}]).encode()
DIGEST = digest_text("Nov 20", [("Four-Bit KV Cache Quantization", ABSTRACT),
                                ("Sparse Mixture of Experts at Scale", ABSTRACT.replace("problem", "question")),
                                ("Reasoning in Small Models", ABSTRACT.replace("method", "recipe"))]).encode()
SEEDS = [DIGEST, RSS, ATOM, HF_JSON]
CONTAINED_CRASH = "could not be parsed ("  # parse_input's message when a parser raised something unexpected
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=10)
# Letters whose latin-1 bytes (0xC0-0xFF) can never form valid UTF-8 next to ASCII,
# so a latin-1 file cannot be mistaken for UTF-8: the decoder must take its fallback.
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyzéèüöäßøñçÀÉÖ"


def parse_or_own_error(data: bytes, source: str = SOURCE) -> Digest | None:
    """The fuzz property: a Digest that names the input, or SourceError naming it."""
    try:
        digest = parse_input(data, source, AS_OF)
    except SourceError as exc:
        assert exc.source == source and exc.message.strip()
        assert source in exc.one_line()
        assert not exc.message.startswith(CONTAINED_CRASH), f"a parser crashed (contained by parse_input): {exc}"
        return None
    assert isinstance(digest, Digest) and digest.content_hash
    assert all(warning.source == source and warning.message for warning in digest.warnings)
    assert all(paper.title.strip() for paper in digest.papers)
    return digest


@fuzz_settings()
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_parse_or_raise_our_error(data):
    parse_or_own_error(data)


@fuzz_settings()
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]))
def test_arbitrary_text_in_any_encoding_parses_or_raises_our_error(text, encoding):
    parse_or_own_error(text.encode(encoding, errors="replace"))


@fuzz_settings()
@given(st.sampled_from(SEEDS), st.data())
def test_every_truncation_of_a_good_input_parses_or_raises_our_error(seed, data):
    cut = data.draw(st.integers(0, len(seed)))
    parse_or_own_error(seed[:cut])


@fuzz_settings()
@given(st.sampled_from(SEEDS),
       st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from([b"\x00", b"\xff", b"\r", b"<", b"{", b"\n\n", b""])),
                min_size=1, max_size=8))
def test_damaged_good_inputs_parse_or_raise_our_error(seed, damage):
    data = bytearray(seed)
    for position, replacement in damage:
        at = position % (len(data) + 1)
        data[at:at + 1] = replacement
    parse_or_own_error(bytes(data))


@fuzz_settings()
@given(st.sampled_from(["id", "title", "summary", "authors", "publishedAt", "paper"]), JSON_VALUES)
def test_json_papers_with_any_value_in_any_field_parse_or_raise_our_error(field, value):
    papers = json.loads(HF_JSON)
    target = papers[0] if field == "paper" else papers[0]["paper"]
    target[field] = value
    parse_or_own_error(json.dumps(papers).encode())


@fuzz_settings()
@given(st.text(max_size=300), st.text(max_size=300), st.sampled_from(["escaped", "cdata", "raw"]))
def test_feed_items_with_any_title_and_description_parse_or_raise_our_error(title, description, how):
    def wrap(text: str) -> str:
        if how == "escaped":
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"<![CDATA[{text}]]>" if how == "cdata" else text
    data = RSS.decode().replace("Four-Bit KV Cache Quantization", wrap(title), 1)
    data = data.replace("arXiv:2611.10001v1 Announce Type: new Abstract: We quantize the cache &amp; keep accuracy.",
                        wrap(description), 1)
    parse_or_own_error(data.encode("utf-8", errors="replace"))


def generated_digest(titles: list[str], words: list[str]) -> tuple[str, list[tuple[str, str]]]:
    papers = [(f"{title} number {i}", " ".join(words * (45 // len(words) + 1)) + f" finding {i}.")
              for i, title in enumerate(titles)]
    return digest_text("Nov 20", papers), papers


@fuzz_settings(scale=0.5)
@given(st.lists(st.text(LATIN_LETTERS + " ", min_size=3, max_size=40).filter(lambda t: t.strip()), min_size=1, max_size=6),
       st.lists(st.text(LATIN_LETTERS, min_size=1, max_size=12), min_size=1, max_size=8),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "latin-1"]),
       st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=5))
def test_reencoded_digest_keeps_every_paper(titles, words, encoding, line_ends):
    text, papers = generated_digest(titles, words)
    lines = text.split("\n")
    mixed = "".join(line + line_ends[i % len(line_ends)] for i, line in enumerate(lines))
    data = mixed.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # UTF-16 with a big-endian BOM
    digest = parse_or_own_error(data)
    assert digest is not None
    assert [(p.title, p.abstract) for p in digest.papers] == [(t.strip(), a) for t, a in papers]


@pytest.mark.parametrize("where", ["abstract", "title", "header", "no-newline"])
def test_enormous_lines_finish_and_are_reported(where):
    huge = ("token " * 900_000).strip()  # one 5.4 MB line
    papers = [("A normal title", ABSTRACT), ("Another title", ABSTRACT.replace("method", "recipe"))]
    if where == "abstract":
        papers[0] = ("A normal title", huge + ".")
    elif where == "title":
        papers.insert(1, (huge, ABSTRACT))
    text = digest_text("Nov 20", papers)
    if where == "header":
        text = huge + "\n\n" + text
    data = (huge if where == "no-newline" else text).encode()
    digest = parse_or_own_error(data)
    if where == "no-newline":
        assert digest is None
        return
    assert digest is not None and "A normal title" in [p.title for p in digest.papers]
    assert all(len(p.abstract) <= 10_002 for p in digest.papers)  # the default cap, plus " …"
    assert digest.warnings, "an enormous line must not pass silently"


@pytest.mark.parametrize("offset", [0, 200, 10_000])
def test_nul_bytes_anywhere_are_handled(offset):
    data = digest_text("Nov 20", [(f"Paper {i} on caches", ABSTRACT) for i in range(40)]).encode()
    data = data[:offset] + b"\x00\x00" + data[offset:]
    digest = parse_or_own_error(data)
    if offset < 4096:
        assert digest is None  # binary data near the start: refused, named
    else:
        assert digest is not None and len(digest.papers) == 40


def test_a_parser_crash_costs_one_file_not_the_run():
    damaged = RSS.replace(b'encoding="UTF-8"', b'encoding="\xffTF-8"')  # found by the fuzzer in feedparser
    with pytest.raises(SourceError) as caught:
        parse_input(damaged, SOURCE, AS_OF)
    assert caught.value.source == SOURCE and caught.value.message


@pytest.mark.parametrize("date_line", ["May 99", "Feb 30", "May 7, 0000", "Dec 32nd", "September 31, 2026"])
def test_impossible_page_dates_are_a_per_file_error(date_line):
    with pytest.raises(SourceError) as caught:
        parse_input(f"new\n\n{date_line}\n\nTitle\n\n{ABSTRACT}\n".encode(), SOURCE, AS_OF)
    assert caught.value.source == SOURCE and date_line in caught.value.message
