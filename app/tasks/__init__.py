"""抽查任务 and the draw (摇号): the service layer the operator console and projection window call.

Stateless between calls: everything lives in the database, except the nonce between commitment and reveal.
Each write function is its own transaction (commit on success, roll back on failure). Expected failures
raise :class:`TaskError` subclasses carrying ``message_zh``.

A draw in the room::

    task = create_task_from_plan_row(session, plan_row_id)            # or create_adhoc_task(session, spec)
    preview = preview_draw(session, task.id)                          # optional: pool, exclusions, inspectors
    handle = prepare_draw(session, task.id, "张三", "县政府第三会议室")  # attempt N, 已准备; project handle.summary_lines()
    sealed = commit_draw(session, handle.draw_id)                     # project sealed.commit_hex; keep sealed.nonce
    done = finish_draw(session, handle.draw_id, sealed.nonce,
                       [("李四", "人大代表", (3, 1, 4)), ("王五", "纪检监察", (2, 7))], prepared=handle)
    draw_assignments(session, done.draw_id)                           # the result table
    export_record(session, done.draw_id, folder)                      # verifiable with `python -m app verify`

Later: :func:`replace_inspector` (递补), :func:`void_draw` (作废, with a reason), :func:`draw_history`.
"""

from app.tasks.common import annual_cap_setting, set_annual_cap_setting
from app.tasks.draws import (
    DrawAttempt,
    DrawCommitment,
    FinishedDraw,
    PreparedTaskDraw,
    commit_draw,
    draw_history,
    finish_draw,
    prepare_draw,
    void_draw,
)
from app.tasks.errors import (
    AlreadyDrawnError,
    DrawStateError,
    EmptyReasonError,
    InfeasibleTaskDrawError,
    InputsChangedError,
    NonceMismatchError,
    NotFoundError,
    OpenAttemptError,
    PoolError,
    RecordIntegrityError,
    ReplacementRefusedError,
    TaskError,
    TaskSpecError,
    WitnessInputError,
)
from app.tasks.inspectors import DepartmentEligibility, InspectorRef, LeftOut
from app.tasks.pool import ExclusionCount, PoolContext, PoolSummary, StratumSummary
from app.tasks.preview import DrawPreview, preview_draw
from app.tasks.records import ReplacementOutcome, current_record, export_record, replace_inspector
from app.tasks.results import AssignedInspector, AssignedObject, draw_assignments
from app.tasks.spec import Exclusions, PoolFilter, StrataBasis, StrataSpec, TaskSpec
from app.tasks.tasks import (
    TaskDefinition,
    TaskDepartmentInfo,
    create_adhoc_task,
    create_task_from_plan_row,
    plan_row_spec,
    task_definition,
    task_spec,
    update_task,
)
from app.tasks.witnesses import WitnessInput, parse_witness_values

__all__ = [
    "AlreadyDrawnError",
    "AssignedInspector",
    "AssignedObject",
    "DepartmentEligibility",
    "DrawAttempt",
    "DrawCommitment",
    "DrawPreview",
    "DrawStateError",
    "EmptyReasonError",
    "ExclusionCount",
    "Exclusions",
    "FinishedDraw",
    "InfeasibleTaskDrawError",
    "InputsChangedError",
    "InspectorRef",
    "LeftOut",
    "NonceMismatchError",
    "NotFoundError",
    "OpenAttemptError",
    "PoolContext",
    "PoolError",
    "PoolFilter",
    "PoolSummary",
    "PreparedTaskDraw",
    "RecordIntegrityError",
    "ReplacementOutcome",
    "ReplacementRefusedError",
    "StrataBasis",
    "StrataSpec",
    "StratumSummary",
    "TaskDefinition",
    "TaskDepartmentInfo",
    "TaskError",
    "TaskSpec",
    "TaskSpecError",
    "WitnessInput",
    "WitnessInputError",
    "annual_cap_setting",
    "commit_draw",
    "create_adhoc_task",
    "create_task_from_plan_row",
    "current_record",
    "draw_assignments",
    "draw_history",
    "export_record",
    "finish_draw",
    "parse_witness_values",
    "plan_row_spec",
    "prepare_draw",
    "preview_draw",
    "replace_inspector",
    "set_annual_cap_setting",
    "task_definition",
    "task_spec",
    "update_task",
    "void_draw",
]
