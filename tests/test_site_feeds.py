"""RSS 2.0 and Atom feeds: valid for feedparser, stable GUIDs, limits, categories, dates, a golden feed."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from conftest import AS_OF, write_config
from goldens import assert_golden
from papercast.config import load_settings
from papercast.models import Assignment, Digest, Paper
from papercast.store import Store
from site_builder import FAST_CLASSIFIER, build_real_store, ingest_run, linked_papers, publish


def parse(path: Path) -> feedparser.FeedParserDict:
    return feedparser.parse(path.read_bytes())


def guids(path: Path) -> list[str]:
    return [entry.id for entry in parse(path).entries]


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    settings = build_real_store(tmp_path_factory.mktemp("feeds"), shared_digests)
    return settings, publish(settings)


def test_every_feed_parses_without_bozo_and_with_unique_guids(site):
    settings, published = site
    assert len(published.feeds) == 2 + 2 * len(settings.profiles)
    for path in published.feeds:
        feed = parse(path)
        assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
        assert feed.version == ("rss20" if path.name.endswith(".rss.xml") else "atom10")
        ids = guids(path)
        assert ids and len(ids) == len(set(ids)), path


def test_guid_is_the_paper_id_and_stable_across_rebuilds(site):
    settings, published = site
    before = {path: path.read_bytes() for path in published.feeds}
    with Store.open(settings.paths.state) as store:
        known = {row[2].id for row in store.editions()}
    rebuilt = publish(settings)
    assert {path: path.read_bytes() for path in rebuilt.feeds} == before
    assert set(guids(settings.paths.archive / "feeds" / "all.rss.xml")) <= known
    assert "arxiv:2611.00001" in guids(settings.paths.archive / "feeds/profiles/efficient-llm.atom.xml")


def test_a_new_run_adds_items_without_changing_old_guids(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER))
    first = (Paper("Pruning large language models", "pruning and quantization"),)
    second = (Paper("Distillation into small models", "knowledge distillation and quantization"),)
    with Store.open(settings.paths.state) as store:
        ingest_run(store, settings, dt.date(2026, 11, 16), [Digest("a", dt.date(2026, 11, 14), first, "h-a")])
    feed = settings.paths.archive / "feeds/profiles/efficient-llm.rss.xml"
    publish(settings)
    old = parse(feed).entries
    with Store.open(settings.paths.state) as store:
        ingest_run(store, settings, AS_OF, [Digest("b", dt.date(2026, 11, 21), second, "h-b")])
    publish(settings)
    new = parse(feed).entries
    assert [e.id for e in new] == [second[0].id, first[0].id]
    assert (new[1].id, new[1].published, new[1].link) == (old[0].id, old[0].published, old[0].link)


def test_feeds_keep_only_the_most_recent_items(tmp_path, shared_digests):
    settings = build_real_store(tmp_path, shared_digests, extra="[site]\nfeed_items = 4\n")
    published = publish(settings)
    for path in published.feeds:
        assert len(parse(path).entries) <= 4
    newest = parse(settings.paths.archive / "feeds/profiles/efficient-llm.rss.xml").entries
    assert newest[0].id == "arxiv:2611.00001" and len(newest) == 4


def test_combined_feed_has_each_paper_once_with_all_its_profiles(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER))
    both = Paper("Chain-of-thought reasoning about quantization", "reasoning and quantization", arxiv_id="2611.00009")
    with Store.open(settings.paths.state) as store:
        run_id = store.start_run(AS_OF)
        store.ingest_digest(Digest("x", AS_OF, (both,), "h-x"), run_id)
        store.save_assignments([Assignment(both.id, "reasoning", 0.9, "matches: reasoning"),
                                Assignment(both.id, "efficient-llm", 0.8, "matches: quantization")])
    publish(settings)
    atom = parse(settings.paths.archive / "feeds/all.atom.xml").entries
    assert [e.id for e in atom] == ["arxiv:2611.00009"]
    assert {t.term for t in atom[0].tags} == {"reasoning", "efficient-llm"}


def test_items_carry_title_link_summary_categories_and_dates(site):
    settings, _ = site
    folder = settings.paths.archive / "feeds/profiles"
    rss = {e.id: e for e in parse(folder / "efficient-llm.rss.xml").entries}["arxiv:2611.00001"]
    atom = {e.id: e for e in parse(folder / "efficient-llm.atom.xml").entries}["arxiv:2611.00001"]
    for entry in (rss, atom):
        assert entry.title == "Quantization of KV cache for 4-bit inference"
        assert entry.link == "https://arxiv.org/abs/2611.00001.html"
        assert "We study quantization" in entry.summary and "Why it is here:" in entry.summary
    assert {t.term for t in atom.tags} == {"efficient-llm", "cs.LG", "cs.CL"}
    assert {t.term for t in rss.tags} == {"Efficient LLM inference", "cs.LG", "cs.CL"}
    raw_rss = (folder / "efficient-llm.rss.xml").read_text()
    assert "<pubDate>Mon, 23 Nov 2026 00:00:00 +0000</pubDate>" in raw_rss
    assert email.utils.parsedate_to_datetime(rss.published) == dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    assert dt.datetime.fromisoformat(atom.published) == dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    assert "<dc:creator>Jane Roe</dc:creator>" in raw_rss


def test_items_without_their_own_link_point_at_their_card_on_the_edition_page(site):
    """Read raw: feedparser folds `file:///tmp` to `file://tmp`; the file itself holds the full URI."""
    settings, _ = site
    channel = ElementTree.parse(settings.paths.archive / "feeds/profiles/reasoning.rss.xml").getroot()[0]
    link = channel.findall("item")[-1].findtext("link")
    page, anchor = link.split("#")
    assert page.startswith("file:///") and Path(page.removeprefix("file://")).is_file()
    assert f'id="{anchor}"' in Path(page.removeprefix("file://")).read_text()


def test_base_url_makes_feed_links_absolute_web_urls(tmp_path, shared_digests):
    settings = build_real_store(tmp_path, shared_digests, extra='[site]\nbase_url = "https://papers.example.net/archive"\n')
    publish(settings)
    feed = parse(settings.paths.archive / "feeds/profiles/reasoning.atom.xml")
    assert feed.feed.link == "https://papers.example.net/archive/profiles/reasoning.html"
    assert all(e.link.startswith(("https://papers.example.net/archive/editions/", "https://arxiv.org/"))
               for e in feed.entries)


def test_feed_golden(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER + '[site]\nbase_url = "https://papers.example.net/"\n'))
    with Store.open(settings.paths.state) as store:
        run_id = store.start_run(AS_OF)
        papers = linked_papers("https://arxiv.org/abs/")
        store.ingest_digest(Digest("golden", dt.date(2026, 11, 20), papers, "golden-feed"), run_id)
        store.save_assignments([Assignment(papers[0].id, "efficient-llm", 0.9, "matches: quantization, kv cache")])
    publish(settings)
    text = (settings.paths.archive / "feeds/profiles/efficient-llm.rss.xml").read_text(encoding="utf-8")
    assert_golden("archive-feed.rss.xml", text, [(r"<generator>[^<]*</generator>", "<generator>GENERATOR</generator>")])
