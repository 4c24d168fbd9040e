"""Whether the weekly flow's caller wants the run report back in Prefect's `quote`.

The CLI does: Prefect then does not walk the report's newsletters looking for futures (3.3 s for
10,000). A deployment or a direct call gets the report as it is. This is not a flow parameter, so
deployments and the UI's custom run never see it; and it lives in its own module, so the flow module's
globals that Dask pickles with a task hold no context variable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

QUOTED_REPORT: ContextVar[bool] = ContextVar("papercast_quoted_report", default=False)


@contextlib.contextmanager
def report_quoted() -> Iterator[None]:
    """Within this block, the weekly flow called here returns its report quoted (unwrap it)."""
    token = QUOTED_REPORT.set(True)
    try:
        yield
    finally:
        QUOTED_REPORT.reset(token)


def quoted_report_wanted() -> bool:
    return QUOTED_REPORT.get()
