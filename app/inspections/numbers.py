"""Document numbers of the 执法检查登记表: 文书编号 from a per-year, per-department counter, and 档案号.

* 文书编号 — the ``doc_no_pattern`` setting (default ``〔{year}〕{dept_short}检字第{seq:04d}号``); ``year`` is
  the year of the 检查日期, ``dept_short`` the lead department's 简称, ``seq`` the next value of that
  department's counter for that year (``DocumentCounter``, series ``检查文书``);
* 档案号 (一次一档) — :data:`ARCHIVE_NO_PATTERN`: task year, department 简称, task code and the object's
  抽中顺序号, e.g. ``2026-示市监-RW-2026-0003-007``. It needs no counter: task code and order are unique.

The counter moves inside the transaction that stores the number, so a rolled-back filing takes its number
back and the series has no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.inspections.common import department_short, get_inspection, require_draft
from app.inspections.errors import DocumentNumberError, InspectionInputError
from app.settings import load_settings
from app.tasks.common import unit_of_work
from db.models import DocumentCounter, Inspection

DOC_SERIES = "检查文书"
"""``DocumentCounter.series`` of the 文书编号 of 执法检查登记表."""
ARCHIVE_NO_PATTERN = "{year}-{dept_short}-{task_code}-{order:03d}"
"""档案号 of one inspection (一次一档)."""


@dataclass(frozen=True)
class DocNumbers:
    """The 文书编号 and 档案号 of one inspection."""

    inspection_id: int
    doc_no: str
    archive_no: str


def next_serial(session: Session, series: str, year: int, department_id: int) -> int:
    """Take the next number of ``series`` for ``year`` and department, inside the caller's transaction.

    Never commits: the caller's commit keeps the number, its rollback returns it. The UPDATE comes first so
    that the row is locked (PostgreSQL) or the database write-locked (SQLite) before the value is read.
    """
    where = (
        DocumentCounter.series == series,
        DocumentCounter.year == year,
        DocumentCounter.department_id == department_id,
    )
    moved = session.execute(
        update(DocumentCounter).where(*where).values(next_value=DocumentCounter.next_value + 1),
        execution_options={"synchronize_session": False},
    )
    if getattr(moved, "rowcount", 0) == 0:
        session.add(DocumentCounter(series=series, year=year, department_id=department_id, next_value=2))
        session.flush()
        return 1
    value = session.scalar(select(DocumentCounter.next_value).where(*where))
    assert value is not None
    return value - 1


def format_doc_no(pattern: str, year: int, dept_short: str, seq: int) -> str:
    """A 文书编号 from the pattern setting, or :class:`DocumentNumberError` for an unusable pattern."""
    try:
        return pattern.format(year=year, dept_short=dept_short, seq=seq)
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise DocumentNumberError(
            f"文书编号格式设置“{pattern}”无效（{exc}），请在系统设置中修改；可用占位符：{{year}}、{{dept_short}}、{{seq:04d}}"
        ) from None


def archive_no(inspection: Inspection) -> str:
    """The 档案号 of an inspection (deterministic; see :data:`ARCHIVE_NO_PATTERN`)."""
    task = inspection.task
    return ARCHIVE_NO_PATTERN.format(
        year=task.year,
        dept_short=department_short(task.department),
        task_code=task.code,
        order=inspection.assignment.order_no,
    )


def number_inspection(session: Session, inspection: Inspection) -> DocNumbers:
    """Give ``inspection`` its 文书编号 and 档案号 if it has none yet, inside the caller's transaction."""
    if inspection.doc_no and inspection.archive_no:
        return DocNumbers(inspection.id, inspection.doc_no, inspection.archive_no)
    if inspection.inspection_date is None:
        raise InspectionInputError("请先填写检查日期：文书编号按检查日期所在年度编排")
    if not inspection.doc_no:
        task = inspection.task
        year = inspection.inspection_date.year
        pattern = load_settings(session).doc_no_pattern
        format_doc_no(pattern, year, "", 1)  # a bad pattern fails before the counter moves
        seq = next_serial(session, DOC_SERIES, year, task.department_id)
        doc_no = format_doc_no(pattern, year, department_short(task.department), seq)
        taken = session.scalar(
            select(func.count()).select_from(Inspection).where(Inspection.doc_no == doc_no)
        )
        if taken:
            raise DocumentNumberError(
                f"文书编号“{doc_no}”已被其他登记表使用；请检查文书编号格式设置是否含有年度和序号（{{seq:04d}}）"
            )
        inspection.doc_no = doc_no
    if not inspection.archive_no:
        inspection.archive_no = archive_no(inspection)
    try:
        session.flush()
    except IntegrityError:
        raise DocumentNumberError("另一处同时在编排文书编号，请稍后重试") from None
    assert inspection.doc_no is not None and inspection.archive_no is not None
    return DocNumbers(inspection.id, inspection.doc_no, inspection.archive_no)


def assign_doc_no(session: Session, inspection_id: int) -> DocNumbers:
    """Give a draft form its 文书编号 and 档案号 now (its own transaction); :func:`file_inspection` does this
    anyway, so call it only to print a numbered form before filing. Returns the existing numbers when the
    form already has them; needs the 检查日期 (its year is the number's year)."""
    with unit_of_work(session):
        inspection = get_inspection(session, inspection_id)
        if not (inspection.doc_no and inspection.archive_no):
            require_draft(inspection)
        numbers = number_inspection(session, inspection)
    return numbers
