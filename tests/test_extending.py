"""docs/extending.md's three examples, working: a source format, a scorer and a channel, each one module
(tests/extending/) and one registry line, which each test adds as the doc says (and takes away after)."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

import stages
from conftest import AS_OF, write_config
from extending import bibtex
from extending.title_scorer import TitleScorer
from extending.webhook import Webhook, WebhookChannel
from papercast.config import load_settings
from papercast.delivery.registry import CHANNELS, ChannelKind
from papercast.errors import ConfigError
from papercast.relevance.backlog import classify_backlog
from papercast.relevance.registry import SCORERS, ScorerKind, backend_name
from papercast.sources.ingest import ingest_digests, parse_inputs, read_inbox
from papercast.sources.registry import FORMATS, Format
from papercast.store import Store

BIB = """@article{kvlite,
  title = {KV-Lite: Two-Bit Key-Value Cache Quantization},
  author = {Ada Lovelace and Grace Hopper},
  abstract = {We quantize the kv cache of long-context models to two bits.},
  eprint = {2411.01234},
}

@inproceedings{untitled,
  year = {2026},
}
"""


# -- a source format: BibTeX dropped in the inbox --------------------------------------------------------

def read_the_inbox(settings):
    files, errors = read_inbox(settings)
    return parse_inputs(files, AS_OF), errors


def test_a_new_source_format_is_one_module_and_one_registry_line(tmp_path, monkeypatch):
    settings = load_settings(write_config(tmp_path))
    (settings.paths.inbox / "lab.bib").write_text(BIB, encoding="utf-8")
    before, _ = read_the_inbox(settings)
    assert [error.message for error in before.errors] == [
        "not a recognized digest or feed (expected Daily Papers text, RSS, Atom or Hugging Face daily-papers JSON)"]

    monkeypatch.setitem(FORMATS, "bibtex", Format("bibtex", "BibTeX", bibtex.detect, bibtex.parse))  # the line

    parsed, errors = read_the_inbox(settings)
    assert errors == [] and parsed.errors == []
    with Store.of(settings) as store:
        ingested = ingest_digests(store.papers, parsed.digests, store.runs.start_run(AS_OF))
        paper = store.papers.paper("arxiv:2411.01234")
    assert [(d.papers, d.new) for d in ingested.digests] == [(1, 1)]
    assert (paper.title, paper.authors) == ("KV-Lite: Two-Bit Key-Value Cache Quantization",
                                            ("Ada Lovelace", "Grace Hopper"))
    (settings.paths.inbox / "odd.txt").write_text("nothing to see", encoding="utf-8")
    assert read_the_inbox(settings)[0].errors[0].message.endswith(
        "(expected Daily Papers text, RSS, Atom, Hugging Face daily-papers JSON or BibTeX)")  # the hint reads it too


# -- a scorer: keywords in titles only --------------------------------------------------------------------

def test_a_new_scorer_is_one_module_and_one_registry_line(tmp_path, monkeypatch):
    config = write_config(tmp_path, extra='[classify]\nbackend = "titles"\n')
    with pytest.raises(ConfigError, match=r"classify.backend: Input should be 'keywords' or 'hybrid'"):
        load_settings(config)

    monkeypatch.setitem(SCORERS, "titles", ScorerKind("titles", TitleScorer.name, lambda cache=None: TitleScorer()))

    settings = load_settings(config)
    papers = [("Pruning for quantization", "An abstract."), ("Reasoning in math", "We prune and quantize.")]
    with Store.of(settings) as store:
        run = store.runs.start_run(AS_OF)
        store.papers.ingest_digest(stages.Digest("d.txt", AS_OF, tuple(stages.Paper(t, a) for t, a in papers), "h"), run)
        classified = classify_backlog(store, settings, run)  # the configured scorer, as the flow makes it
    picks = sorted((a.profile_id, a.why) for a in classified.assignments)
    assert picks == [("efficient-llm", "title names quantization, pruning"), ("reasoning", "title names reasoning, math")]
    assert backend_name(settings) == "title-keywords"  # the run report's `classifier`


# -- a channel: a webhook posting JSON to a local server --------------------------------------------------

@pytest.fixture
def hook_server():
    """An HTTP server on 127.0.0.1 that keeps what is POSTed to it."""
    received: list[dict] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


READER = """
[[readers]]
email = "ada@example.org"
profiles = ["efficient-llm"]
channels = ["webhook"]
"""


def test_a_new_channel_is_one_module_and_one_registry_line(tmp_path, monkeypatch, hook_server):
    url, received = hook_server
    config = write_config(tmp_path, readers=READER, extra=f'[webhook]\nurl = "{url}"\n')
    with pytest.raises(ConfigError, match=r"readers\[0\].channels\[0\]: Input should be 'email' or 'feed'"):
        load_settings(config)

    monkeypatch.setitem(CHANNELS, "webhook", ChannelKind("webhook", WebhookChannel, "webhook", Webhook))  # the line

    settings = load_settings(config)
    assert settings.section(Webhook).url == url
    with Store.of(settings) as store:
        stages.ingest(store, settings, [("KV cache quantization at two bits", "We quantize.")], AS_OF)
        written = stages.plan_and_write(store, settings, AS_OF, sending=True)
        results = stages.send_pending(store, settings)
        deliveries = store.ledger.channel_deliveries(written[0].issue_id)
    assert [(r.reader, r.status) for r in results] == [("ada@example.org", "sent")]
    assert [(d.channel, d.status) for d in deliveries] == [("webhook", "sent")]
    assert received == [{"issue": written[0].issue_id, "reader": "ada@example.org", "date": "2026-11-23",
                         "sections": [{"profile": "efficient-llm", "title": "Efficient LLM inference",
                                       "papers": [{"id": written[0].papers[0], "score": 0.8647,
                                                   "why": "title mentions quantization, kv cache"}]}]}]


def test_a_channel_with_a_section_of_its_own_needs_it(tmp_path, monkeypatch):
    monkeypatch.setitem(CHANNELS, "webhook", ChannelKind("webhook", WebhookChannel, "webhook", Webhook))
    with pytest.raises(ConfigError, match=r"webhook.url: required key is missing"):
        load_settings(write_config(tmp_path, readers=READER))
    with pytest.raises(ConfigError, match=r"webhook.url: String should match pattern"):
        load_settings(write_config(tmp_path, readers=READER, extra='[webhook]\nurl = "ftp://x"\n'))
