"""Writing the audit trail as the work happens.

Two sources, one chain (:mod:`app.audit.chain`):

- every flush of the ORM unit of work: each created, changed or deleted record of the audited kinds becomes an
  entry with who, when, what and the changed fields before/after (child rows — checklist lines, a task's items,
  a form's findings — are summarised on their parent);
- explicit events from the services for work done by statements (imports, archiving, bulk edits), sign-ins,
  exports, backups and co-signatures: :func:`record_event`.

Protected records (:mod:`app.audit.protected`) written in a transaction are sealed just before it commits, over
their final state. Within :func:`bulk` (demo build, imports) per-record entries are left out and the caller
records one summary event; seals are still written.
"""

from __future__ import annotations

import hashlib
import logging
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.base import NO_VALUE

from app.audit import protected
from app.audit.chain import Entry, append, canonical_digest, plain
from app.audit.keys import installation_key
from app.auth.roles import Actor, current_actor
from app.registry.codes import mask_id_number
from app.registry.fields import ENTITY_SPEC, INSPECTOR_SPEC, ITEM_SPEC
from db.base import utcnow
from db.enums import DrawStatus, InspectionStatus, PlanStatus
from db.models import (
    AnnualPlan,
    Assignment,
    AuditHead,
    CalendarDay,
    ChecklistRow,
    ConflictRelation,
    Department,
    Draw,
    DrawReplacement,
    DrawWitness,
    Entity,
    ImportBatch,
    Inspection,
    InspectionFinding,
    InspectionInspector,
    InspectionItem,
    InspectionTask,
    Inspector,
    InspectorQualification,
    ItemDepartment,
    PlanRevision,
    PlanRow,
    PlanRowDepartment,
    Publication,
    Setting,
    TaskDepartment,
    TaskItem,
    User,
)

log = logging.getLogger(__name__)

__all__ = ["SEAL_ACTION", "bulk", "install_recorder", "record_event", "seal_legacy", "OBJECT_LABELS"]

SEAL_ACTION = "封存"
_SUPPRESS = "audit_suppress"
_TO_SEAL = "audit_to_seal"
_PENDING = "audit_pending"

OBJECT_LABELS: dict[type, str] = {
    Entity: "检查对象",
    Inspector: "执法检查人员",
    InspectionItem: "抽查事项",
    ConflictRelation: "回避关系",
    Department: "部门",
    User: "用户",
    Setting: "系统设置",
    CalendarDay: "节假日",
    ImportBatch: "导入记录",
    AnnualPlan: "年度抽查计划",
    PlanRow: "计划事项",
    PlanRevision: "计划版本",
    InspectionTask: "抽查任务",
    Draw: "摇号抽取",
    DrawReplacement: "递补",
    Inspection: "检查登记表",
    Publication: "结果公示",
}

# Child rows are reported on their parent: (parent class, foreign-key attribute, what the child is called).
_CHILDREN: dict[type, tuple[type, str, str]] = {
    ItemDepartment: (InspectionItem, "item_id", "实施部门"),
    ChecklistRow: (InspectionItem, "item_id", "检查内容清单"),
    InspectorQualification: (Inspector, "inspector_id", "资格"),
    PlanRowDepartment: (PlanRow, "plan_row_id", "实施部门"),
    TaskItem: (InspectionTask, "task_id", "抽查事项"),
    TaskDepartment: (InspectionTask, "task_id", "参与部门"),
    DrawWitness: (Draw, "draw_id", "见证人"),
    Assignment: (Draw, "draw_id", "抽中对象"),
    InspectionFinding: (Inspection, "inspection_id", "检查内容"),
    InspectionInspector: (Inspection, "inspection_id", "检查人员"),
}

_NAME_ATTRS = ("name", "title", "username", "code", "draw_uid", "doc_no", "key", "day")
_SKIP_COLUMNS = {"created_at", "updated_at"}
_SECRET_COLUMNS = {"password_hash"}
_DIGEST_COLUMNS = {"record_json", "snapshot", "pool_summary"}

