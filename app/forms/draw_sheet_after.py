"""Sections 四 to 七 of the draw sheet: results, replacements, the record file and signatures.

四 results in draw order (a long table that repeats its header on every page), 五 replacements (递补),
六 the record file, its SHA-256 as text and QR code, and how to verify it, 七 signature lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, Paragraph, Spacer, Table, TableStyle

from app.forms.draw_sheet_data import ALL_INSPECTORS_LABEL, DrawSheetData, InspectorRef
from app.forms.layout import (
    CELL_PADDING,
    FRAME_WIDTH,
    FormStyles,
    column_wrap,
    escape,
    form_table,
    grid_commands,
    heading_line,
    mono_para,
    para,
    wrap_text,
)

SIGNATURE_SPARE_ROWS = 2  # blank 监督人 lines for watchers who did not call out numbers
QR_SIZE = 32 * mm


def _inspectors_text(people: Sequence[InspectorRef]) -> str:
    return "\n".join(f"{p.name} {p.cert_no}" + ("（递补）" if p.replacement else "") for p in people)


def results_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """四: one row per drawn object in draw order, one inspector column per department (lead first).

    Plain wrapped strings rather than Paragraphs keep thousands of rows fast; LongTable repeats the header.
    """
    departments = d.departments or tuple(
        dict.fromkeys(a.department for r in d.results for a in r.assignments)
    )
    if d.lead_department in departments:  # the 发起部门's column first, then the others in draw order
        departments = (d.lead_department, *(x for x in departments if x != d.lead_department))
    fixed = [10 * mm, 44 * mm, 35 * mm, 13 * mm]
    widths = fixed + [(FRAME_WIDTH - sum(fixed)) / max(1, len(departments))] * max(1, len(departments))
    single = len(departments) == 1
    header = ["序号", "检查对象名称", "统一社会信用代码\n或编号", "分层"] + [
        "检查人员（姓名 执法证号）" if single else f"{dept}检查人员（姓名 执法证号）" for dept in departments
    ]
    body = []
    for row in d.results:
        by_dept = {a.department: a.inspectors for a in row.assignments}
        body.append(
            [f"{row.order}", row.name, row.code, row.stratum]
            + [_inspectors_text(by_dept.get(dept, ())) for dept in departments]
        )
    song, mono = st.fonts.song, st.fonts.mono
    cells = column_wrap([header], widths, [st.fonts.hei] * len(widths), st.cell_size)
    cells += column_wrap(body, widths, [song] * len(widths), st.cell_size)
    commands = grid_commands(song, st.cell_size, 12, header_rows=1)
    commands += [
        ("FONT", (0, 0), (-1, 0), st.fonts.hei, st.cell_size, 12),
        ("FONT", (2, 1), (2, -1), mono, st.mono_size, 12),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
    ]
    # Codes go in the monospace font, except registry codes with Chinese in them (e.g. SJ-产品-000115).
    inner = widths[2] - 2 * CELL_PADDING
    for number, (line, code) in enumerate(zip(cells[1:], (r.code for r in d.results), strict=True), start=1):
        if code.isascii():
            line[2] = wrap_text(code, mono, st.mono_size, inner)
        else:
            commands.append(("FONT", (2, number), (2, number), song, st.cell_size, 12))
    out: list[Flowable] = [
        heading_line(f"四、抽取结果（共 {len(d.results)} 个检查对象，按抽中顺序）", st),
        LongTable(cells, colWidths=widths, style=TableStyle(commands), repeatRows=1),
    ]
    if d.replacements:
        out.append(para("注：标“（递补）”的检查人员由递补抽取产生，原抽取人员及原因见第五部分。", st.note))
    return out


def replacements_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """五: each replacement round (递补): object, who withdrew and why, the new numbers, who came in."""
    out: list[Flowable] = [heading_line("五、递补记录", st)]
    if not d.replacements:
        return [*out, para("本次抽取无递补。", st.body)]
    rows: list[list[str]] = [["轮次", "检查对象", "退出人员", "退出原因", "见证人随机数", "递补人员"]]
    for r in d.replacements:
        numbers = "\n".join(f"{w.name}\n{w.typed}" for w in r.witnesses)
        dept = "" if r.department == ALL_INSPECTORS_LABEL else f"\n（{r.department}）"
        rows.append(
            [
                f"{r.round}",
                f"{r.object_name}\n{r.object_code}",
                f"{r.removed.name}\n{r.removed.cert_no}{dept}",
                r.reason,
                numbers,
                f"{r.chosen.name}\n{r.chosen.cert_no}{dept}",
            ]
        )
    widths = [9 * mm, 40 * mm, 27 * mm, 0.0, 26 * mm, 27 * mm]
    widths[3] = FRAME_WIDTH - sum(widths)
    commands = grid_commands(st.fonts.song, st.cell_size, 12, header_rows=1)
    commands += [
        ("FONT", (0, 0), (-1, 0), st.fonts.hei, st.cell_size, 12),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
    ]
    cells = column_wrap(rows, widths, [st.fonts.song] * len(widths), st.cell_size)
    out.append(Table(cells, colWidths=widths, style=TableStyle(commands), repeatRows=1))
    return out


def _qr(value: str, font: str) -> Drawing:
    """A QR code of ``value``, QR_SIZE square (``font`` keeps the unembedded Helvetica default out)."""
    widget = QrCodeWidget(value, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    scale = [QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=scale, initialFontName=font)
    drawing.add(widget)
    return drawing


def record_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """六: the record file, its SHA-256 as text and QR code, the re-check result and how to verify."""
    widths = [34 * mm, FRAME_WIDTH - 34 * mm]
    label = st.label
    facts = [
        [para("摇号记录文件", label), para(d.record_file_name, st.cell)],
        [para("记录文件 SHA-256", label), mono_para(d.record_sha256, st)],
    ]
    if d.verification:
        facts.append([para("复核结果", label), para(d.verification, st.cell)])
    name = escape(d.record_file_name or "记录文件.json")
    if " " in name:
        name = f"&quot;{name}&quot;"
    mono = st.fonts.mono if (d.record_file_name or "x").isascii() else st.fonts.song

    command_style = ParagraphStyle("command", parent=st.note, leftIndent=12, fontName=mono)

    def command(label: str, text: str) -> Paragraph:
        return Paragraph(f'<font face="{st.fonts.song}">{label}</font>{text}', command_style)

    method = [
        para("验证方法", st.cell_bold),
        para("① 核对记录文件：计算记录文件的 SHA-256，应与上表所印一致（也可扫描右侧二维码比对）：", st.note),
        command("Windows：", f"certutil -hashfile {name} SHA256"),
        command("Linux：", f"sha256sum {name}"),
        para("② 重新计算抽取结果，任选其一：", st.note),
        command("本程序：", f"python -m app verify {name}"),
        command("独立验证程序（随附，只需 Python 3.8 以上，不依赖本程序）：", ""),
        command("", f"python sjdraw_verify.py {name}"),
        para(
            "验证程序按 SJDRAW-1 规范，由记录中的名录、参数、见证人随机数和 nonce 重新计算种子与全部抽取结果并逐项比对；"
            "显示“验证通过”（退出码 0）即说明记录未被改动。",
            st.note,
        ),
    ]
    qr_cell = [_qr(d.record_sha256, st.fonts.song), para("记录文件 SHA-256", st.note)]
    method_table = Table(
        [[method, qr_cell]],
        colWidths=[FRAME_WIDTH - QR_SIZE - 8 * mm, QR_SIZE + 8 * mm],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.fonts.song, st.cell_size),  # not reportlab's default Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        ),
    )
    return [
        heading_line("六、摇号记录文件与验证方法", st),
        form_table(facts, widths, st, (0,)),
        Spacer(1, 2 * mm),
        KeepTogether([method_table]),
    ]


def signature_section(d: DrawSheetData, st: FormStyles) -> list[Flowable]:
    """七: signature and date lines for the operator, each witness, and spare lines for other watchers."""
    date = "　　　年　　月　　日"
    rows: list[list[str]] = [["身份", "姓名", "单位/身份", "签字", "日期"]]
    rows.append(["抽取人", d.operator, d.lead_department or d.bureau_name, "", date])
    rows += [["监督人", w.name, w.affiliation, "", date] for w in d.witnesses]
    rows += [["监督人", "", "", "", date]] * SIGNATURE_SPARE_ROWS
    widths = [18 * mm, 30 * mm, 40 * mm, 38 * mm, FRAME_WIDTH - 126 * mm]
    commands = grid_commands(st.fonts.song, st.cell_size, 12.5, header_rows=1)
    commands += [("FONT", (0, 0), (-1, 0), st.fonts.hei, st.cell_size), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    heights = [8 * mm] + [12 * mm] * (len(rows) - 1)
    cells = column_wrap(rows, widths, [st.fonts.song] * len(widths), st.cell_size)
    table = Table(cells, colWidths=widths, minRowHeights=heights, style=TableStyle(commands), repeatRows=1)
    return [
        KeepTogether(
            [
                heading_line("七、签字确认", st),
                para(
                    "以上抽取在监督人现场监督下进行，承诺值在见证人报数前公布，抽取结果与现场投屏显示一致。",
                    st.body,
                ),
                Spacer(1, 2 * mm),
                table,
            ]
        )
    ]
