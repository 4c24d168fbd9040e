"""The classify stage's progress: after each chunk to a callback, and as lines on stderr for long backlogs."""

from __future__ import annotations

import io

from conftest import AS_OF, write_config
from stages import keywords

from papercast.config import load_settings
from papercast.models import Digest, Paper
from papercast.relevance.progress import ProgressLines, progress_line
from papercast.relevance.backlog import ClassifyProgress, classify_backlog
from papercast.store import Store


def stored_backlog(tmp_path, papers: int):
    """A state holding `papers` new papers, none classified; returns (store, settings, run id)."""
    settings = load_settings(write_config(tmp_path))
    store = Store.of(settings)
    run = store.runs.start_run(AS_OF)
    titles = tuple(Paper(f"Quantization study {i}", f"We prune and distill model {i}.") for i in range(papers))
    store.papers.ingest_digest(Digest("d.txt", AS_OF, titles, content_hash="d"), run)
    return store, settings, run


def test_the_stage_reports_each_chunk_against_what_was_owed(tmp_path):
    store, settings, run = stored_backlog(tmp_path, 35)
    seen: list[ClassifyProgress] = []
    with store:
        classify_backlog(store, settings, run, chunk=10, scorer_for=keywords, on_progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(10, 35), (20, 35), (30, 35), (35, 35)]
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen)


def test_a_resumed_backlog_counts_only_the_papers_still_owed(tmp_path):
    store, settings, run = stored_backlog(tmp_path, 25)
    with store:
        classify_backlog(store, settings, run, chunk=10, scorer_for=keywords)
        more = tuple(Paper(f"Pruning note {i}", "Sparse models.") for i in range(12))
        store.papers.ingest_digest(Digest("e.txt", AS_OF, more, content_hash="e"), run)
        seen: list[ClassifyProgress] = []
        classify_backlog(store, settings, run, chunk=10, scorer_for=keywords, on_progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(10, 12), (12, 12)]


def test_progress_lines_go_to_stderr_and_never_to_stdout(tmp_path, capsys):
    store, settings, run = stored_backlog(tmp_path, 35)
    with store:
        classify_backlog(
            store, settings, run, chunk=10, scorer_for=keywords, on_progress=ProgressLines(quiet_for=0, every=0)
        )
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert [line.split(" papers")[0] for line in lines] == [
        "classify: 10 of 35", "classify: 20 of 35", "classify: 30 of 35", "classify: 35 of 35"
    ]
    assert "left)" in lines[0] and "done in" in lines[-1]


def test_a_short_stage_prints_nothing(tmp_path, capsys):
    store, settings, run = stored_backlog(tmp_path, 35)
    with store:
        classify_backlog(store, settings, run, chunk=10, scorer_for=keywords, on_progress=ProgressLines())
    assert capsys.readouterr() == ("", "")


def test_lines_start_after_the_quiet_spell_and_are_spaced_out():
    stream = io.StringIO()
    lines = ProgressLines(stream, quiet_for=2, every=5)
    for second in range(1, 14):
        lines(ClassifyProgress(done=100 * second, total=1_300, elapsed=second))
    written = stream.getvalue().splitlines()
    assert [line.split(" of")[0] for line in written] == [
        "classify: 200", "classify: 700", "classify: 1,200", "classify: 1,300"
    ]
    assert written[-1] == "classify: 1,300 of 1,300 papers (100/s, done in 13 s)"


def test_the_line_gives_count_rate_and_time_left():
    assert progress_line(ClassifyProgress(3_100, 6_104, 67.4)) == "classify: 3,100 of 6,104 papers (46/s, about 65 s left)"
    assert progress_line(ClassifyProgress(600, 6_104, 20.0)) == "classify: 600 of 6,104 papers (30/s, about 3 min left)"
