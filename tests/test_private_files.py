"""Private by default on disk: the state (and its WAL and SHM files) 0600, its folder and the archive's
private folders (newsletters/, outbox/, reports/) 0700, on a fresh install and on an older one whose
files were made world-readable, after its next run. Real files, real SQLite, the core stages."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from conftest import AS_OF
from papercast.settings import Settings
from papercast.preflight import preflight
from papercast.store import Store
from webapp import build_site

DIGEST = "001_0b28249de3011a72.txt"
PRIVATE_FOLDERS = ("newsletters", "outbox", "reports")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def state_files(settings: Settings) -> list[Path]:
    state = settings.paths.state
    files = [state, state.with_name(state.name + "-wal"), state.with_name(state.name + "-shm")]
    return [path for path in files if path.exists()]


def assert_private(settings: Settings) -> None:
    with Store.of(settings):  # an open state has its WAL and SHM files
        files = state_files(settings)
        assert len(files) == 3
        assert {str(p): oct(mode(p)) for p in files} == {str(p): "0o600" for p in files}
    archive = settings.paths.archive
    folders = [settings.paths.state.parent, *(archive / name for name in PRIVATE_FOLDERS),
               *(archive / "newsletters").iterdir()]
    assert {str(f): oct(mode(f)) for f in folders} == {str(f): "0o700" for f in folders}
    assert mode(archive) & 0o055 == 0o055 and mode(archive / "editions") & 0o055 == 0o055  # the public site


@pytest.fixture
def site(tmp_path, shared_digests, monkeypatch):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", "a-secret-for-the-private-files-test")
    return build_site(tmp_path, "http://127.0.0.1:1/", shared_digests / DIGEST)


def test_a_new_install_keeps_the_state_and_the_readers_folders_private(site):
    assert_private(site.settings)


def test_an_existing_install_is_made_private_by_its_next_run(site):
    settings = site.settings
    for path in state_files(settings):
        path.chmod(0o644)
    folders = [settings.paths.state.parent, *(settings.paths.archive / name for name in PRIVATE_FOLDERS)]
    for folder in folders + list((settings.paths.archive / "newsletters").iterdir()):
        folder.chmod(0o755)
    with preflight(str(settings.source_file)):  # how every run starts (CLI, flow, serve)
        pass
    assert_private(settings)


def test_opening_the_state_alone_makes_it_private(site):
    settings = site.settings
    for path in state_files(settings):
        path.chmod(0o644)
    settings.paths.state.parent.chmod(0o755)
    with Store.of(settings) as store:
        store.check()
    assert all(mode(path) == 0o600 for path in state_files(settings))
    assert mode(settings.paths.state.parent) == 0o700


def test_a_state_folder_shared_with_other_files_keeps_its_mode(tmp_path):
    state = tmp_path / "shared" / "papercast.sqlite"
    state.parent.mkdir()
    (state.parent / "notes.txt").write_text("the operator's own file")
    with Store.open(state) as store:
        store.runs.start_run(AS_OF)
    assert mode(state.parent) == 0o755 and mode(state) == 0o600
