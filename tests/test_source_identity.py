"""One paper across sources (the store's identity logic), delivered once; the fetch state table."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, digest_text, write_config
from papercast.config import load_settings
from papercast.delivery.write import record_written, write_issues
from papercast.models import Digest, Paper
from papercast.newsletter.plan import plan_issues
from papercast.newsletter.selection import select_run
from papercast.relevance.backlog import classify_backlog
from papercast.sources import parse_input
from papercast.sources.ingest import ingest_digests
from papercast.store import Store

FEEDS = Path(__file__).parent / "data" / "feeds"
V1_STATE = Path(__file__).parent / "data" / "state-v1.sqlite"
KV_TITLE = "Four-Bit KV Cache Quantization for Long-Context Language Models"
KV_ABSTRACT = ("We study quantization of the key-value cache to 4-bit integers. On contexts of 128k tokens "
               "our method keeps perplexity within 0.1 of the 16-bit baseline while cutting memory by 3.8x.")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "state" / "papercast.sqlite") as opened:
        yield opened


def one(source: str, day: int, *papers: Paper) -> Digest:
    return Digest(source=source, date=dt.date(2026, 11, day), papers=papers, content_hash=f"{source}-{day}")


def count(store: Store) -> int:
    return store.database.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]


def test_a_later_source_with_the_id_fills_it_in(store):
    run = store.runs.start_run(AS_OF)
    _, new = store.papers.ingest_digest(one("text", 16, Paper("Tiny Drafters, Fast Decoding")), run)
    _, again = store.papers.ingest_digest(one("arxiv", 20, Paper("Tiny drafters: fast decoding!", "Abstract.",
                                                          arxiv_id="2611.10777", categories=("cs.CL",))), run)
    stored = store.papers.paper(new[0].id)
    assert again == [] and count(store) == 1
    assert (stored.arxiv_id, stored.abstract, stored.categories) == ("2611.10777", "Abstract.", ("cs.CL",))
    assert (stored.first_seen, stored.first_source) == (dt.date(2026, 11, 16), "text")


def test_an_earlier_sighting_moves_first_seen_and_its_source_earlier(store):
    run = store.runs.start_run(AS_OF)
    _, new = store.papers.ingest_digest(one("arxiv", 20, Paper("A Paper", arxiv_id="2611.00001")), run)
    store.papers.ingest_digest(one("text", 13, Paper("A paper")), run)
    store.papers.ingest_digest(one("late", 23, Paper("A Paper", arxiv_id="2611.00001")), run)
    stored = store.papers.paper(new[0].id)
    assert (stored.first_seen, stored.first_source) == (dt.date(2026, 11, 13), "text")


def test_same_title_with_different_arxiv_ids_is_two_papers(store):
    run = store.runs.start_run(AS_OF)
    store.papers.ingest_digest(one("a", 20, Paper("Attention Is All You Need", arxiv_id="1706.03762")), run)
    _, new = store.papers.ingest_digest(one("b", 21, Paper("Attention is all you need", arxiv_id="2611.99999")), run)
    assert [p.arxiv_id for p in new] == ["2611.99999"] and count(store) == 2
    _, repeat = store.papers.ingest_digest(one("c", 22, Paper("Attention is all you need", arxiv_id="2611.99999")), run)
    _, text = store.papers.ingest_digest(one("d", 22, Paper("Attention Is All You Need")), run)
    assert repeat == [] and text == [] and count(store) == 2


def test_a_paper_without_id_matches_a_stored_paper_that_has_one(store):
    run = store.runs.start_run(AS_OF)
    store.papers.ingest_digest(one("arxiv", 20, Paper(KV_TITLE, arxiv_id="2611.10001")), run)
    _, new = store.papers.ingest_digest(one("text", 21, Paper(KV_TITLE.upper() + ".")), run)
    assert new == [] and count(store) == 1


@pytest.mark.parametrize("feed_run", [dt.date(2026, 11, 23), dt.date(2026, 11, 30)])
def test_a_paper_in_a_text_digest_and_an_arxiv_feed_is_delivered_once(tmp_path, feed_run):
    """Week 1: the text digest (no id). Same or later week: the arXiv feed (with id). One delivery."""
    settings = load_settings(write_config(tmp_path))
    text = digest_text("Nov 20", [(KV_TITLE, KV_ABSTRACT)]).encode()
    feed = (FEEDS / "arxiv-cs.CL.rss").read_bytes()
    runs = [(AS_OF, [("inbox/week.txt", text)]), (feed_run, [("arxiv-cs.CL", feed)])]
    if feed_run == AS_OF:  # same week: both in one run
        runs = [(AS_OF, [("inbox/week.txt", text), ("arxiv-cs.CL", feed)])]
    delivered = []
    with Store.open(settings.paths.state) as store:
        for as_of, inputs in runs:
            delivered += run_week(store, settings, as_of, inputs)
        kv_rows = store.database.db.execute("SELECT id, arxiv_id FROM papers WHERE title_key LIKE 'four bit%'").fetchall()
    kv_id = kv_rows[0]["id"]
    assert len(kv_rows) == 1 and kv_rows[0]["arxiv_id"] == "2611.10001"
    assert [reader for reader, papers in delivered if kv_id in papers] == ["ada@example.org"]


def run_week(store: Store, settings, as_of: dt.date, inputs) -> list[tuple[str, list[str]]]:
    """Ingest, classify, plan and write one week through the core; (reader, paper ids) written."""
    run = store.runs.start_run(as_of)
    ingest_digests(store.papers, [parse_input(data, source, as_of) for source, data in inputs], run)
    classify_backlog(store, settings, run)  # the configured scorer (hybrid)
    when = dt.datetime(as_of.year, as_of.month, as_of.day, 7, tzinfo=dt.timezone.utc)
    written = write_issues(plan_issues(store, settings, select_run(settings), as_of, run, when).to_write,
                           settings, sending=False)
    record_written(store.ledger, written, run)
    return [(item.reader, list(item.papers)) for item in written]


def test_fetch_state_keeps_validators_until_replaced_and_forgets_them_for_a_new_url(store):
    store.fetches.record_fetch("arxiv", "https://a.example/rss", "fetched", validators=('"v1"', "Fri, 20 Nov 2026"))
    store.fetches.record_fetch("arxiv", "https://a.example/rss", "failed", "HTTP 500")
    state = store.fetches.fetch_state("arxiv")
    assert (state.etag, state.last_modified, state.status, state.message) == (
        '"v1"', "Fri, 20 Nov 2026", "failed", "HTTP 500")
    store.fetches.record_fetch("arxiv", "https://b.example/rss", "failed", "timeout")
    state = store.fetches.fetch_state("arxiv")
    assert (state.url, state.etag, state.last_modified) == ("https://b.example/rss", None, None)
    assert store.fetches.fetch_state("unknown") is None


def test_a_v1_state_gains_the_fetch_state_table(tmp_path):
    copy = tmp_path / "state.sqlite"
    shutil.copy(V1_STATE, copy)
    with Store.open(copy) as opened:
        opened.fetches.record_fetch("hf", "https://h.example/api", "fetched", validators=("e", None))
        assert opened.fetches.fetch_state("hf").etag == "e"
