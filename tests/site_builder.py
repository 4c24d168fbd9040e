"""Build a real store and publish the archive from it, without Prefect: the core calls the flow's tasks make."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import write_config
from papercast.relevance.classify import classify_papers
from papercast.relevance.registry import make_scorer
from papercast.config import load_settings
from papercast.settings import Settings
from papercast.sources.ingest import parse_inputs, read_inbox
from papercast.models import Digest, Paper
from papercast.site.publish import Published, publish_archive
from papercast.newsletter.render import make_environment
from papercast.store import Store

# The real digests, each ingested by a run of its own week.
REAL_RUNS = [("001_0b28249de3011a72.txt", dt.date(2026, 3, 16)),
             ("003_4cebbeaa4a958479.txt", dt.date(2026, 3, 16)),
             ("000_78a9b9aaee6fab8d.txt", dt.date(2026, 5, 11))]
# The keyword classifier: fast, and what these tests need (they test publishing, not relevance).
FAST_CLASSIFIER = '[classify]\nbackend = "keywords"\n'
READER_SECRETS = ("ada@example.org", "Ada Lovelace", "grace@example.org", "Grace Hopper")


def linked_papers(link_base: str) -> tuple[Paper, ...]:
    """Papers as an arXiv feed reports them: id, authors, categories and a link."""
    return (
        Paper("Quantization of KV cache for 4-bit inference", "We study quantization and pruning of the kv cache.",
              arxiv_id="2611.00001", authors=("Jane Roe", "Max Mustermann"), link=f"{link_base}2611.00001.html",
              categories=("cs.LG", "cs.CL")),
        Paper("Chain-of-thought reasoning for math word problems", "Step by step reasoning improves math.",
              arxiv_id="2611.00002", authors=("Li Wei",), link=f"{link_base}2611.00002.html",
              categories=("cs.CL",)),
    )


def ingest_run(store: Store, settings: Settings, as_of: dt.date, digests: list[Digest]) -> None:
    run_id = store.runs.start_run(as_of)
    for digest in digests:
        _, new = store.papers.ingest_digest(digest, run_id)
        store.classification.save_assignments(classify_papers(new, settings.profiles, make_scorer(settings),
                                               settings.classify.threshold))


def ingest_inbox_run(store: Store, settings: Settings, as_of: dt.date) -> None:
    files, _ = read_inbox(settings)
    ingest_run(store, settings, as_of, parse_inputs(files, as_of).digests)


def build_real_store(folder: Path, shared_digests: Path, extra: str = "", link_base: str = "https://arxiv.org/abs/"
                     ) -> Settings:
    """Three weekly runs on the real digests, then one on a feed-like digest with links and authors."""
    settings = load_settings(write_config(folder, extra=FAST_CLASSIFIER + extra))
    with Store.open(settings.paths.state) as store:
        for name, as_of in REAL_RUNS:
            shutil.copy(shared_digests / name, settings.paths.inbox / name)
            ingest_inbox_run(store, settings, as_of)
        feed = Digest("arxiv-feed", dt.date(2026, 11, 20), linked_papers(link_base), "feed-hash-1", "rss")
        ingest_run(store, settings, dt.date(2026, 11, 23), [feed])
    return settings


def publish(settings: Settings) -> Published:
    with Store.open(settings.paths.state) as store:
        return publish_archive(store.classification, settings, make_environment())
