"""All mapped classes of the product, importable from one place."""

from db.models.audit import AuditEntry, AuditHead, CalendarDay
from db.models.exchange import ReceivedPackage, ReceivedRecord, SenderKey
from db.models.inspection import Inspection, InspectionFinding, InspectionInspector, Publication
from db.models.org import Department, DocumentCounter, Setting, User
from db.models.plan import AnnualPlan, PlanRevision, PlanRow, PlanRowDepartment
from db.models.registry import (
    ChecklistRow,
    ConflictRelation,
    Entity,
    EntitySearch,
    ImportBatch,
    InspectionItem,
    Inspector,
    InspectorQualification,
    ItemDepartment,
)
from db.models.reported import ReportedFigures
from db.models.task import (
    Assignment,
    AssignmentInspector,
    Draw,
    DrawReplacement,
    DrawWitness,
    InspectionTask,
    TaskDepartment,
    TaskItem,
)

__all__ = [
    "AnnualPlan",
    "Assignment",
    "AssignmentInspector",
    "AuditEntry",
    "AuditHead",
    "CalendarDay",
    "ChecklistRow",
    "ConflictRelation",
    "Department",
    "DocumentCounter",
    "Draw",
    "DrawReplacement",
    "DrawWitness",
    "Entity",
    "EntitySearch",
    "ImportBatch",
    "Inspection",
    "InspectionFinding",
    "InspectionInspector",
    "InspectionItem",
    "InspectionTask",
    "Inspector",
    "InspectorQualification",
    "ItemDepartment",
    "PlanRevision",
    "PlanRow",
    "PlanRowDepartment",
    "Publication",
    "ReceivedPackage",
    "ReceivedRecord",
    "ReportedFigures",
    "SenderKey",
    "Setting",
    "TaskDepartment",
    "TaskItem",
    "User",
]
