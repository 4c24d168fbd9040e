"""A run publishes what changed: new, changed or missing edition pages, with the bounded index, profile pages
and feeds; the pages match a full rebuild, and a publish killed midway is finished by the next run."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import AS_OF, write_config
from papercast.config import load_settings
from papercast.newsletter.render import make_environment
from papercast.site.publish import MANIFEST, publish_archive
from papercast.store import Store
from stages import ingest

WEEK = [
    ("Four-bit quantization of language models", "Quantization and pruning make inference cheap."),
    ("A vision-language model for charts", "A multimodal model answers visual questions."),
    ("Chain-of-thought reasoning at small scale", "Step-by-step math reasoning in small models."),
]


def week(n: int) -> list[tuple[str, str]]:
    return [(f"{title} (week {n})", abstract) for title, abstract in WEEK]


def run_publish(store: Store, settings) -> set[str]:
    published = publish_archive(store.classification, settings, make_environment(), everything=False)
    return {p.relative_to(settings.paths.archive).as_posix() for p in published.pages}


def site_files(archive: Path) -> dict[str, bytes]:
    """Every file but the manifest, with the archive's own location (feeds' file:// base) taken out."""
    files = [p for p in sorted(archive.rglob("*")) if p.is_file() and p.relative_to(archive).as_posix() != MANIFEST]
    return {p.relative_to(archive).as_posix(): p.read_bytes().replace(archive.as_uri().encode(), b"") for p in files}


def test_each_run_writes_only_the_new_editions_and_matches_a_full_rebuild(tmp_path):
    settings = load_settings(write_config(tmp_path / "run"))
    days = [AS_OF - dt.timedelta(days=7 * n) for n in (2, 1, 0)]
    with Store.open(settings.paths.state) as store:
        ingest(store, settings, week(0), days[0])
        first = run_publish(store, settings)
        ingest(store, settings, week(1), days[1])
        second = run_publish(store, settings)
        unchanged = run_publish(store, settings)
        (settings.paths.archive / f"editions/reasoning/{days[0]}.html").unlink()  # a publish killed midway
        ingest(store, settings, week(2), days[2])
        third = run_publish(store, settings)
    editions = lambda pages: {p for p in pages if p.startswith("editions/")}  # noqa: E731
    assert editions(first) == {f"editions/{pid}/{days[0]}.html" for pid in ("efficient-llm", "multimodal", "reasoning")}
    assert editions(second) == {p.replace(str(days[0]), str(days[1])) for p in editions(first)}
    assert editions(unchanged) == set() and "index.html" in unchanged and "profiles/reasoning.html" in unchanged
    assert editions(third) == {p.replace(str(days[0]), str(days[2])) for p in editions(first)} | {
        f"editions/reasoning/{days[0]}.html"}, "the new week's pages and the one a killed publish left out"
    full = load_settings(write_config(tmp_path / "full"))
    shutil.copytree(settings.paths.state.parent, full.paths.state.parent, dirs_exist_ok=True)
    with Store.open(full.paths.state) as store:
        publish_archive(store.classification, full, make_environment())
    assert site_files(settings.paths.archive) == site_files(full.paths.archive), "the same bytes as a full rebuild"


def test_a_changed_edition_or_a_lost_manifest_is_written_again(tmp_path):
    from papercast.models import Assignment

    settings = load_settings(write_config(tmp_path))
    with Store.open(settings.paths.state) as store:
        ingest(store, settings, week(0), AS_OF)
        run_publish(store, settings)
        [paper] = [p for p in store.papers.papers_seen_between(AS_OF, AS_OF) if "vision" in p.title]
        store.classification.save_assignments([Assignment(paper.id, "multimodal", 0.99, "changed")])
        changed = run_publish(store, settings)
        (settings.paths.archive / MANIFEST).unlink()
        lost = run_publish(store, settings)
    assert {p for p in changed if p.startswith("editions/")} == {f"editions/multimodal/{AS_OF}.html"}
    assert len([p for p in lost if p.startswith("editions/")]) == 3


def test_a_changed_template_rewrites_every_edition_page(tmp_path):
    from papercast.newsletter.render import shipped_templates

    settings = load_settings(write_config(tmp_path))
    templates = tmp_path / "templates"
    shutil.copytree(shipped_templates(), templates)
    with Store.open(settings.paths.state) as store:
        ingest(store, settings, week(0), AS_OF - dt.timedelta(days=7))
        ingest(store, settings, week(1), AS_OF)
        publish_archive(store.classification, settings, make_environment(templates), everything=False)
        page = templates / "edition.html.j2"
        page.write_text(page.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
        again = publish_archive(store.classification, settings, make_environment(templates), everything=False)
    assert len([p for p in again.pages if "editions" in p.parts]) == 6


def test_compiled_files_beside_the_templates_do_not_stop_a_publish(tmp_path):
    """The shipped templates folder is a Python package: its __pycache__ holds bytes that are not templates."""
    templates = tmp_path / "templates"
    shutil.copytree(make_environment().loader.searchpath[0], templates)
    (templates / "__pycache__").mkdir(exist_ok=True)
    (templates / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\xa7\r\r\n\x00\xff")
    settings = load_settings(write_config(tmp_path / "run"))
    with Store.open(settings.paths.state) as store:
        ingest(store, settings, week(1), AS_OF)
        published = publish_archive(store.classification, settings, make_environment(templates), everything=False)
    assert any(p.name == "index.html" for p in published.pages)
