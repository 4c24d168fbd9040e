"""RSS 2.0 and Atom feeds: valid for feedparser, stable GUIDs, limits, categories, dates, a golden feed."""

from __future__ import annotations

import datetime as dt
import email.utils
from html.parser import HTMLParser
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
        known = {row[2].id for row in store.classification.editions()}
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
        run_id = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(Digest("x", AS_OF, (both,), "h-x"), run_id)
        store.classification.save_assignments([Assignment(both.id, "reasoning", 0.9, "matches: reasoning"),
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
        run_id = store.runs.start_run(AS_OF)
        papers = linked_papers("https://arxiv.org/abs/")
        store.papers.ingest_digest(Digest("golden", dt.date(2026, 11, 20), papers, "golden-feed"), run_id)
        store.classification.save_assignments([Assignment(papers[0].id, "efficient-llm", 0.9, "matches: quantization, kv cache")])
    publish(settings)
    text = (settings.paths.archive / "feeds/profiles/efficient-llm.rss.xml").read_text(encoding="utf-8")
    assert_golden("archive-feed.rss.xml", text, [(r"<generator>[^<]*</generator>", "<generator>GENERATOR</generator>")])


HOSTILE_TITLE = "<script>alert('title-xss')</script> & a <b>bold</b> claim"
HOSTILE_ABSTRACT = "We study quantization. </textarea></title><svg onload=alert(3)> & <img src=x onerror=alert(4)>"
HOSTILE_AUTHOR = "Eve <i>Mallory</i> & Co"
HOSTILE_CATEGORY = "cs.<b>LG</b>"


class TextOnly(HTMLParser):
    """What a reader that renders a field as HTML shows: its text; any element found is recorded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs=None):
        self.elements.append(tag)

    handle_startendtag = handle_endtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def shown_as_html(value: str) -> str:
    parser = TextOnly()
    parser.feed(value)
    parser.close()
    assert parser.elements == [], f"markup in a feed field: {value!r}"
    return "".join(parser.text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-feeds")
    extra = FAST_CLASSIFIER + '[site]\ntitle = "Papers <b>& co</b>"\n'
    settings = load_settings(write_config(folder, extra=extra))
    paper = Paper(HOSTILE_TITLE, HOSTILE_ABSTRACT, arxiv_id="2611.00066", authors=(HOSTILE_AUTHOR,),
                  categories=(HOSTILE_CATEGORY,), link="https://arxiv.org/abs/2611.00066")
    with Store.open(settings.paths.state) as store:
        run_id = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(Digest("x", AS_OF, (paper,), "h-hostile"), run_id)
        store.classification.save_assignments([Assignment(paper.id, "efficient-llm", 0.9, "matches: <u>quantization</u>")])
    publish(settings)
    return settings.paths.archive / "feeds"


@pytest.mark.parametrize("name", ["all.rss.xml", "profiles/efficient-llm.rss.xml"])
def test_rss_carries_titles_abstracts_and_names_as_text_not_markup(hostile, name):
    feed = parse(hostile / name)
    assert not feed.bozo
    entry = feed.entries[0]
    assert shown_as_html(entry.title) == HOSTILE_TITLE
    summary = shown_as_html(entry.summary)
    assert "</textarea></title><svg onload=alert(3)> & <img src=x onerror=alert(4)>" in summary
    assert "matches: <u>quantization</u>" in summary
    assert shown_as_html(entry.author) == HOSTILE_AUTHOR
    assert HOSTILE_CATEGORY in {shown_as_html(tag.term) for tag in entry.tags}
    assert shown_as_html(feed.feed.title).startswith("Papers <b>& co</b>: ")
    raw = (hostile / name).read_text()
    assert "<script" not in raw and "<svg" not in raw and "&lt;script" not in raw


@pytest.mark.parametrize("name", ["all.atom.xml", "profiles/efficient-llm.atom.xml"])
def test_atom_carries_the_same_fields_as_plain_text(hostile, name):
    feed = parse(hostile / name)
    entry = feed.entries[0]
    assert entry.title == HOSTILE_TITLE and entry.title_detail.type == "text/plain"
    assert entry.summary_detail.type == "text/plain" and "<svg onload=alert(3)>" in entry.summary
    assert entry.author == HOSTILE_AUTHOR and HOSTILE_CATEGORY in {tag.term for tag in entry.tags}
    assert feed.feed.title.startswith("Papers <b>& co</b>: ")