_COLUMN_LABELS = {
    "name": "名称",
    "title": "标题",
    "code": "编号",
    "status": "状态",
    "archived": "归档",
    "remarks": "备注",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "department_id": "部门",
    "password_hash": "密码",
    "failed_logins": "连续失败次数",
    "locked_until": "锁定至",
    "last_login_at": "最近登录",
    "must_change_password": "须修改密码",
    "value": "取值",
    "key": "设置项",
    "kind": "类型",
    "day": "日期",
    "year": "年度",
    "seq": "序号",
    "item_id": "抽查事项",
    "scope_text": "检查对象范围",
    "ratio": "比例",
    "quantity": "数量",
    "planned_count": "计划抽查数",
    "content": "检查内容",
    "basis": "检查依据",
    "planned_month": "计划月份",
    "method": "检查方式",
    "frequency_cap": "频次上限",
    "submitted_at": "报审时间",
    "filed_at": "归档/备案时间",
    "current_revision": "当前版本",
    "planned_date": "计划检查日期",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "is_joint": "联合抽查",
    "is_unplanned": "计划外",
    "pool_filter": "抽取范围",
    "exclusions": "排除条件",
    "strata": "分层",
    "cap": "人员上限",
    "attempt_no": "抽取次数",
    "record_sha256": "记录摘要",
    "seed_hex": "种子",
    "commit_hex": "承诺值",
    "finished_at": "完成时间",
    "voided_at": "作废时间",
    "void_reason": "作废原因",
    "place": "地点",
    "operator_name": "操作人",
    "doc_no": "文书编号",
    "archive_no": "档案号",
    "inspection_date": "检查日期",
    "result": "检查结果",
    "follow_up": "后续处理",
    "follow_up_note": "处理说明",
    "published_on": "公示日期",
    "channel": "公示渠道",
    "file_name": "文件",
    "reason": "原因",
}


@cache
def _labels() -> dict[str, str]:
    labels = dict(_COLUMN_LABELS)
    for spec in (ENTITY_SPEC, INSPECTOR_SPEC, ITEM_SPEC):
        for spec_field in spec.fields:
            labels.setdefault(spec_field.name, spec_field.label)
    return labels


def column_label(name: str) -> str:
    return _labels().get(name, name)


@cache
def _personal_columns() -> frozenset[str]:
    return frozenset(f.name for spec in (ENTITY_SPEC, INSPECTOR_SPEC) for f in spec.fields if f.personal)


def _shown(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _SECRET_COLUMNS:
        return "（已更改）"
    if column in _DIGEST_COLUMNS:  # a record's text by its own SHA-256 (as record_sha256 names it)
        digest = (
            hashlib.sha256(value.encode("utf-8")).hexdigest()
            if isinstance(value, str)
            else canonical_digest(value)
        )
        return f"sha256:{digest[:16]}"
    if column in _personal_columns() and isinstance(value, str):
        return mask_id_number(value)  # as the registry export masks it
    return value


def _display_name(obj: Any) -> str:
    for attr in _NAME_ATTRS:
        value = getattr(obj, attr, None)
        if value not in (None, ""):
            return str(value)
    return f"#{_object_id(obj) or '?'}"


def _object_id(obj: Any) -> str:
    # In after_flush a new object's identity key is not set yet, but its primary key already is.
    state = inspect(obj)
    values = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in values if part is not None)


