"""Hypothesis profiles for the fuzz tests, applied per test (never globally).

`papercast-ci` (the default) keeps `.ci/run` fast and deterministic; set
PAPERCAST_FUZZ=papercast-deep for a long random search, e.g.
`PAPERCAST_FUZZ=papercast-deep .venv/bin/python -m pytest tests/test_fuzz_parsers.py -q`.
A deadline of 10 s per example is the hang detector, not a speed target.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings

COMMON = dict(deadline=dt.timedelta(seconds=10), print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("papercast-ci", max_examples=40, derandomize=True, database=None, **COMMON)
settings.register_profile("papercast-deep", max_examples=3000, **COMMON)


def fuzz_settings(scale: float = 1.0) -> settings:
    """The chosen profile; `scale` shrinks the example count for expensive properties."""
    profile = settings.get_profile(os.environ.get("PAPERCAST_FUZZ", "papercast-ci"))
    return settings(profile, max_examples=max(5, int(profile.max_examples * scale)))
