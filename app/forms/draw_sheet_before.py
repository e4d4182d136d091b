"""Sections 一 to 三 of the draw sheet: what was fixed before and during the draw.

一 the task, 二 the object and inspector pools with the strata and rates, 三 the input hashes, the
commitment, the witnesses' numbers, the nonce and the seed.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.forms.draw_sheet_data import DrawSheetData
from app.forms.layout import (
    FRAME_WIDTH,
    FormStyles,
    column_wrap,
    escape,
    form_table,
    grid_commands,
    heading_line,
    mono_para,
    para,
)


def task_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """一、抽查任务: task, items, departments, time, place, operator, attempt; empty fields stay writable."""
    w = FRAME_WIDTH
    widths = [24 * mm, w / 2 - 24 * mm, 24 * mm, w / 2 - 24 * mm]
    label = st.label

    def row4(a: str, b: str, c: str, e: str) -> list[Any]:
        return [para(a, label), para(b, st.cell), para(c, label), para(e, st.cell)]

    def row2(a: str, b: str) -> list[Any]:
        return [para(a, label), para(b, st.cell), "", ""]

    rows = [
        row4("任务编号", d.task_code, "摇号编号", d.draw_id),
        row2("任务名称", d.task_title),
        row4("任务类型", d.task_kind, "检查日期", d.inspection_date),
        row2("抽查事项", "；".join(d.items)),
        row4(
            "发起部门",
            d.lead_department,
            "配合部门",
            "、".join(d.partner_departments) or ("无" if d.lead_department else ""),
        ),
        row4("抽取时间", d.drawn_at, "抽取地点", d.place),
        row4("抽取人", d.operator, "回避关系", f"{d.conflicts_count} 条（抽取前录入）"),
        row2("抽取次数", d.attempt_text),
    ]
    spans = [((1, i), (3, i)) for i, r in enumerate(rows) if r[2] == ""]
    return [heading_line("一、抽查任务", st), form_table(rows, widths, st, (0, 2), spans)]


def pool_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """二: registry count, exclusions and pool size; strata with N, n and n÷N; inspector pools and cap."""
    out: list[Flowable] = [heading_line("二、检查对象、检查人员与抽取比例", st)]
    pool_rows: list[list[Any]] = [["项目", "数量"]]
    if d.registry_size is not None:
        pool_rows.append(["检查对象名录库", f"{d.registry_size}"])
    pool_rows += [[f"定向条件：{condition}", ""] for condition in d.pool_filters]
    pool_rows.append(["符合条件的检查对象（基数）", "—" if d.pool_base is None else f"{d.pool_base}"])
    pool_rows += [
        [f"排除：{e.reason}", f"-{e.count}" if e.count else "0"]
        if e.enabled
        else [f"排除：{e.reason}", "未启用"]
        for e in d.exclusions
    ]
    pool_rows.append(["参与抽取的检查对象（对象池）", f"{d.pool_size}"])
    commands = grid_commands(st.fonts.song, st.cell_size, 12.5, header_rows=1)
    commands.append(("ALIGN", (1, 1), (1, -1), "RIGHT"))
    widths = [FRAME_WIDTH - 40 * mm, 40 * mm]
    cells = column_wrap(pool_rows, widths, [st.fonts.song] * 2, st.cell_size)
    out.append(Table(cells, colWidths=widths, style=TableStyle(commands)))
    out.append(Spacer(1, 3 * mm))

    strata: list[list[Any]] = [["分层", "抽取规则", "对象数 N", "抽取数 n", "入选概率 n÷N"]]
    strata += [
        [s.label, s.rule_text, f"{s.pool_size}", f"{s.sample_size}", s.inclusion_rate] for s in d.strata
    ]
    total_n, total_pool = sum(s.sample_size for s in d.strata), sum(s.pool_size for s in d.strata)
    overall = f"{total_n / total_pool * 100:.2f}".rstrip("0").rstrip(".") + "%" if total_pool else "—"
    strata.append(["合计", "", f"{total_pool}", f"{total_n}", overall])
    commands = grid_commands(st.fonts.song, st.cell_size, 12.5, header_rows=1)
    commands += [
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("FONT", (0, -1), (-1, -1), st.fonts.hei, st.cell_size),
    ]
    widths = [FRAME_WIDTH - 4 * 30 * mm, 30 * mm, 30 * mm, 30 * mm, 30 * mm]
    out.append(
        Table(
            column_wrap(strata, widths, [st.fonts.song] * 5, st.cell_size),
            colWidths=widths,
            style=TableStyle(commands),
        )
    )
    out.append(Spacer(1, 3 * mm))

    people: list[list[Any]] = [["检查人员部门", "符合条件的人数 m", "每个对象派员 k", "每人最多检查对象数"]]
    people += [
        [g.department, f"{g.eligible}", f"{g.per_object}", "不限" if g.cap is None else f"{g.cap}"]
        for g in d.inspector_pools
    ]
    commands = grid_commands(st.fonts.song, st.cell_size, 12.5, header_rows=1)
    commands.append(("ALIGN", (1, 1), (-1, -1), "RIGHT"))
    widths = [FRAME_WIDTH - 3 * 36 * mm, 36 * mm, 36 * mm, 36 * mm]
    out.append(
        Table(
            column_wrap(people, widths, [st.fonts.song] * 4, st.cell_size),
            colWidths=widths,
            style=TableStyle(commands),
        )
    )
    out.append(para(f"工作量上限：{d.cap_rule}。", st.note))
    return out


def commitment_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """三: the four input hashes and params, the commitment, witnesses' numbers, the nonce and the seed."""
    widths = [46 * mm, FRAME_WIDTH - 46 * mm]
    label = st.label
    fp = d.fingerprints
    params = Paragraph(escape(d.params_text.rstrip("\n")).replace("\n", "<br/>"), st.cell)
    before = [
        [para("检查对象名录 SHA-256", label), mono_para(fp.objects, st)],
        [para("检查人员名录 SHA-256", label), mono_para(fp.inspectors, st)],
        [para("回避关系 SHA-256", label), mono_para(fp.conflicts, st)],
        [para("抽取参数 SHA-256", label), mono_para(fp.params, st)],
        [para("抽取参数原文", label), params],
        [para("承诺值 commit（见证人报数前公布）", label), mono_para(d.commit, st)],
    ]
    witnesses: list[list[Any]] = [["序号", "见证人（监督人）", "单位/身份", "现场报出的随机数（按顺序）"]]
    witnesses += [[f"{i}", w.name, w.affiliation, w.typed] for i, w in enumerate(d.witnesses, start=1)]
    wwidths = [12 * mm, 38 * mm, 45 * mm, FRAME_WIDTH - 95 * mm]
    wcommands = grid_commands(st.fonts.song, st.cell_size, 12.5, header_rows=1)
    wcommands.append(("ALIGN", (0, 1), (0, -1), "CENTER"))
    after = [
        [para("见证人随机数串", label), mono_para(d.witness_string, st)],
        [para("随机数 nonce（报数后揭示）", label), mono_para(d.nonce, st)],
        [para("种子 seed", label), mono_para(d.seed, st)],
    ]
    return [
        heading_line("三、公开承诺、见证人随机数与种子", st),
        para(
            "抽取前公布以下名录指纹和承诺值 commit = SHA-256(nonce)；见证人报数后揭示 nonce，"
            "由名录指纹、见证人随机数和 nonce 计算种子，全部抽取结果由种子唯一确定。",
            st.note,
        ),
        Spacer(1, 2 * mm),
        form_table(before, widths, st, (0,)),
        Spacer(1, 3 * mm),
        Table(
            column_wrap(witnesses, wwidths, [st.fonts.song] * 4, st.cell_size),
            colWidths=wwidths,
            style=TableStyle(wcommands),
            repeatRows=1,
        ),
        Spacer(1, 3 * mm),
        form_table(after, widths, st, (0,)),
    ]
