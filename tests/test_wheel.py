"""Installed as a user installs it: the wheel, in a fresh virtual environment outside the repository.

The wheel must carry everything a first run needs (flows, templates, the starter config, the
example digests) under the one import name `papercast`, and `papercast init` + `papercast run`
must work from any other folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(out), str(PROJECT)],
                           check=True, capture_output=True, text=True, timeout=600)
    noise = [line for line in (built.stdout + built.stderr).splitlines() if "Warning" in line]
    assert noise == [], f"the build warns: {noise[:3]}"  # e.g. a data folder not declared as package data
    return next(out.glob("papercast-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv (outside the repository) with the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    result = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return venv


def test_the_wheel_adds_one_import_name_and_carries_what_a_first_run_needs(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names}
    assert {name for name in top if not name.endswith(".dist-info")} == {"papercast"}
    for needed in ("papercast/flows/newsletter.py", "papercast/templates/newsletter.html.j2",
                   "papercast/starter/papercast.toml", "papercast/examples/digests/2026-11-16-daily-papers.txt",
                   "papercast/relevance/minilm-vocab.txt"):
        assert needed in names, needed


def test_init_then_run_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PYTHON", "VIRTUAL_ENV"))}
    papercast = str(installed / "bin" / "papercast")
    init = subprocess.run([papercast, "init", str(tmp_path / "papers")], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    again = subprocess.run([papercast, "init", str(tmp_path / "papers")], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "never overwrites" in again.stderr
    run = subprocess.run([papercast, "run", "--config", str(tmp_path / "papers" / "papercast.toml"), "--json"],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["new_papers"] == 14 and len(report["newsletters"]) == 4
    assert all(Path(n["eml"]).is_file() and str(tmp_path / "papers") in n["eml"] for n in report["newsletters"])
    assert (tmp_path / "papers" / "archive" / "index.html").is_file()
    leaked = subprocess.run([str(installed / "bin" / "python"), "-c", "import flows"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert leaked.returncode != 0, "the wheel must not install a top-level `flows` module"
