"""Settings kept in the database (so every PC reading the same database agrees), with defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission, require
from app.errors import UserFacingError
from db.models import Setting


class SettingsError(UserFacingError, ValueError):
    """A setting value the user typed is not acceptable; message_zh names the field."""


OWN_DEPARTMENT_MAX = 100  # as a department's name (部门名称)


@dataclass(frozen=True)
class BureauSettings:
    """The settings clerks see on the 系统设置 page."""

    bureau_name: str = "示范县行政执法局"  # shown in the window title and form headers
    county_name: str = "示范县"
    form_deadline_workdays: int = 7  # 执法检查登记表 within N working days of the inspection
    publication_deadline_workdays: int = 7  # 公示 within N working days of the task's end
    doc_no_pattern: str = "〔{year}〕{dept_short}检字第{seq:04d}号"  # 文书编号
    # 本机所属部门: the department (by name, as in 系统设置 → 部门) this installation works for; set by the
    # first-run setup, "" on databases made before it. Data exchanged between departments names it as sender.
    own_department: str = ""

    LABELS = {
        "bureau_name": "单位名称",
        "county_name": "县（区）名称",
        "form_deadline_workdays": "登记表期限（工作日）",
        "publication_deadline_workdays": "公示期限（工作日）",
        "doc_no_pattern": "文书编号格式",
        "own_department": "本机所属部门",
    }

    def validated(self) -> BureauSettings:
        """Return self, or raise SettingsError naming the first bad field."""
        if not self.bureau_name.strip():
            raise SettingsError("单位名称不能为空。")
        if not self.county_name.strip():
            raise SettingsError("县（区）名称不能为空。")
        for name in ("form_deadline_workdays", "publication_deadline_workdays"):
            value = getattr(self, name)
            if not 1 <= value <= 60:
                raise SettingsError(f"{self.LABELS[name]}应在 1 到 60 之间，当前为 {value}。")
        try:
            self.doc_no_pattern.format(year=2026, dept_short="示", seq=1)
        except (KeyError, ValueError, IndexError) as exc:
            raise SettingsError(
                f"文书编号格式无效：{exc}。可用占位符：{{year}}、{{dept_short}}、{{seq:04d}}。"
            ) from exc
        if len(self.own_department.strip()) > OWN_DEPARTMENT_MAX:
            raise SettingsError(f"{self.LABELS['own_department']}名称过长（最多 {OWN_DEPARTMENT_MAX} 字）。")
        return self


_KEYS = [f.name for f in fields(BureauSettings)]


def load_settings(session: Session) -> BureauSettings:
    """The stored settings, with defaults for anything never set."""
    stored: dict[str, Any] = {
        row.key: row.value for row in session.scalars(select(Setting).where(Setting.key.in_(_KEYS)))
    }
    return BureauSettings(**stored)


def save_settings(session: Session, settings: BureauSettings) -> None:
    """Validate and store every field (the caller commits). 管理员 only."""
    require(session, Permission.SETTINGS, "修改单位设置")
    settings.validated()
    for key in _KEYS:
        value = getattr(settings, key)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value
