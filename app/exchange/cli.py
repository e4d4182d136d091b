"""`python -m app package export|show|import` — 数据包 on the command line.

* ``export --department CODE (--year Y | --half Y-H | --quarter Y-Q | --from DATE --to DATE) FILE``: exit 0
  written, 1 refused (e.g. a draw without its record), 2 unusable arguments, database or file;
* ``show FILE``: the verification report; exit 0 valid, 1 invalid (each problem listed), 2 unreadable;
* ``import FILE [--accept-new-key]``: exit 0 imported or recognised as a duplicate, 1 refused (nothing
  written), 2 unusable arguments, database or file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.reports.period import Period

from app.console import err as _err
from app.console import open_or_report
from app.console import progress_printer as _progress
from app.console import say as _say

__all__ = ["parse_period", "run_export", "run_import", "run_show"]

_HALF = re.compile(r"(\d{4})-?[Hh]?([12])")
_QUARTER = re.compile(r"(\d{4})-?[Qq]?([1-4])")


def parse_period(
    year: int | None, half: str | None, quarter: str | None, start: str | None, end: str | None
) -> Period:
    """The :class:`~app.reports.period.Period` the options name; ValueError (Chinese) when they do not."""
    from app.reports.errors import ReportInputError
    from app.reports.period import Period

    given = [year is not None, half is not None, quarter is not None, start is not None or end is not None]
    if sum(given) != 1:
        raise ValueError("请用 --year、--half、--quarter 或 --from/--to 中的一种指定统计期间")
    try:
        if year is not None:
            return Period.year(year)
        if half is not None:
            match = _HALF.fullmatch(half.strip())
            if match is None:
                raise ValueError(
                    f"--half 应写作 年-半年，如 2026-1（上半年）或 2026-2（下半年），当前为 {half!r}"
                )
            return Period.half(int(match.group(1)), int(match.group(2)))
        if quarter is not None:
            match = _QUARTER.fullmatch(quarter.strip())
            if match is None:
                raise ValueError(f"--quarter 应写作 年-季度，如 2026-3，当前为 {quarter!r}")
            return Period.quarter(int(match.group(1)), int(match.group(2)))
        if start is None or end is None:
            raise ValueError("--from 和 --to 须同时给出")
        try:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except ValueError:
            raise ValueError(f"日期应写作 YYYY-MM-DD，当前为 {start!r} 和 {end!r}") from None
        return Period.between(first, last)
    except ReportInputError as exc:
        raise ValueError(exc.message_zh) from None


def run_export(department: str, period: Period, file: Path, db_location: str) -> int:
    from sqlalchemy import select

    from app.exchange.errors import ExportFileError, ExportRefusedError
    from app.exchange.export import export_package
    from db.models import Department

    database = open_or_report(db_location)
    if database is None:
        return 2
    try:
        with database.sessions() as session:
            department_id = session.scalar(select(Department.id).where(Department.code == department.strip()))
            if department_id is None:
                codes = "、".join(session.scalars(select(Department.code).order_by(Department.sort_order)))
                _err(f"错误：部门代码“{department}”不存在。本数据库中的部门代码：{codes or '无'}")
                return 2
            summary = export_package(session, department_id, period, file, progress=_progress())
    except ExportFileError as exc:
        _err(f"错误：{exc.message_zh}")
        return 2
    except ExportRefusedError as exc:
        _say(f"导出被拒绝：{exc.message_zh}")
        return 1
    finally:
        database.close()
    for line in summary.lines():
        _say(line)
    return 0


def run_show(file: Path) -> int:
    from app.exchange.reading import inspect_package

    report = inspect_package(file, progress=_progress())
    for line in report.lines():
        _say(line)
    return report.exit_code


def run_import(file: Path, db_location: str, *, accept_new_key: bool = False) -> int:
    from app.exchange.errors import (
        ImportRefusedError,
        KeyChangedError,
        PackageInvalidError,
        PackageUnreadableError,
    )
    from app.exchange.importing import import_package

    database = open_or_report(db_location)
    if database is None:
        return 2
    try:
        with database.sessions() as session:
            outcome = import_package(session, file, accept_new_key=accept_new_key, progress=_progress())
    except PackageUnreadableError as exc:
        _err(f"错误：{exc.message_zh}")
        return 2
    except PackageInvalidError as exc:
        _say(exc.message_zh)
        if len(exc.problems) > 1:
            _say("发现的问题：")
            for n, problem in enumerate(exc.problems, start=1):
                _say(f"  {n}. {problem}")
        return 1
    except ImportRefusedError as exc:
        _say(exc.message_zh)
        if isinstance(exc, KeyChangedError):
            _say("（命令行：核对无误后加 --accept-new-key 重新导入。）")
        return 1
    finally:
        database.close()
    if outcome.duplicate:
        _say(f"重复的数据包：{outcome.message}")
    else:
        _say(f"已导入（编号 {outcome.package_id}）：{outcome.message}")
        _say(f"发送部门密钥指纹：{outcome.fingerprint}")
    return 0
