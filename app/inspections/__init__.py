"""检查 and 公示: the 执法检查登记表 of each drawn object, filed one by one, and the task's results published.

Transactions: like :mod:`app.tasks`, every write function here is its own transaction on the given session
(commit on success, roll back everything on failure), so the session should carry no unrelated pending
changes; read functions never write. The document counter moves inside the filing's transaction (see
:mod:`app.inspections.numbers`), so a rolled-back filing gives its 文书编号 back. Expected failures raise
:class:`InspectionError` subclasses carrying ``message_zh``.

A task's inspections, start to end::

    start_inspections(session, task_id)                 # after the draw: one draft (草稿) per object; 检查中
    write_task_forms(session, task_id, "空白.pdf", blank=True)   # printed, taken on site, signed
    detail = inspection_detail(session, inspection_id)  # the edit dialog; save with record_inspection
    record_inspection(session, inspection_id, InspectionInput(
        inspection_date=day, method="实地核查", result="未发现问题", follow_up="无需处置",
        findings=[FindingInput(1, "无", "")], inspector_ids=[...]))
    file_inspection(session, inspection_id)             # 文书编号 + 档案号, 已归档; the last one: task 已完成
    rows = publication_rows(session, task_id)           # 公示 rows without personal data → app.forms.publication
    publish_task(session, task_id, published_on, "门户网站", published_file="公示.xlsx")   # 已公示
"""

from app.inspections.errors import (
    DocumentNumberError,
    FiledInspectionError,
    IncompleteInspectionError,
    InspectionError,
    InspectionInputError,
    InspectionNotFoundError,
    InspectionStateError,
    InspectorNotAssignedError,
    PublicationError,
)
from app.inspections.lifecycle import (
    FiledInspection,
    StartedInspections,
    file_inspection,
    filing_problems,
    start_inspections,
)
from app.inspections.numbers import (
    ARCHIVE_NO_PATTERN,
    DOC_SERIES,
    DocNumbers,
    assign_doc_no,
    format_doc_no,
)
from app.inspections.printing import inspection_form_data, task_form_data, write_task_forms
from app.inspections.publication import (
    PUBLICATION_HEADERS,
    PublicationInfo,
    PublicationRow,
    publication_rows,
    publication_title,
    publish_task,
)
from app.inspections.recording import FindingInput, InspectionInput, record_inspection
from app.inspections.views import (
    FindingView,
    InspectionDetail,
    InspectionSummary,
    InspectorChoice,
    inspection_detail,
    task_inspections,
)

__all__ = [
    "ARCHIVE_NO_PATTERN",
    "DOC_SERIES",
    "PUBLICATION_HEADERS",
    "DocNumbers",
    "DocumentNumberError",
    "FiledInspection",
    "FiledInspectionError",
    "FindingInput",
    "FindingView",
    "IncompleteInspectionError",
    "InspectionDetail",
    "InspectionError",
    "InspectionInput",
    "InspectionInputError",
    "InspectionNotFoundError",
    "InspectionStateError",
    "InspectionSummary",
    "InspectorChoice",
    "InspectorNotAssignedError",
    "PublicationError",
    "PublicationInfo",
    "PublicationRow",
    "StartedInspections",
    "assign_doc_no",
    "file_inspection",
    "filing_problems",
    "format_doc_no",
    "inspection_detail",
    "inspection_form_data",
    "publication_rows",
    "publication_title",
    "publish_task",
    "record_inspection",
    "start_inspections",
    "task_form_data",
    "task_inspections",
    "write_task_forms",
]