def _column_values(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_COLUMNS:
            continue
        value = state.attrs[attr.key].loaded_value
        if value is not None and value != "" and value is not NO_VALUE:
            values[attr.key] = _shown(attr.key, value)
    return values


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = _shown(attr.key, old)
        after[attr.key] = _shown(attr.key, new)
    return before, after


def _update_action(obj: Any, after: Mapping[str, Any]) -> str:
    if "archived" in after:
        return "归档" if after["archived"] else "取消归档"
    if "password_hash" in after:
        return "修改密码"
    status = after.get("status")
    if isinstance(obj, Draw) and status == DrawStatus.VOIDED.value:
        return "作废"
    if isinstance(obj, Draw) and status == DrawStatus.FINISHED.value:
        return "完成抽取"
    if isinstance(obj, Inspection) and status == InspectionStatus.FILED.value:
        return "归档"
    if isinstance(obj, AnnualPlan) and status == PlanStatus.SUBMITTED.value:
        return "报审"
    if isinstance(obj, AnnualPlan) and status == PlanStatus.FILED.value:
        return "审核备案"
    return "修改"


def _summary(action: str, label: str, name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    text = f"{action}{label}“{name}”"
    if before or after:
        parts = []
        for key in list(after)[:6]:
            old, new = before.get(key), after.get(key)
            parts.append(f"{column_label(key)}：{_short(old)} → {_short(new)}")
        if len(after) > 6:
            parts.append(f"等 {len(after)} 项")
        text += "；" + "，".join(parts)
    return text


def _short(value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    text = str(plain(value))
    return text if len(text) <= 40 else text[:40] + "…"


def _entry(
    actor: Actor, action: str, label: str, object_id: str, summary: str, before: Any, after: Any
) -> Entry:
    return Entry(
        action=action,
        object_type=label,
        object_id=object_id,
        summary=summary,
        before=before or None,
        after=after or None,
        username=actor.label,
        user_id=actor.user_id,
    )


def _became(obj: Any, verb: str, cls: type, status: str) -> bool:
    """``obj`` is a ``cls`` that is new with ``status`` or was just set to it."""
    if not isinstance(obj, cls) or getattr(obj, "status", None) != status:
        return False
    return verb == "新增" or inspect(obj).attrs["status"].history.has_changes()


def _collect(session: Session) -> list[Entry]:
    actor = current_actor(session)
    entries: list[Entry] = []
    children: dict[tuple[type, Any], dict[str, list[str]]] = {}
    to_seal: set[tuple[str, int]] = session.info.setdefault(_TO_SEAL, set())
    suppressed = bool(session.info.get(_SUPPRESS))

    def note_child(obj: Any, verb: str) -> None:
        parent_cls, fk, what = _CHILDREN[type(obj)]
        parent_id = getattr(obj, fk, None)
        if parent_id is None:
            return
        children.setdefault((parent_cls, parent_id), {}).setdefault(what, []).append(verb)

    for verb, objects in (("新增", session.new), ("修改", session.dirty), ("删除", session.deleted)):
        for obj in list(objects):
            cls = type(obj)
            if isinstance(obj, DrawReplacement | PlanRevision) and verb == "新增":
                kind = protected.REPLACEMENT if isinstance(obj, DrawReplacement) else protected.PLAN_VERSION
                to_seal.add((kind, obj.id))
            if _became(obj, verb, Draw, DrawStatus.FINISHED.value) and obj.record_json:
                to_seal.add((protected.DRAW, obj.id))
            if _became(obj, verb, Inspection, InspectionStatus.FILED.value):
                to_seal.add((protected.FORM, obj.id))
            if suppressed:
                continue
            if cls in _CHILDREN:
                if verb != "修改" or session.is_modified(obj):
                    note_child(obj, verb)
                continue
            label = OBJECT_LABELS.get(cls)
            if label is None:
                continue
            name = _display_name(obj)
            if verb == "新增":
                after = _column_values(obj)
                entries.append(
                    _entry(actor, "新增", label, _object_id(obj), f"新增{label}“{name}”", None, after)
                )
            elif verb == "删除":
                before = _column_values(obj)
                entries.append(
                    _entry(actor, "删除", label, _object_id(obj), f"删除{label}“{name}”", before, None)
                )
            else:
                before, after = _changes(obj)
                if not after:
                    continue
                action = _update_action(obj, after)
                summary = _summary(action, label, name, before, after)
                entries.append(_entry(actor, action, label, _object_id(obj), summary, before, after))
    if children:
        covered = {(e.object_type, e.object_id): e.action for e in entries}
        for (parent_cls, parent_id), what in children.items():
            label = OBJECT_LABELS.get(parent_cls, parent_cls.__name__)
            parent_action = covered.get((label, str(parent_id)))
            if parent_action == "新增" or (parent_action and parent_cls is Draw):
                continue  # part of the record's creation; a draw's rows are part of its own entry and seal
            detail = "，".join(
                f"{name}{'、'.join(f'{verb}{verbs.count(verb)}条' for verb in dict.fromkeys(verbs))}"
                for name, verbs in what.items()
            )
            parent = session.get(parent_cls, parent_id)
            name = _display_name(parent) if parent is not None else f"#{parent_id}"
            entries.append(
                _entry(
                    actor,
                    "修改明细",
                    label,
                    str(parent_id),
                    f"修改{label}“{name}”的明细：{detail}",
                    None,
                    None,
                )
            )
    return entries


def _after_flush(session: Session, flush_context: Any) -> None:
    entries = _collect(session)
    if entries:
        append(session.connection(), installation_key(), entries, utcnow())


def _before_commit(session: Session) -> None:
    pending: list[Entry] = session.info.pop(_PENDING, [])
    to_seal: set[tuple[str, int]] = session.info.get(_TO_SEAL, set())
    if not pending and not to_seal:
        return
    session.flush()
    to_seal = session.info.pop(_TO_SEAL, set())
    pending += session.info.pop(_PENDING, [])
    connection = session.connection()
    actor = current_actor(session)
    for kind, row_id in sorted(to_seal, key=lambda ref: (protected.KINDS.index(ref[0]), ref[1])):
        pending.append(_seal_entry(connection, actor, kind, row_id))
    append(connection, installation_key(), pending, utcnow())


def _seal_entry(connection: Any, actor: Actor, kind: str, row_id: int, note: str = "") -> Entry:
    digest = protected.digest(connection, kind, row_id)
    name = protected.describe(connection, kind, row_id)
    return _entry(
        actor,
        SEAL_ACTION,
        kind,
        str(row_id),
        f"封存{name}{note}（摘要 {str(digest)[:16]}）",
        None,
        {"digest": digest},
    )


def _after_rollback(session: Session) -> None:
    session.info.pop(_TO_SEAL, None)
    session.info.pop(_PENDING, None)


def record_event(
    session: Session,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    actor: Actor | None = None,
) -> None:
    """Add an audit entry to the session's transaction; it is written when the transaction commits."""
    who = actor or current_actor(session)
    session.info.setdefault(_PENDING, []).append(
        _entry(who, action, object_type, str(object_id), summary, before, after)
    )


@contextmanager
def bulk(session: Session) -> Iterator[None]:
    """Leave out per-record entries inside the block (the caller records one summary event)."""
    previous = session.info.get(_SUPPRESS)
    session.info[_SUPPRESS] = True
    try:
        yield
    finally:
        session.info[_SUPPRESS] = previous


def seal_legacy(session: Session) -> int:
    """Seal the protected records that existed before this database had an audit trail (once, after the
    upgrade that added it). Returns how many were sealed."""
    head = session.get(AuditHead, 1)
    if head is None or not head.legacy_pending:
        return 0
    connection = session.connection()
    actor = current_actor(session)
    entries = [
        _seal_entry(connection, actor, kind, row_id, "（升级前已有的记录，补充封存）")
        for kind, row_id in protected.protected_refs(connection)
    ]
    entries.insert(
        0,
        _entry(
            actor,
            "启用审计",
            "审计日志",
            "",
            f"启用审计日志；补充封存升级前已有的 {len(entries)} 份记录",
            None,
            None,
        ),
    )
    append(connection, installation_key(), entries, utcnow())
    head_table = cast(Table, AuditHead.__table__)
    connection.execute(head_table.update().where(head_table.c.id == 1).values(legacy_pending=False))
    return len(entries) - 1


_INSTALLED: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def install_recorder(sessions: sessionmaker[Session]) -> None:
    """Audit every session made by ``sessions`` (once per factory).

    Not ``event.contains``: SQLAlchemy keys that on ``id(sessions)``, and a new factory that reuses the id of
    one already freed would be taken for hooked, leaving its sessions unaudited.
    """
    if sessions in _INSTALLED:
        return
    _INSTALLED.add(sessions)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_rollback", _after_rollback)
