"""The corpus of real-world breakage (tests/data/bad/manifest.toml): each case has the outcome it promises.

Inputs go through the same core the flow uses (`parse_inputs`), configs through
`load_settings` and the CLI; one real Prefect run takes the whole corpus at once
and must complete, skipping only the unusable files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import AS_OF, digest_text, write_config
from papercast.jsonable import jsonable
from papercast.cli import main
from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.sources.ingest import parse_inputs
from papercast.sources.inbox import InputFile

BAD = Path(__file__).parent / "data" / "bad"
CORPUS_RUN_CAP = 150  # papers kept from the 50 MB file in the flow run, so classifying them stays quick
CASES = tomllib.loads((BAD / "manifest.toml").read_text(encoding="utf-8"))["case"]
INPUT_CASES = [c for c in CASES if c["outcome"] in ("ok", "warning", "file-error")]
CONFIG_CASES = [c for c in CASES if c["outcome"] == "config-error"]
RUN_CASES = [c for c in CASES if c["outcome"] == "run-error"]
ABSTRACT = ("We study how a language model can be made to reason about long documents while using little memory. "
            "The method compresses the cache, keeps accuracy on eight benchmarks, and doubles throughput on one GPU.")


def case_id(case: dict) -> str:
    return case["file"]


def huge_digest(size: int) -> bytes:
    """A runaway export: a real-looking digest of distinct papers, `size` bytes or a little more."""
    paper = "Paper {i} on compressing caches for long-context reasoning\n\n" + ABSTRACT + " Run {i}.\n\n"
    count = size // len(paper.format(i=10**6)) + 1
    body = "".join(paper.format(i=i) for i in range(count))
    return digest_text("Nov 20", []).encode() + body.encode()


def input_for(case: dict, folder: Path) -> Path:
    """The case's file: from the corpus, or generated into `folder` when too big to commit."""
    if case.get("generate") == "50MB":
        path = folder / case["file"]
        path.write_bytes(huge_digest(50 * 1024 * 1024))
        return path
    return BAD / case["file"]


def test_the_manifest_covers_every_file_in_the_corpus():
    listed = {c["file"] for c in CASES if "generate" not in c}
    on_disk = {p.name for p in BAD.iterdir() if p.name != "manifest.toml"}
    assert listed == on_disk
    assert {c["outcome"] for c in CASES} == {"ok", "warning", "file-error", "config-error", "run-error"}


@pytest.mark.parametrize("case", INPUT_CASES, ids=case_id)
def test_each_bad_input_has_its_promised_outcome(case, tmp_path):
    path = input_for(case, tmp_path)
    parsed = parse_inputs([InputFile(str(path), path.read_bytes())], AS_OF)
    messages = [p.message for p in parsed.warnings + parsed.errors]
    assert all(p.source == str(path) for p in parsed.warnings + parsed.errors), "every problem names the file"
    if case["outcome"] == "file-error":
        assert parsed.digests == [] and len(parsed.errors) == 1
        assert case["message"] in parsed.errors[0].message
        return
    assert parsed.errors == [] and len(parsed.digests) == 1
    assert len(parsed.digests[0].papers) == case["papers"]
    if case["outcome"] == "ok":
        assert parsed.warnings == []
    else:
        assert any(case["message"] in m for m in messages), messages


@pytest.mark.parametrize("case", CONFIG_CASES, ids=case_id)
def test_each_bad_config_is_refused_naming_file_and_key(case, tmp_path):
    config = shutil.copy(BAD / case["file"], tmp_path / case["file"])
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    line = caught.value.one_line()
    assert case["message"] in line and str(Path(config).resolve()) in line and "\n" not in line


@pytest.mark.parametrize("case", CONFIG_CASES + RUN_CASES, ids=case_id)
def test_the_cli_says_one_line_and_exits_1(case, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PAPERCAST_TEST_PASSWORD_NOT_SET", raising=False)
    config = shutil.copy(BAD / case["file"], tmp_path / case["file"])
    code = main(["run", "--config", str(config), "--as-of", AS_OF.isoformat(), "--json", *case.get("args", [])])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("papercast: error: ") and case["message"] in lines[0]
    assert not (tmp_path / "archive").exists() and not (tmp_path / "state").exists(), "nothing ran"


@pytest.fixture(scope="module")
def corpus_run(prefect_harness, tmp_path_factory):
    """One real flow run over the whole corpus plus one good digest, then a rerun."""
    from papercast.flows.newsletter import weekly_newsletter

    folder = tmp_path_factory.mktemp("corpus")
    config = write_config(folder, extra=f"[limits]\nmax_papers_per_digest = {CORPUS_RUN_CAP}\n"
                          "[classify]\nbackend = \"keywords\"\n")
    for case in INPUT_CASES:
        shutil.copy(input_for(case, folder), folder / "inbox" / case["file"])
    good = [(f"Chain-of-thought reasoning in small models, part {i}", ABSTRACT) for i in range(3)]
    (folder / "inbox" / "good.txt").write_text(digest_text("Nov 21", good), encoding="utf-8")
    first = jsonable(weekly_newsletter(str(config), AS_OF))
    return folder, first, jsonable(weekly_newsletter(str(config), AS_OF + dt.timedelta(days=7)))


def test_a_run_over_the_whole_corpus_completes_and_skips_only_unusable_files(corpus_run):
    folder, first, _ = corpus_run
    failing = {str(folder / "inbox" / c["file"]) for c in INPUT_CASES if c["outcome"] == "file-error"}
    assert {e["source"] for e in first["errors"]} == failing
    used = {d["source"] for d in first["digests"]}
    assert str(folder / "inbox" / "good.txt") in used and not used & failing
    assert first["new_papers"] >= 3 + CORPUS_RUN_CAP  # the 50 MB file, capped by [limits]
    assert any("max_papers_per_digest" in w["message"] for w in first["warnings"])
    warned = {w["source"] for w in first["warnings"]}
    assert {str(folder / "inbox" / c["file"]) for c in INPUT_CASES if c["outcome"] == "warning"} <= warned


def test_a_rerun_over_the_corpus_loses_and_repeats_nothing(corpus_run):
    _, first, rerun = corpus_run
    assert rerun["new_papers"] == 0 and rerun["newsletters"] == []
    assert all(d["already_ingested"] for d in rerun["digests"])
    assert len(rerun["digests"]) == len(first["digests"]) and len(rerun["errors"]) == len(first["errors"])
