"""The Hugging Face daily-papers JSON: fields, dates, bad entries, and identity with arXiv feeds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import AS_OF
from papercast.errors import SourceError
from papercast.sources.ingest import ingest_digests
from papercast.sources import parse_input
from papercast.sources.hf_json import parse_hf_json
from papercast.store import Store

FEEDS = Path(__file__).parent / "data" / "feeds"
HF = (FEEDS / "hf-daily.json").read_bytes()


def test_papers_carry_id_title_summary_authors_and_link():
    digest = parse_input(HF, "hf-daily", AS_OF)
    first = digest.papers[0]
    assert (first.arxiv_id, first.id) == ("2611.10001", "arxiv:2611.10001")
    assert first.title == "Four-Bit KV Cache Quantization for Long-Context Language Models"
    assert first.abstract.startswith("We study quantization of the key-value cache")
    assert first.authors == ("Ada Lovelace", "Grace Hopper", "Alan Turing")
    assert first.link == "https://arxiv.org/abs/2611.10001"
    assert digest.format == "hf-json" and digest.content_hash


def test_dates_come_from_the_daily_list_and_the_digest_takes_the_newest():
    digest = parse_input(HF, "hf-daily", AS_OF)
    assert [p.published for p in digest.papers] == [dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
    assert digest.date == dt.date(2026, 11, 21)


def test_an_entry_without_title_is_skipped_with_a_warning_naming_the_source():
    digest = parse_input(HF, "hf-daily", AS_OF)
    assert [p.arxiv_id for p in digest.papers] == ["2611.10001", "2611.10777"]
    assert [(w.source, w.message) for w in digest.warnings] == [
        ("hf-daily", "skipped 1 daily-papers entry(s) without a title")]


def test_outer_fields_fill_in_when_the_paper_object_lacks_them():
    items = [{"paper": {"id": "2611.12345v2", "authors": ["Ada Lovelace"]}, "title": "Outer Title",
              "summary": "Outer <i>summary</i>.", "publishedAt": "2026-11-22T08:00:00Z"}]
    paper = parse_hf_json(json.dumps(items), "hf", AS_OF).papers[0]
    assert (paper.title, paper.abstract, paper.arxiv_id) == ("Outer Title", "Outer summary.", "2611.12345")
    assert paper.authors == ("Ada Lovelace",) and paper.published == dt.date(2026, 11, 22)


def test_empty_list_is_a_warning():
    digest = parse_input(b"[]", "hf-daily", AS_OF)
    assert digest.papers == () and digest.date == AS_OF
    assert [w.message for w in digest.warnings] == ["daily-papers list is empty"]


@pytest.mark.parametrize("body, message", [
    (b'{"papers": []}', "not the Hugging Face daily-papers list"),
    (b'[{"title": "no paper object"}]', "not the Hugging Face daily-papers list"),
    (b'[{"paper": {"id": "1"}', "not valid JSON"),
])
def test_other_json_is_an_error_naming_the_source(body, message):
    with pytest.raises(SourceError, match=message) as caught:
        parse_input(body, "hf-daily", AS_OF)
    assert caught.value.source == "hf-daily"


def test_the_same_paper_from_json_and_an_arxiv_feed_is_one_paper(tmp_path):
    feed = parse_input((FEEDS / "arxiv-cs.CL.rss").read_bytes(), "arxiv-cs.CL", AS_OF)
    daily = parse_input(HF, "hf-daily", AS_OF)
    with Store.open(tmp_path / "state.sqlite") as store:
        result = ingest_digests(store.papers, [feed, daily], store.runs.start_run(AS_OF))
        stored = store.papers.paper("arxiv:2611.10001")
    assert [(d.source, d.new) for d in result.digests] == [("arxiv-cs.CL", 3), ("hf-daily", 1)]
    assert stored.first_seen == dt.date(2026, 11, 20) and stored.first_source == "arxiv-cs.CL"
