"""The write guard: every INSERT/UPDATE/DELETE a session sends is checked against the actor's permissions.

It sits on the engine's ``before_cursor_execute`` hook, below the ORM, ORM bulk statements and Core statements
alike, so no service path can write a table its actor may not. The session hands its ``info`` dict to the
connection when a transaction begins; connections used outside a session (migrations, ANALYZE, backups)
carry no actor and are the program's own.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.auth.roles import ACTOR_KEY, SYSTEM, Actor, Permission, PermissionDenied

__all__ = ["TABLE_PERMISSIONS", "TABLE_LABELS", "check_write", "install_guard", "require_table_write"]

_SESSION_INFO = "shuangsuiji_session_info"

P = Permission
_WORK = (P.REGISTRY, P.PLANS, P.TASKS, P.INSPECTIONS)

# Which permissions allow writing a table (any one of them).
TABLE_PERMISSIONS: dict[str, tuple[Permission, ...]] = {
    "entity": (P.REGISTRY,),
    "entity_search": (P.REGISTRY,),
    "inspector": (P.REGISTRY,),
    "inspector_qualification": (P.REGISTRY,),
    "conflict_relation": (P.REGISTRY,),
    "inspection_item": (P.REGISTRY,),
    "item_department": (P.REGISTRY,),
    "checklist_row": (P.REGISTRY,),
    "import_batch": _WORK,
    "department": (P.REGISTRY, P.SETTINGS),
    "annual_plan": (P.PLANS,),
    "plan_row": (P.PLANS,),
    "plan_row_department": (P.PLANS,),
    "plan_revision": (P.PLANS,),
    "inspection_task": (P.TASKS,),
    "task_item": (P.TASKS,),
    "task_department": (P.TASKS,),
    "draw": (P.TASKS,),
    "draw_witness": (P.TASKS,),
    "assignment": (P.TASKS,),
    "assignment_inspector": (P.TASKS,),
    "draw_replacement": (P.TASKS,),
    "inspection": (P.INSPECTIONS,),
    "inspection_finding": (P.INSPECTIONS,),
    "inspection_inspector": (P.INSPECTIONS,),
    "publication": (P.INSPECTIONS,),
    "document_counter": _WORK,
    "setting": (P.SETTINGS, *_WORK),  # bureau settings also check SETTINGS explicitly in their service
    "calendar_day": (P.SETTINGS,),
    "app_user": (P.MANAGE_USERS,),
    "received_package": (P.EXCHANGE,),
    "received_record": (P.EXCHANGE,),
    "sender_key": (P.EXCHANGE,),
    "reported_figures": (P.EXCHANGE,),
}

# Tables every actor appends to: the audit trail is written on behalf of whoever acts, supervisors included.
_ALWAYS = frozenset({"audit_entry", "audit_head"})

TABLE_LABELS: dict[str, str] = {
    "entity": "检查对象名录",
    "entity_search": "检查对象名录",
    "inspector": "执法检查人员名录",
    "inspector_qualification": "执法检查人员名录",
    "conflict_relation": "回避关系",
    "inspection_item": "随机抽查事项清单",
    "item_department": "随机抽查事项清单",
    "checklist_row": "检查内容清单",
    "import_batch": "导入记录",
    "department": "部门",
    "annual_plan": "年度抽查计划",
    "plan_row": "年度抽查计划",
    "plan_row_department": "年度抽查计划",
    "plan_revision": "年度抽查计划版本",
    "inspection_task": "抽查任务",
    "task_item": "抽查任务",
    "task_department": "抽查任务",
    "draw": "摇号抽取",
    "draw_witness": "摇号抽取",
    "assignment": "摇号抽取",
    "assignment_inspector": "摇号抽取",
    "draw_replacement": "递补",
    "inspection": "检查记录",
    "inspection_finding": "检查记录",
    "inspection_inspector": "检查记录",
    "publication": "结果公示",
    "document_counter": "文书编号",
    "setting": "系统设置",
    "calendar_day": "节假日日历",
    "app_user": "用户账号",
    "received_package": "来自其他部门的数据包",
    "received_record": "来自其他部门的数据包",
    "sender_key": "发送部门的密钥",
    "reported_figures": "报表导入的统计数字",
}

_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_DDL = re.compile(r"^\s*(?:CREATE|DROP|ALTER)\b", re.IGNORECASE)


def check_write(actor: Actor, statement: str) -> None:
    """Raise PermissionDenied when ``statement`` writes a table ``actor`` may not write."""
    if actor.is_unrestricted:
        return
    match = _WRITE.match(statement)
    if match is not None:
        require_table_write(actor, match.group(1).lower())
    elif _DDL.match(statement):
        raise PermissionDenied(actor, None, "修改数据库结构")


def require_table_write(actor: Actor, table: str) -> None:
    """Raise PermissionDenied unless ``actor`` may write ``table``. Also for code that then runs DDL on the
    table as the program, such as the bulk import dropping and rebuilding the table's indexes."""
    if actor.is_unrestricted or table in _ALWAYS or table in actor.internal:
        return
    allowed = TABLE_PERMISSIONS.get(table)
    if allowed is None:
        raise PermissionDenied(actor, None, f"写入数据表 {table}")
    if not any(actor.can(permission) for permission in allowed):
        raise PermissionDenied(actor, allowed[0], f"不能修改{TABLE_LABELS.get(table, table)}")


def _after_begin(session: Session, transaction: Any, connection: Any) -> None:
    connection.info[_SESSION_INFO] = session.info


def _before_cursor_execute(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    info = conn.info.get(_SESSION_INFO)
    if info is None:
        return
    actor = info.get(ACTOR_KEY, SYSTEM)
    if isinstance(actor, Actor):
        check_write(actor, statement)


def _forget_actor(dbapi_connection: Any, connection_record: Any) -> None:
    # Pooled connections outlive the session; a later use outside a session must not inherit its actor.
    connection_record.info.pop(_SESSION_INFO, None)


_GUARDED: weakref.WeakSet[Engine] = weakref.WeakSet()


def install_guard(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Check every write of sessions from ``sessions`` against their actor (once per engine).

    Not ``event.contains``: SQLAlchemy keys that on ``id(engine)``, and a new engine that reuses the id of one
    already freed would be taken for guarded.
    """
    if engine in _GUARDED:
        return
    _GUARDED.add(engine)
    event.listen(sessions, "after_begin", _after_begin)
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(engine.pool, "checkin", _forget_actor)
