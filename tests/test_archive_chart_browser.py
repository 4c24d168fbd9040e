"""The archive as a visitor sees it in headless Chromium, after one week and after many: every paper's title is
a link (as in the newsletter), and the chart reads right (proportional bars, whole labels, the editions'
dates, a profile at 0). Screenshots land in tests/artifacts/: archive-index-one-week.png,
archive-index-many-weeks.png and archive-edition-links.png."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cdp import Browser, chromium_available
from conftest import write_config
from papercast.config import load_settings
from papercast.newsletter.render import make_environment
from papercast.site.publish import publish_archive
from papercast.store import Store
from stages import ingest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LONG = " It is evaluated on several benchmarks with consistent gains over strong baselines."
PROFILES = """
[[profiles]]
id = "efficient-llm"
title = "Efficient LLM inference and compression"
description = "Making language models smaller and faster."
keywords = ["quantization", "pruning"]

[[profiles]]
id = "multimodal"
title = "Vision-language and multimodal models"
description = "Models that see and read."
keywords = ["multimodal", "vision-language"]

[[profiles]]
id = "architectures"
title = "Model architectures and neural architecture search"
description = "New building blocks for neural networks."
keywords = ["state space model", "mixture of experts"]

[[profiles]]
id = "robotics"
title = "Robot learning"
description = "Robots that learn to act."
keywords = ["robot manipulation"]
"""
FIRST = dt.date(2026, 9, 28)  # a Monday: one weekly run per week from here
LABELS_AND_BARS = """(() => {
  const labels = Array.from(document.querySelectorAll('svg g.row > text:first-of-type'));
  const rows = Array.from(document.querySelectorAll('svg g.row'));
  return {labelRight: Math.max(...labels.map(t => t.getBBox().x + t.getBBox().width)),
          labels: labels.map(t => t.textContent),
          heights: rows.map(r => Array.from(r.querySelectorAll('rect')).map(b => b.getBBox().height)),
          widths: rows.map(r => Array.from(r.querySelectorAll('rect')).map(b => b.getBBox().width)),
          ticks: Array.from(document.querySelectorAll('svg > text')).map(t => t.textContent),
          caption: document.querySelector('figcaption').textContent};
})()"""

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(), reason="chromium missing: apt-get install -y chromium")]


def week_papers(week: int) -> list[tuple[str, str]]:
    """Week 0: 3 efficient-llm papers, 1 multimodal, 2 architectures, none on robots; later weeks vary."""
    counts = [3, 1, 2] if week == 0 else [1 + week % 4, 1 + (week * 2) % 3, week % 2]
    topics = [("Quantization", "quantization and pruning"), ("Multimodal", "a multimodal vision-language model"),
              ("Mixture of Experts", "a mixture of experts layer")]
    return [(f"{word} Paper {n + 1} of Week {week + 1}", f"We study {what}." + LONG)
            for (word, what), count in zip(topics, counts) for n in range(count)]


def archive_after(folder: Path, weeks: int) -> Path:
    """The archive after `weeks` weekly runs; the readers' link pages point at arXiv, as in the newsletter."""
    settings = load_settings(write_config(folder, profiles=PROFILES, readers="",
                                          extra='[classify]\nbackend = "keywords"\n'))
    with Store.open(settings.paths.state) as store:
        for week in range(weeks):
            ingest(store, settings, week_papers(week), FIRST + dt.timedelta(weeks=week), source=f"w{week}.txt")
        publish_archive(store.classification, settings, make_environment())
    return settings.paths.archive


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def test_one_week_reads_right(tmp_path, browser):
    archive = archive_after(tmp_path, 1)
    browser.goto((archive / "index.html").as_uri())
    browser.screenshot(ARTIFACTS / "archive-index-one-week.png")
    chart = browser.evaluate(LABELS_AND_BARS)
    assert chart["labelRight"] <= 210, "every label ends before the bars: nothing clipped"
    assert "Model architectures and neural" in chart["labels"][2] and "search" in chart["labels"][2]
    heights = [row[0] for row in chart["heights"]]
    assert heights[0] > heights[2] > heights[1] > 0 == heights[3], f"3, 1, 2 and 0 papers: {heights}"
    assert heights[0] == pytest.approx(3 * heights[1], rel=0.05)
    assert max(width for row in chart["widths"] for width in row) <= 28, "a column, not a ribbon"
    assert chart["ticks"] == [f"{FIRST.day} {FIRST:%b}"], "the editions' date, nothing else"
    assert "1 weeks" not in chart["caption"] and "the edition of 2026-09-28" in chart["caption"]


def test_many_weeks_read_right(tmp_path, browser):
    archive = archive_after(tmp_path, 10)
    browser.goto((archive / "index.html").as_uri())
    browser.screenshot(ARTIFACTS / "archive-index-many-weeks.png")
    chart = browser.evaluate(LABELS_AND_BARS)
    assert chart["labelRight"] <= 210 and len(chart["heights"][0]) == 10
    last = FIRST + dt.timedelta(weeks=9)
    assert chart["ticks"][-1] == f"{last.day} {last:%b}" and len(chart["ticks"]) <= 6
    counts = [len([p for p in week_papers(w) if p[0].startswith("Quantization")]) for w in range(10)]
    peak = max(max(row) for row in chart["heights"])
    assert [round(h / peak * 4) for h in chart["heights"][0]] == counts, "heights follow the counts (peak: 4)"
    assert all(h == 0 for h in chart["heights"][3]), "the robots profile stays at 0"


def test_every_paper_on_an_edition_page_links_where_the_newsletter_does(tmp_path, browser):
    archive = archive_after(tmp_path, 1)
    page = archive / "editions" / "efficient-llm" / f"{FIRST}.html"
    browser.goto(page.as_uri())
    browser.screenshot(ARTIFACTS / "archive-edition-links.png")
    links = browser.evaluate("Array.from(document.querySelectorAll('article.card')).map(c => "
                             "c.querySelector('h3 a.paper') && c.querySelector('h3 a.paper').href)")
    assert len(links) == 3 and all(link and link.startswith("https://arxiv.org/") for link in links), links
    assert json.dumps(links).count("searchtype=title") == 3, "papers without an arXiv id: arXiv's title search"
