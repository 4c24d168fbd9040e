"""The garbage collector during a stage: what existed is frozen, collections are fewer, and afterwards
everything is as it was, so a process that lives on (papercast serve) frees what the stage left."""

from __future__ import annotations

import gc
import weakref

import pytest

from papercast.heap import STAGE_THRESHOLDS, frozen_heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_a_stage_leaves_what_existed_out_of_collections_and_restores_the_collector():
    before = gc.get_threshold()
    old = Node()
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == STAGE_THRESHOLDS
        gone = weakref.ref(old)
        del old
        gc.collect()
        assert gone() is not None, "frozen during the stage: not collected"
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    gc.collect()
    assert gone() is None, "after the stage the cycle is freed"


def test_a_failing_stage_restores_the_collector_too():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("stage failed")
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_what_a_stage_makes_is_still_collected_within_it():
    with frozen_heap():
        made = Node()
        gone = weakref.ref(made)
        del made
        gc.collect()
        assert gone() is None


def test_overlapping_stages_restore_the_collector_only_when_the_last_ends():
    """Two runs in one process (papercast serve): the first stage to end must not thaw the other's."""
    before = gc.get_threshold()
    first, second = frozen_heap(), frozen_heap()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_freeze_count() > 0 and gc.get_threshold() == STAGE_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
