"""Long jobs behind the progress dialog: a failure comes back as the exception, and leaves nothing behind."""

from __future__ import annotations

import gc

import pytest

from ui import jobs
from ui.jobs import run_with_progress


def _live_bridges() -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, jobs._Bridge))


def test_a_failed_job_is_freed_at_once_not_by_the_garbage_collector() -> None:
    """Had the failed job's dialog, thread and worker waited in a reference cycle, the cyclic collector could
    free them later from another job's worker thread, destroying Qt objects in the wrong thread (a crash)."""

    def fail(progress: jobs.ProgressFn) -> None:
        progress("第一步", 0.5)
        raise ValueError("数据不对")

    gc.collect()
    before = _live_bridges()
    gc.disable()
    try:
        for _ in range(3):
            with pytest.raises(ValueError, match="数据不对") as caught:
                run_with_progress(None, "测试任务", fail)
            assert "fail" in str(caught.traceback[-1].name), "the worker's traceback is kept for the log"
            del caught
        assert _live_bridges() == before
    finally:
        gc.enable()
