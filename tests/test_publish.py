"""The public archive: pages from a real store of the real digests, relative links, privacy, CLI rebuild."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest

from conftest import AS_OF, digest_text, write_config
from goldens import assert_golden
from papercast.jsonable import jsonable
from papercast.cli import main
from papercast.config import load_settings
from papercast.models import Assignment, Digest, Paper
from papercast.store import Store
from site_builder import FAST_CLASSIFIER, READER_SECRETS, build_real_store, publish

PUBLIC_FOLDERS = ("index.html", "profiles", "editions", "feeds")


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])


def parse_page(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def public_files(archive: Path) -> list[Path]:
    files = [archive / "index.html"] + [p for name in PUBLIC_FOLDERS[1:] for p in (archive / name).rglob("*")]
    return [p for p in files if p.is_file()]


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    settings = build_real_store(tmp_path_factory.mktemp("site"), shared_digests)
    return settings, publish(settings)


def test_publish_writes_index_profile_and_edition_pages(site):
    settings, published = site
    archive = settings.paths.archive
    names = {p.relative_to(archive).as_posix() for p in published.pages}
    assert {"index.html", "profiles/efficient-llm.html", "profiles/multimodal.html", "profiles/reasoning.html",
            "editions/efficient-llm/2026-03-16.html", "editions/reasoning/2026-05-11.html",
            "editions/efficient-llm/2026-11-23.html"} <= names
    assert all(p.is_absolute() and p.is_file() for p in published.pages + published.feeds)


def test_every_relative_link_and_fragment_resolves_to_a_file(site):
    settings, published = site
    checked = 0
    for page in published.pages:
        collected = parse_page(page)
        for href in collected.links:
            if re.match(r"^[a-z]+:", href):
                assert href.startswith("https://"), f"{page}: unexpected absolute link {href}"
                continue
            target, fragment = urldefrag(href)
            target_path = (page.parent / unquote(target)).resolve() if target else page
            assert target_path.is_file(), f"{page.name}: broken link {href}"
            assert not href.startswith("/"), f"{page.name}: root-relative link {href} breaks file://"
            if fragment:
                assert fragment in parse_page(target_path).ids, f"{page.name}: missing anchor {href}"
            checked += 1
    assert checked > 50


def test_index_lists_every_profile_with_counts_and_latest_edition_first(site):
    settings, _ = site
    html = (settings.paths.archive / "index.html").read_text(encoding="utf-8")
    with Store.open(settings.paths.state) as store:
        efficient = [row for row in store.classification.editions() if row[0] == "efficient-llm"]
    dates = sorted({row[1] for row in efficient}, reverse=True)
    assert f"{len(dates)} editions · {len(efficient)} papers" in html
    positions = [html.index(f'editions/efficient-llm/{d.isoformat()}.html') for d in dates]
    assert positions == sorted(positions)


def test_profile_page_lists_all_its_editions(site):
    settings, _ = site
    page = settings.paths.archive / "profiles" / "reasoning.html"
    links = [h for h in parse_page(page).links if "editions/reasoning/" in h]
    editions = sorted(p.name for p in (settings.paths.archive / "editions" / "reasoning").glob("*.html"))
    assert sorted(Path(h).name for h in links) == editions and len(editions) >= 2


def test_edition_page_shows_title_authors_link_abstract_and_why(site):
    settings, _ = site
    html = (settings.paths.archive / "editions" / "efficient-llm" / "2026-11-23.html").read_text(encoding="utf-8")
    assert "Quantization of KV cache for 4-bit inference" in html
    assert "Jane Roe, Max Mustermann" in html
    assert '<a class="paper" href="https://arxiv.org/abs/2611.00001">' in html, "the title links as the newsletter's"
    assert "We study quantization and pruning of the kv cache." in html
    assert "Why it is here: " in html and 'id="p-arxiv-2611-00001"' in html
    assert "cs.LG, cs.CL" in html


def test_index_chart_is_inline_svg_without_script(site):
    settings, _ = site
    html = (settings.paths.archive / "index.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert len(re.findall(r'<g class="row">', svg)) == 3
    assert svg.count("<rect") == 3 * settings.site.chart_weeks  # the last 12 weeks, empty ones included
    assert "Efficient LLM inference, edition of 2026-11-23: 1 paper<" in svg
    assert "Reasoning, week of 2026-09-07: 0 papers<" in svg
    assert ">23 Nov</text>" in svg, "the newest column is labelled with its edition's date"
    for page in public_files(settings.paths.archive):
        if page.suffix == ".html":
            assert parse_page(page).scripts == 0, page


def test_pages_carry_feed_autodiscovery(site):
    settings, _ = site
    html = (settings.paths.archive / "editions" / "reasoning" / "2026-05-11.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/rss\+xml" title="[^"]+"'
                     r' href="../../feeds/profiles/reasoning.rss.xml">', html)
    assert 'type="application/atom+xml"' in html and 'href="../../feeds/all.atom.xml"' in html


def test_no_public_page_or_feed_names_a_reader(site):
    settings, published = site
    files = public_files(settings.paths.archive)
    assert set(published.pages + published.feeds) <= set(files) and len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for secret in READER_SECRETS:
            assert secret.lower() not in text, f"{secret} in public {path}"
        assert "newsletters/" not in text and "outbox/" not in text


def test_hostile_paper_is_escaped_and_unsafe_links_dropped(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER))
    hostile = Paper("Reasoning <script>alert(1)</script> {{ 7*7 }}", "math <img src=x onerror=alert(1)>",
                    link="javascript:alert(1)", authors=("<b>Mallory</b>",))
    with Store.open(settings.paths.state) as store:
        store.papers.ingest_digest(Digest("evil", AS_OF, (hostile,), "h1"), store.runs.start_run(AS_OF))
        store.classification.save_assignments([Assignment(hostile.id, "reasoning", 0.9, "<i>why</i> {{ 7*7 }}")])
    published = publish(settings)
    for path in published.pages + published.feeds:
        text = path.read_text(encoding="utf-8")
        assert not any(tag in text for tag in ("<script>", "javascript:", "<img", "<b>", "<i>"))
    page = (settings.paths.archive / "editions/reasoning" / f"{AS_OF}.html").read_text()
    assert "&lt;script&gt;" in page and "{{ 7*7 }}" in page and "&lt;i&gt;why&lt;/i&gt;" in page


def test_empty_store_publishes_a_valid_site(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER))
    published = publish(settings)
    html = (settings.paths.archive / "index.html").read_text(encoding="utf-8")
    assert html.count("No edition yet.") == 3 and "<svg" not in html
    assert len(published.feeds) == 8


def test_edition_page_golden(tmp_path):
    """Assignments are given, not classified, so the page does not move when the classifier changes."""
    settings = load_settings(write_config(tmp_path, extra=FAST_CLASSIFIER))
    papers = (Paper("Speculative decoding with 4-bit quantization", "Quantization & pruning make LLMs 3x faster.",
                    arxiv_id="2611.01234", authors=("Jane Roe",), link="https://arxiv.org/abs/2611.01234",
                    categories=("cs.LG",)),
              Paper("Multimodal <chain-of-thought> reasoning", "Vision-language models reason about $x^2$."))
    with Store.open(settings.paths.state) as store:
        run_id = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(Digest("golden", dt.date(2026, 11, 20), papers, "golden-hash"), run_id)
        store.classification.save_assignments([Assignment(papers[0].id, "reasoning", 0.93, "matches: quantization"),
                                Assignment(papers[1].id, "reasoning", 0.61, "title mentions chain-of-thought")])
    publish(settings)
    page = settings.paths.archive / "editions" / "reasoning" / f"{AS_OF}.html"
    assert_golden("archive-edition.html", page.read_text(encoding="utf-8"))


def test_cli_publish_rebuilds_archive_from_store(site, capsys):
    settings, published = site
    index = settings.paths.archive / "index.html"
    before = index.read_bytes()
    index.unlink()
    assert main(["publish", "--config", str(settings.source_file)]) == 0
    out = capsys.readouterr().out
    assert f"published {len(published.pages)} pages and {len(published.feeds)} feeds" in out
    assert index.read_bytes() == before


def test_weekly_flow_reports_absolute_feed_paths_and_keeps_readers_private(prefect_harness, tmp_path):
    from papercast.flows.newsletter import weekly_newsletter

    config = write_config(tmp_path, extra=FAST_CLASSIFIER)
    (tmp_path / "inbox" / "d.txt").write_text(digest_text("Nov 20", [
        ("Pruning and distillation of LLMs", "Quantization, pruning and distillation for small models."),
        ("Chain-of-thought math reasoning", "Reasoning step by step on math benchmarks.")]))
    report = jsonable(weekly_newsletter(str(config), dt.date(2026, 11, 23)))
    assert report["newsletters"], "the run must write private newsletters for this test to mean something"
    feeds = [Path(p) for p in report["feeds"]]
    assert len(feeds) == 8 and all(p.is_absolute() and p.is_file() for p in feeds)
    for path in [Path(p) for p in report["pages"]] + feeds:
        text = path.read_text(encoding="utf-8").lower()
        assert not any(secret.lower() in text for secret in READER_SECRETS), path
