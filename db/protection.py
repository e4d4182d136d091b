"""Triggers that keep finished draws, 递补 rounds, filed plan versions, filed forms, the audit trail and the
数据包 received from other departments from being changed or deleted (SQLite).

:data:`TRIGGERS_0003` are created by migration 0003, :data:`EXCHANGE_TRIGGERS` by migration 0004,
:data:`REPORTED_TRIGGERS` (figures imported from other departments' xlsx tables) by migration 0005 (each migration
creates only its own: a table a later migration adds does not exist yet when an earlier one runs).
:data:`TRIGGERS` is all of them; `python -m app audit verify` checks they are all present. A change here needs a
new migration that drops and recreates the changed ones.
"""

from __future__ import annotations

PROTECT = "RAISE(ABORT, '{}')"
_FINISHED = "('已完成', '已作废')"
_FILED = "'已归档'"

TRIGGERS_0003: dict[str, str] = {
    "audit_entry_no_update": f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
        BEGIN SELECT {PROTECT.format("审计记录只能追加，不能修改")}; END""",
    "audit_entry_no_delete": f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT {PROTECT.format("审计记录只能追加，不能删除")}; END""",
    "audit_head_no_delete": f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT {PROTECT.format("审计链头不能删除")}; END""",
    "draw_no_delete": f"""CREATE TRIGGER draw_no_delete BEFORE DELETE ON draw
        BEGIN SELECT {PROTECT.format("摇号抽取记录不能删除，只能作废")}; END""",
    "draw_finished_no_update": f"""CREATE TRIGGER draw_finished_no_update BEFORE UPDATE ON draw
        WHEN OLD.status IN {_FINISHED} AND (
            NEW.record_json IS NOT OLD.record_json OR NEW.record_sha256 IS NOT OLD.record_sha256
            OR NEW.seed_hex IS NOT OLD.seed_hex OR NEW.commit_hex IS NOT OLD.commit_hex
            OR NEW.task_id IS NOT OLD.task_id OR NEW.attempt_no IS NOT OLD.attempt_no
            OR NEW.draw_uid IS NOT OLD.draw_uid OR NEW.finished_at IS NOT OLD.finished_at
            OR NEW.operator_name IS NOT OLD.operator_name OR NEW.place IS NOT OLD.place
            OR (OLD.status = '已作废' AND (NEW.status IS NOT OLD.status OR NEW.voided_at IS NOT OLD.voided_at
                OR NEW.void_reason IS NOT OLD.void_reason))
            OR NEW.status NOT IN {_FINISHED})
        BEGIN SELECT {PROTECT.format("已完成的摇号抽取不能修改，只能作废")}; END""",
    "draw_witness_finished_no_change": f"""CREATE TRIGGER draw_witness_finished_no_change BEFORE UPDATE ON draw_witness
        WHEN (SELECT status FROM draw WHERE id = OLD.draw_id) IN {_FINISHED}
        BEGIN SELECT {PROTECT.format("已完成抽取的见证人记录不能修改")}; END""",
    "draw_witness_finished_no_delete": f"""CREATE TRIGGER draw_witness_finished_no_delete BEFORE DELETE ON draw_witness
        WHEN (SELECT status FROM draw WHERE id = OLD.draw_id) IN {_FINISHED}
        BEGIN SELECT {PROTECT.format("已完成抽取的见证人记录不能删除")}; END""",
    "assignment_no_update": f"""CREATE TRIGGER assignment_no_update BEFORE UPDATE ON assignment
        BEGIN SELECT {PROTECT.format("抽中结果不能修改")}; END""",
    "assignment_no_delete": f"""CREATE TRIGGER assignment_no_delete BEFORE DELETE ON assignment
        BEGIN SELECT {PROTECT.format("抽中结果不能删除")}; END""",
    "assignment_inspector_no_rewrite": f"""CREATE TRIGGER assignment_inspector_no_rewrite
        BEFORE UPDATE OF assignment_id, inspector_id, "group", replacement_round ON assignment_inspector
        BEGIN SELECT {PROTECT.format("抽中的检查人员不能改写，只能递补")}; END""",
    "assignment_inspector_no_delete": f"""CREATE TRIGGER assignment_inspector_no_delete
        BEFORE DELETE ON assignment_inspector
        BEGIN SELECT {PROTECT.format("抽中的检查人员不能删除，只能递补")}; END""",
    "draw_replacement_no_update": f"""CREATE TRIGGER draw_replacement_no_update BEFORE UPDATE ON draw_replacement
        BEGIN SELECT {PROTECT.format("递补记录不能修改")}; END""",
    "draw_replacement_no_delete": f"""CREATE TRIGGER draw_replacement_no_delete BEFORE DELETE ON draw_replacement
        BEGIN SELECT {PROTECT.format("递补记录不能删除")}; END""",
    "plan_revision_no_update": f"""CREATE TRIGGER plan_revision_no_update BEFORE UPDATE ON plan_revision
        BEGIN SELECT {PROTECT.format("已备案的计划版本不能修改")}; END""",
    "plan_revision_no_delete": f"""CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision
        BEGIN SELECT {PROTECT.format("已备案的计划版本不能删除")}; END""",
    "inspection_filed_no_update": f"""CREATE TRIGGER inspection_filed_no_update BEFORE UPDATE ON inspection
        WHEN OLD.status = {_FILED} AND (
            NEW.status IS NOT OLD.status OR NEW.doc_no IS NOT OLD.doc_no OR NEW.archive_no IS NOT OLD.archive_no
            OR NEW.inspection_date IS NOT OLD.inspection_date OR NEW.method IS NOT OLD.method
            OR NEW.result IS NOT OLD.result OR NEW.follow_up IS NOT OLD.follow_up
            OR NEW.follow_up_note IS NOT OLD.follow_up_note OR NEW.filed_at IS NOT OLD.filed_at
            OR NEW.task_id IS NOT OLD.task_id OR NEW.entity_id IS NOT OLD.entity_id
            OR NEW.assignment_id IS NOT OLD.assignment_id)
        BEGIN SELECT {PROTECT.format("已归档的检查登记表不能修改")}; END""",
    "inspection_filed_no_delete": f"""CREATE TRIGGER inspection_filed_no_delete BEFORE DELETE ON inspection
        WHEN OLD.status = {_FILED}
        BEGIN SELECT {PROTECT.format("已归档的检查登记表不能删除")}; END""",
}
for _child in ("inspection_finding", "inspection_inspector"):
    _message = PROTECT.format("已归档的检查登记表不能修改")
    TRIGGERS_0003[
        f"{_child}_filed_no_insert"
    ] = f"""CREATE TRIGGER {_child}_filed_no_insert BEFORE INSERT ON {_child}
        WHEN (SELECT status FROM inspection WHERE id = NEW.inspection_id) = {_FILED}
        BEGIN SELECT {_message}; END"""
    TRIGGERS_0003[
        f"{_child}_filed_no_update"
    ] = f"""CREATE TRIGGER {_child}_filed_no_update BEFORE UPDATE ON {_child}
        WHEN (SELECT status FROM inspection WHERE id = OLD.inspection_id) = {_FILED}
        BEGIN SELECT {_message}; END"""
    TRIGGERS_0003[
        f"{_child}_filed_no_delete"
    ] = f"""CREATE TRIGGER {_child}_filed_no_delete BEFORE DELETE ON {_child}
        WHEN (SELECT status FROM inspection WHERE id = OLD.inspection_id) = {_FILED}
        BEGIN SELECT {_message}; END"""

# Migration 0004: received packages are read-only; a package may be marked superseded once (from NULL).
_PACKAGE_COLUMNS = (
    "id", "file_sha256", "file_name", "file_size", "sender_code", "sender_name", "bureau_name", "county_name",
    "key_fingerprint", "period_start", "period_end", "period_label", "created_at", "created_by",
    "program_version", "imported_at", "imported_by", "counts", "manifest_json", "signature_json", "facts_json",
)  # fmt: skip
_PACKAGE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _PACKAGE_COLUMNS)
EXCHANGE_TRIGGERS: dict[str, str] = {
    "received_package_no_update": f"""CREATE TRIGGER received_package_no_update BEFORE UPDATE ON received_package
        WHEN {_PACKAGE_CHANGED}
            OR NOT (OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL)
        BEGIN SELECT {PROTECT.format("收到的数据包只读，不能修改")}; END""",
    "received_package_no_delete": f"""CREATE TRIGGER received_package_no_delete BEFORE DELETE ON received_package
        BEGIN SELECT {PROTECT.format("收到的数据包不能删除")}; END""",
    "received_record_no_update": f"""CREATE TRIGGER received_record_no_update BEFORE UPDATE ON received_record
        BEGIN SELECT {PROTECT.format("收到的摇号记录只读，不能修改")}; END""",
    "received_record_no_delete": f"""CREATE TRIGGER received_record_no_delete BEFORE DELETE ON received_record
        BEGIN SELECT {PROTECT.format("收到的摇号记录不能删除")}; END""",
    "sender_key_no_update": f"""CREATE TRIGGER sender_key_no_update BEFORE UPDATE ON sender_key
        BEGIN SELECT {PROTECT.format("发送部门的密钥记录不能修改")}; END""",
    "sender_key_no_delete": f"""CREATE TRIGGER sender_key_no_delete BEFORE DELETE ON sender_key
        BEGIN SELECT {PROTECT.format("发送部门的密钥记录不能删除")}; END""",
}

# Migration 0005: figures imported from other departments' filled xlsx tables are read-only like received
# packages; a row may be marked superseded once (from NULL) when a newer file of the same department, table and
# period is imported.
_REPORTED_COLUMNS = (
    "id", "kind", "department_code", "department_name", "period_start", "period_end", "period_label", "figures",
    "source_row", "sheet_name", "file_sha256", "file_name", "file_size", "unit", "filled_on", "contact",
    "imported_at", "imported_by",
)  # fmt: skip
_REPORTED_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _REPORTED_COLUMNS)
REPORTED_TRIGGERS: dict[str, str] = {
    "reported_figures_no_update": f"""CREATE TRIGGER reported_figures_no_update BEFORE UPDATE ON reported_figures
        WHEN {_REPORTED_CHANGED}
            OR NOT (OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL)
        BEGIN SELECT {PROTECT.format("报表导入的统计数字只读，不能修改")}; END""",
    "reported_figures_no_delete": f"""CREATE TRIGGER reported_figures_no_delete BEFORE DELETE ON reported_figures
        BEGIN SELECT {PROTECT.format("报表导入的统计数字不能删除")}; END""",
}

TRIGGERS: dict[str, str] = {**TRIGGERS_0003, **EXCHANGE_TRIGGERS, **REPORTED_TRIGGERS}
