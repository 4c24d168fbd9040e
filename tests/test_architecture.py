"""The core never imports Prefect: flows wire, the core computes."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import papercast
from conftest import PROJECT


def test_core_modules_import_without_prefect():
    modules = [m.name for m in pkgutil.walk_packages(papercast.__path__, "papercast.") if m.name != "papercast.cli"]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "leaked = sorted(m for m in sys.modules if m == 'prefect' or m.startswith('prefect.'))\n"
            "print(','.join(leaked))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 10
    assert result.stdout.strip() == "", f"core modules imported prefect: {result.stdout}"
