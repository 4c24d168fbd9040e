"""The code keeps its habits: papercast/ and flows/ are formatted by ruff, lint-free under ruff's rules and
type-checked by mypy, all as pyproject.toml configures them; a formatting, lint or type error fails here (and so
in the fast lane and in .ci/run)."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, timeout=600)


def test_the_code_is_formatted():
    result = run(sys.executable, "-m", "ruff", "format", "--check", "--diff", "papercast", "flows")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_code_is_lint_free():
    result = run(sys.executable, "-m", "ruff", "check", "--output-format", "concise", "papercast", "flows")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_code_type_checks():
    """mypy over papercast/ and flows/ as they install (flows/ is papercast.flows): scripts/typecheck."""
    result = run("bash", str(PROJECT / "scripts" / "typecheck"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout
