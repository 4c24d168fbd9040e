"""Feed parsing (RSS 2.0, RSS 1.0/RDF, Atom, arXiv listings) and recognition of inputs by content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import AS_OF, digest_text, write_config
from papercast.config import load_settings
from papercast.errors import SourceError
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
from papercast.sources import detect_format, parse_input
from papercast.sources.inbox import InputFile
from papercast.store import Store

FEEDS = Path(__file__).parent / "data" / "feeds"


def parse(name: str, source: str | None = None):
    return parse_input((FEEDS / name).read_bytes(), source or name, AS_OF)


def by_id(digest) -> dict:
    return {paper.arxiv_id: paper for paper in digest.papers}


def test_arxiv_rss_keeps_new_and_cross_lists_and_skips_replacements():
    digest = parse("arxiv-cs.CL.rss")
    assert [p.arxiv_id for p in digest.papers] == ["2611.10001", "2611.10002", "2611.09876"]
    assert digest.date == dt.date(2026, 11, 20) and digest.format == "feed-rss20"
    assert digest.warnings == ()


def test_arxiv_rss_fields_are_plain_and_complete():
    paper = by_id(parse("arxiv-cs.CL.rss"))["2611.10001"]
    assert paper.title == "Four-Bit KV Cache Quantization for Long-Context Language Models"
    assert paper.abstract.startswith("We study quantization of the key-value cache to 4-bit integers.")
    assert "<b>" not in paper.abstract and "Announce Type" not in paper.abstract
    assert paper.authors == ("Ada Lovelace", "Grace Hopper", "Alan Turing")
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.link == "https://arxiv.org/abs/2611.10001" and paper.id == "arxiv:2611.10001"
    assert paper.published == dt.date(2026, 11, 20)  # the feed's own date, not shifted to UTC


def test_a_cross_list_in_two_category_feeds_is_stored_once(tmp_path):
    with Store.open(tmp_path / "state.sqlite") as store:
        run = store.runs.start_run(AS_OF)
        result = ingest_digests(store.papers, [parse("arxiv-cs.CL.rss", "arxiv-cs.CL"),
                                        parse("arxiv-cs.CV.rss", "arxiv-cs.CV")], run)
        count = store.database.db.execute("SELECT COUNT(*) FROM papers WHERE arxiv_id = '2611.09876'").fetchone()[0]
    assert count == 1
    assert [(d.source, d.papers, d.new) for d in result.digests] == [("arxiv-cs.CL", 3, 3), ("arxiv-cs.CV", 2, 1)]


def test_rss_1_0_arxiv_listing_old_format():
    digest = parse("arxiv-cs.LG.rdf")
    papers = by_id(digest)
    assert list(papers) == ["2611.06001", "2611.06002"]  # the UPDATED entry is a replacement
    assert papers["2611.06001"].title == "Structured Pruning of Large Language Models without Retraining"
    assert papers["2611.06001"].authors == ("Emmy Noether", "Carl Friedrich Gauß")
    assert papers["2611.06002"].abstract.startswith("LoRA fine-tuning forgets less")
    assert digest.date == dt.date(2026, 11, 17) and digest.format == "feed-rss10"
    assert digest.warnings == ()  # undated entries take the channel's date without a warning


def test_atom_arxiv_api_ids_drop_the_version_and_titles_are_one_line():
    papers = by_id(parse("arxiv-api.atom"))
    assert list(papers) == ["2611.08888", "2611.07777"]
    assert papers["2611.08888"].title == "Scaling Laws for Retrieval-Augmented Pretraining"
    assert papers["2611.08888"].authors == ("Ada Lovelace", "Charles Babbage")
    assert papers["2611.08888"].published == dt.date(2026, 11, 16)


def test_blog_atom_html_is_stripped_safely_and_odd_dates_are_read():
    digest = parse("lab-blog.atom")
    first, second = digest.papers
    assert first.title == "Our new paper: Memory-Efficient Attention for Edge Devices"
    assert first.abstract == "We run attention in 30% less memory on phones. Details & code here. Paper: arXiv"
    assert "alert" not in first.abstract and "color" not in first.abstract
    assert first.arxiv_id is None  # a blog post is not the paper it links to
    assert second.published == dt.date(2026, 11, 10)  # "Tuesday, 10th of November 2026, 9am"


def test_malformed_feed_keeps_what_could_be_read_with_a_warning_naming_the_source():
    digest = parse("malformed.rss", "lab-feed")
    assert [p.title for p in digest.papers] == ["Half a paper"]
    assert any(w.source == "lab-feed" and "malformed feed" in w.message for w in digest.warnings)


def test_a_feed_broken_beyond_reading_is_an_error_naming_the_source():
    with pytest.raises(SourceError) as caught:
        parse_input(b"<?xml version='1.0'?><rss><channel><item><<<", "broken-feed", AS_OF)
    assert caught.value.source == "broken-feed" and "malformed feed" in caught.value.message


def test_empty_feed_is_a_warning_not_an_error():
    digest = parse("empty.rss", "arxiv-weekend")
    assert digest.papers == ()
    assert [(w.source, w.message) for w in digest.warnings] == [("arxiv-weekend", "feed holds no entries")]
    assert digest.date == dt.date(2026, 11, 21)


def test_entries_without_title_or_date_are_warnings_and_the_rest_is_kept():
    digest = parse("missing-fields.rss", "picks")
    assert [p.title for p in digest.papers] == ["Retrieval Heads in Long-Context Models", "Odd Dates Are Still Dates"]
    messages = [w.message for w in digest.warnings if w.source == "picks"]
    assert any("without a title" in m and "picks.example.org/untitled" in m for m in messages)
    assert any("without a readable date" in m and "Retrieval Heads" in m for m in messages)
    assert digest.date == dt.date(2026, 11, 17)


def test_the_digest_date_is_never_after_the_run():
    digest = parse_input((FEEDS / "arxiv-cs.CL.rss").read_bytes(), "early", dt.date(2026, 11, 19))
    assert digest.date == dt.date(2026, 11, 19)


@pytest.mark.parametrize("name, kind", [
    ("arxiv-cs.CL.rss", "feed"), ("arxiv-cs.LG.rdf", "feed"), ("arxiv-api.atom", "feed"),
    ("lab-blog.atom", "feed"), ("hf-daily.json", "hf-json"),
])
def test_formats_are_recognized_by_content(name, kind):
    assert detect_format((FEEDS / name).read_text(encoding="utf-8")) == kind


def test_daily_text_and_unknown_content_are_told_apart():
    assert detect_format(digest_text("Nov 20", [("A title", "An abstract.")])) == "daily-text"
    assert detect_format("<!doctype html><html><body>Sign in</body></html>") is None
    with pytest.raises(SourceError, match="not a recognized digest or feed"):
        parse_input(b"<html><body>Sign in to continue</body></html>", "portal.html", AS_OF)


def test_inbox_files_are_recognized_by_content_not_extension(tmp_path):
    settings = load_settings(write_config(tmp_path))
    inbox = settings.paths.inbox
    (inbox / "listing.txt").write_bytes((FEEDS / "arxiv-cs.CL.rss").read_bytes())
    (inbox / "papers.xml").write_bytes((FEEDS / "hf-daily.json").read_bytes())
    (inbox / "week.rss").write_text(digest_text("Nov 20", [("A Text Digest Paper", "Its abstract.")]))
    (inbox / "broken.rss").write_bytes(b"<rss><channel><item><<<")
    files, errors = read_inbox(settings)
    parsed = parse_inputs(files, AS_OF)
    formats = {Path(d.source).name: d.format for d in parsed.digests}
    assert formats == {"listing.txt": "feed-rss20", "papers.xml": "hf-json", "week.rss": "daily-text"}
    assert [Path(e.source).name for e in parsed.errors] == ["broken.rss"] and errors == []


def test_a_bad_input_loses_nothing_else():
    good = InputFile("arxiv-cs.CL", (FEEDS / "arxiv-cs.CL.rss").read_bytes())
    bad = InputFile("broken", b"<feed><entry><<<")
    empty = InputFile("weekend", (FEEDS / "empty.rss").read_bytes())
    parsed = parse_inputs([bad, good, empty], AS_OF)
    assert [(d.source, len(d.papers)) for d in parsed.digests] == [("arxiv-cs.CL", 3), ("weekend", 0)]
    assert [e.source for e in parsed.errors] == ["broken"]
    assert [w.source for w in parsed.warnings] == ["weekend"]
