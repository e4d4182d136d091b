"""What one printed 执法检查登记表 shows, as plain data (no reportlab): filled from the database by
app.inspections.printing, drawn by app.forms.inspection_form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FormInspector:
    """An inspector on the form: name, department and 执法证号."""

    name: str
    department: str
    cert_no: str


@dataclass(frozen=True)
class FormFinding:
    """One checklist row: 检查内容, and on a filled form 发现问题 / 处置情况."""

    seq: int
    content: str
    problem: str = ""
    handling: str = ""


@dataclass(frozen=True)
class InspectionFormData:
    """Everything printed on one 执法检查登记表 (no database access while printing)."""

    bureau_name: str
    entity_name: str
    code: str  # 统一社会信用代码 (else 注册号)
    address: str
    legal_rep: str  # 法定代表人/负责人
    phone: str
    task_code: str
    task_title: str
    items: tuple[str, ...]  # 抽查事项
    basis: str  # 检查依据
    inspectors: tuple[FormInspector, ...]
    findings: tuple[FormFinding, ...]
    order: int = 0  # 抽中顺序号
    doc_no: str = ""  # 文书编号 (empty until filed)
    archive_no: str = ""  # 档案号
    inspection_date: dt.date | None = None
    method: str = ""  # InspectionMethod
    result: str = ""  # InspectionResult
    follow_up: str = ""  # FollowUp
    follow_up_note: str = ""
