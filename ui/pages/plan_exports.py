"""导出 Excel and 打印 PDF of 年度抽查计划: a plan's 《XX年度行政执法检查计划表》 written where the clerk chooses
(or to a given path) and noted as 导出 in the audit trail."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.audit import record_event
from app.forms.errors import PrintingError
from app.plans import PlanLine, plan_rows
from db.engine import transaction
from ui import feedback
from ui.context import AppContext

__all__ = ["export_plan_table"]

log = logging.getLogger(__name__)


def export_plan_table(
    parent: QWidget,
    context: AppContext,
    plan: PlanLine,
    year: int,
    path: str | Path | None,
    suffix: str,
    what: str,
) -> Path | None:
    """``plan``'s table of ``year`` as ``suffix`` (xlsx or pdf) at ``path``, or where the clerk chooses when
    ``path`` is None; None when cancelled or not written (the clerk is told why, over ``parent``)."""
    if path is None:
        name = f"{plan.title}.{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, f"{what}：{plan.title}", name, f"{what} (*.{suffix})"
        )
        if not chosen:
            return None
        path = chosen
    from app.forms.plan_table import write_plan_table_pdf, write_plan_table_xlsx  # reportlab, openpyxl

    with context.database.sessions() as session:
        rows = plan_rows(session, plan.plan_id)
    write = write_plan_table_xlsx if suffix == "xlsx" else write_plan_table_pdf
    try:
        written = write(rows, path, year=year, unit=plan.department, date=dt.date.today())
    except PrintingError as exc:
        feedback.error(parent, f"{what}未能生成：{exc.message_zh}", title=what)
        return None
    except OSError as exc:
        log.warning("plan table %s not written to %s: %s", plan.plan_id, path, exc)
        feedback.error(parent, f"{what}未能写入“{path}”：{exc.strerror or exc}", title=what)
        return None
    with transaction(context.database.sessions) as session:
        record_event(
            session,
            "导出",
            "年度抽查计划",
            plan.plan_id,
            f"导出计划表“{Path(written).name}”：{plan.title}",
        )
    context.status_message.emit(f"计划表已导出：{written}")
    return written
