"""Shared helpers of the task services: one transaction per step, look-ups with Chinese errors, settings."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from app.tasks.errors import NotFoundError, TaskSpecError
from db.models import Draw, InspectionTask, Setting

ANNUAL_CAP_SETTING = "tasks.annual_cap_per_object"
"""Setting key: the most times one object may be drawn in a year when the task's plan row sets no 频次上限."""
DEFAULT_ANNUAL_CAP = 2


@contextmanager
def unit_of_work(session: Session) -> Iterator[None]:
    """Run one service step as its own transaction: commit on success, roll back everything on failure.

    The session should carry no unrelated pending changes: they would be committed or discarded with the step.
    """
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def get_task(session: Session, task_id: int) -> InspectionTask:
    """The task, or :class:`NotFoundError`."""
    task = session.get(InspectionTask, task_id)
    if task is None:
        raise NotFoundError(f"抽查任务不存在（编号 {task_id}）")
    return task


def get_draw(session: Session, draw_id: int) -> Draw:
    """The draw attempt, or :class:`NotFoundError`."""
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFoundError(f"摇号记录不存在（编号 {draw_id}）")
    return draw


def annual_cap_setting(session: Session) -> int:
    """The per-object annual cap used when a task's plan row gives none (default 2)."""
    row = session.get(Setting, ANNUAL_CAP_SETTING)
    if row is None or not isinstance(row.value, int) or isinstance(row.value, bool) or row.value < 1:
        return DEFAULT_ANNUAL_CAP
    return row.value


def set_annual_cap_setting(session: Session, limit: int) -> None:
    """Store the per-object annual cap setting (its own transaction)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise TaskSpecError(f"年度抽中次数上限应为正整数，当前为 {limit!r}")
    with unit_of_work(session):
        row = session.get(Setting, ANNUAL_CAP_SETTING)
        if row is None:
            session.add(Setting(key=ANNUAL_CAP_SETTING, value=limit))
        else:
            row.value = limit


def check_text(value: str, what: str, max_length: int, *, required: bool = True) -> str:
    """``value`` stripped, single-line and within the column length, else :class:`TaskSpecError`."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise TaskSpecError(f"{what}不能为空")
    if any(ch in text for ch in "\t\r\n"):
        raise TaskSpecError(f"{what}不能含有换行符或制表符")
    if len(text) > max_length:
        raise TaskSpecError(f"{what}过长（最多 {max_length} 个字符）")
    return text


def one_line(text: str | None) -> str:
    """Free text (a reason, a name) as one NFC line: runs of whitespace, TAB and line breaks become one space."""
    return unicodedata.normalize("NFC", " ".join((text or "").split()))
