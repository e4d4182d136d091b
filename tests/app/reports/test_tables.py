"""Every figure of the five tables on the hand-built county (tests/app/reports/conftest.py), worked out by hand.

First half of 2026, as of 20 July 2026:

  SJ  items SJ-001, SJ-002 (LH-001 is on the joint list, SJ-003 archived) = 2; plan rows 3 (Σ 5+3+2 = 10);
      tasks T1, T2 (T3 drawn 1 July: outside) = 2; joint T2, T7 = 2; finished T1 (3-15), T2 (6-30) = 2;
      drawn 3 + 2 = 5 (T3's voided 6-20 attempt is not a draw); inspected e1–e5 = 5 (e5 on 6-30, the last
      day); problems e2 (已责令改正), e3 (待后续处理), e5 (未按规定公示) = 3; handled e2, e3 = 2 (e5: 无需处置);
      published T1 (on time) + T2 (late, 7-15 after the 7-09 deadline) = 5 objects of 2 tasks;
      公示率 5/5 = 100.0%, 按时 3/5 = 60.0%
  WJ  items 1; plan rows 1 (2); task T4; joint T2, T7 = 2; drawn 2; inspected e7 (e8 is a draft) = 1;
      published 0 → 公示率 0/1 = 0.0%, 按时 — (nothing published)
  HB  items 1; plan rows 1 (4); task T7 (T5 is planned for 12-31) = 1; joint 1; drawn 3; inspected e10
      (已关闭停业: not a problem) = 1; 公示率 0.0%
  JY  nothing; rates —
  合计 4; 5 (16); tasks 4; joint 2 (T2 and T7 once each, not 2+2+1); 2; 10; 7; 3; 2; 2 tasks / 5 objects;
      公示率 5/7 = 71.4% (not the average of 100, 0, 0); 按时 3/5 = 60.0%
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.forms.plan_table import HEADERS as PLAN_HEADERS
from app.reports import (
    Cell,
    Facts,
    Period,
    ReportInputError,
    StatTable,
    all_tables,
    build_table,
    drill_down,
    drill_local_ids,
    joint_table,
    merge_facts,
    non_market_plan_table,
    non_market_table,
    plan_table,
    progress_table,
)
from app.reports.measures import has_problem, progress_charts
from tests.app.reports.conftest import County, facts_for

D = dt.date
SJ, WJ, HB, JY = "示范县市场监督管理局", "示范县卫生健康委员会", "示范县生态环境局", "示范县教育局"


def texts(table: StatTable) -> list[list[str]]:
    """Body and totals as printed."""
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    return [[c.text for c in row] for row in rows]


def cell(table: StatTable, row: int | str, column: str) -> Cell:
    """A body cell by row index (or "合计") and leaf column name."""
    cells = table.totals if row == "合计" else table.rows[int(row)]
    assert cells is not None
    return cells[table.column_index(column)]


# --- 进展情况统计表 ----------------------------------------------------------------------------------------

PROGRESS_H1 = [
    ["1", SJ, "2", "3", "2", "2", "2", "10", "5", "5", "3", "2", "2", "5", "100.0%", "60.0%"],
    ["2", WJ, "1", "1", "1", "2", "0", "2", "2", "1", "0", "0", "0", "0", "0.0%", "—"],
    ["3", HB, "1", "1", "1", "1", "0", "4", "3", "1", "0", "0", "0", "0", "0.0%", "—"],
    ["4", JY, "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "—", "—"],
    ["合计", "", "4", "5", "4", "2", "2", "16", "10", "7", "3", "2", "2", "5", "71.4%", "60.0%"],
]


def test_progress_table_first_half_year(h1: Facts) -> None:
    table = progress_table(h1)
    assert table.title == "市直部门2026年度随机抽查工作进展情况统计表"
    assert [c.name for c in table.columns] == [
        "序号",
        "部门",
        "抽查事项数（项）",
        "年度计划任务数",
        "开展任务数",
        "参与联合抽查",
        "已完成",
        "计划抽查数",
        "抽取数",
        "已检查数",
        "发现问题数",
        "已处置数",
        "公示任务数（个）",
        "公示对象数（户）",
        "公示率",
        "按时公示率",
    ]
    assert texts(table) == PROGRESS_H1
    assert cell(table, "合计", "公示率").value == pytest.approx(5 / 7)
    assert cell(table, 0, "按时公示率").value == pytest.approx(3 / 5)
    assert cell(table, 3, "公示率").value is None
    assert table.unit == "示范县行政执法局" and table.contact == ""  # several departments: the bureau's name


def test_progress_header_merges(h1: Facts) -> None:
    table = progress_table(h1)
    assert table.header_rows == 2
    assert table.merges == [
        (0, 0, 2, 1),  # 序号
        (0, 1, 2, 1),  # 部门
        (0, 2, 2, 1),  # 抽查事项数
        (0, 3, 1, 4),  # 抽查任务（个）
        (0, 7, 1, 5),  # 检查对象（户）
        (0, 12, 1, 4),  # 结果公示
    ]
    assert table.header_grid()[0][3] == "抽查任务（个）" and table.header_grid()[1][3] == "年度计划任务数"


def test_progress_table_whole_year_and_third_quarter(session: Session) -> None:
    year = progress_table(facts_for(session, Period.year(2026)))
    # T3 (drawn 7-01, e6 filed 7-05) and T5 (planned 12-31) join; T6 of 2025 stays out.
    assert texts(year)[0][2:] == [
        "2",
        "3",
        "3",
        "2",
        "2",
        "10",
        "7",
        "6",
        "3",
        "2",
        "2",
        "5",
        "83.3%",
        "60.0%",
    ]
    assert texts(year)[2][2:] == ["1", "1", "2", "1", "0", "4", "3", "1", "0", "0", "0", "0", "0.0%", "—"]
    assert texts(year)[-1][2:] == [
        "4",
        "5",
        "6",
        "2",
        "2",
        "16",
        "12",
        "8",
        "3",
        "2",
        "2",
        "5",
        "62.5%",
        "60.0%",
    ]
    q3 = progress_table(facts_for(session, Period.quarter(2026, 3)))
    # T2 was published in July, but its objects were inspected in the second quarter: not Q3's.
    assert texts(q3)[0][2:] == ["2", "3", "1", "1", "0", "10", "2", "1", "0", "0", "0", "0", "0.0%", "—"]


def test_a_record_one_day_outside_the_period_is_not_counted(session: Session) -> None:
    # T1 was drawn on 2 March and inspected on 10, 12 and 15 March.
    late_start = progress_table(facts_for(session, Period.between(D(2026, 3, 3), D(2026, 6, 30))))
    assert cell(late_start, 0, "抽取数").value == 2  # T2's draw only
    assert cell(late_start, 0, "已检查数").value == 5
    on_the_day = progress_table(facts_for(session, Period.between(D(2026, 3, 2), D(2026, 6, 30))))
    assert cell(on_the_day, 0, "抽取数").value == 5
    # e5 was inspected on 30 June: a period ending on 29 June leaves it (and its problem) out.
    early_end = progress_table(facts_for(session, Period.between(D(2026, 1, 1), D(2026, 6, 29))))
    assert (cell(early_end, 0, "已检查数").value, cell(early_end, 0, "发现问题数").value) == (4, 2)
    # T2 ended on 30 June: finished in a period ending that day, not in one ending the day before.
    assert cell(early_end, 0, "已完成").value == 1 and cell(on_the_day, 0, "已完成").value == 2
    # The 2025 task: inspected on 2025-12-31, one day before 2026.
    new_year = progress_table(facts_for(session, Period.between(D(2025, 12, 31), D(2025, 12, 31))))
    assert cell(new_year, 1, "已检查数").value == 1
    assert cell(new_year, 1, "公示对象数（户）").value == 1  # published 2026-01-06, within the 截至 day


def test_rates_follow_as_of_day(session: Session, h1: Facts) -> None:
    import dataclasses

    before = dataclasses.replace(h1, as_of=D(2026, 7, 14))  # T2 was published on 15 July
    table = progress_table(before)
    assert cell(table, 0, "公示对象数（户）").value == 3 and cell(table, 0, "公示率").text == "60.0%"
    assert cell(table, 0, "按时公示率").text == "100.0%"


def test_one_department_tables_get_its_unit_and_contact(h1: Facts) -> None:
    table = progress_table(h1, ["SJ"])
    assert texts(table) == [PROGRESS_H1[0], ["合计", "", *PROGRESS_H1[0][2:]]]
    assert (table.unit, table.contact) == (SJ, "张敏（0898-1234567）")
    assert progress_table(h1, ["WJ"]).contact == "李华"
    with pytest.raises(ReportInputError, match="统计数据中没有这些部门：XX"):
        progress_table(h1, ["XX"])


def test_tables_from_merged_departments_facts_equal_the_county(session: Session, h1: Facts) -> None:
    parts = [facts_for(session, codes=c).as_received() for c in (["SJ"], ["WJ"], ["HB"], ["JY"])]
    merged = merge_facts(*parts)
    for mine, theirs in zip(all_tables(h1), all_tables(merged), strict=True):
        assert texts(mine) == texts(theirs), mine.title


# --- 联合检查 ---------------------------------------------------------------------------------------------


def test_joint_table_and_visits_saved(h1: Facts) -> None:
    table = joint_table(h1)
    assert table.title == "2026年度联合检查工作进展情况统计表"
    assert texts(table) == [
        [
            "1",
            "RW-2026-0002",
            "T2 RW-2026-0002",
            "餐饮服务单位食品安全与卫生联合检查",
            SJ,
            WJ,
            "2",
            "2",
            "2",
            "2",
            "已公示",
        ],
        # 3 objects × (3 departments − 1) = 6 visits saved; e11 is a draft, e12 not yet inspected.
        [
            "2",
            "RW-2026-0006",
            "T7 RW-2026-0006",
            "排污单位的监督检查",
            HB,
            f"{SJ}、{WJ}",
            "3",
            "3",
            "1",
            "6",
            "检查中",
        ],
        ["合计", "", "共2个任务", "", "", "", "", "5", "3", "8", ""],
    ]
    assert table.merges[4] == (0, 4, 1, 3)  # 参与部门 over 牵头/配合/部门数


def test_joint_table_follows_the_chosen_departments_and_period(session: Session, h1: Facts) -> None:
    assert [r[1].text for r in joint_table(h1, ["WJ"]).rows] == ["RW-2026-0002", "RW-2026-0006"]
    assert [r[1].text for r in joint_table(h1, ["HB"]).rows] == ["RW-2026-0006"]
    empty = joint_table(h1, ["JY"])
    assert empty.rows == () and texts(empty) == [["合计", "", "共0个任务", "", "", "", "", "0", "0", "0", ""]]
    # First quarter: no joint task had begun (T2 was drawn on 6 May).
    assert joint_table(facts_for(session, Period.quarter(2026, 1))).rows == ()


# --- 非市场监管领域 -----------------------------------------------------------------------------------------


def test_non_market_table(h1: Facts) -> None:
    table = non_market_table(h1)
    assert table.title == "2026年度市直部门非市场监管领域推行“双随机、一公开”情况统计表"
    assert texts(table) == [
        ["1", WJ, "1", "3", "2", "2", "是", "已报审", "1", "2", "1", "2", "0", "2", "1", "0", "0", "0.0%"],
        ["2", HB, "1", "3", "1", "1", "是", "草稿", "1", "4", "1", "1", "0", "3", "1", "0", "0", "0.0%"],
        ["3", JY, "0", "0", "0", "0", "否", "未制定", "0", "0", "0", "0", "0", "0", "0", "0", "0", "—"],
        # 两库一单 built by 2 departments, no plan 已审核备案; joint tasks T2, T7 counted once.
        ["合计", "", "2", "6", "3", "3", "2", "0", "2", "6", "2", "2", "0", "5", "2", "0", "0", "0.0%"],
    ]
    assert all(SJ not in row for row in texts(table))
    assert non_market_table(h1, ["SJ"]).rows == ()  # a market department chosen alone: nothing to show


def test_non_market_plan_table_has_only_their_rows(h1: Facts) -> None:
    table = non_market_plan_table(h1)
    assert table.title == "2026年度非市场监管领域抽查工作计划表"
    assert [c.name for c in table.columns] == ["序号", "部门", *PLAN_HEADERS[1:]]
    assert [(r[0].text, r[1].text, r[2].text, r[6].text) for r in table.rows] == [
        ("1", WJ, "公共场所卫生监督检查", "2"),
        ("2", HB, "排污单位的监督检查", "4"),
    ]
    assert cell(table, "合计", "计划抽查数").value == 6


# --- 计划表 -----------------------------------------------------------------------------------------------


def test_county_plan_table_adds_a_department_column(h1: Facts) -> None:
    table = plan_table(h1)
    assert table.title == "2026年度行政执法检查计划表"
    assert [c.name for c in table.columns] == ["序号", "部门", *PLAN_HEADERS[1:]]
    assert [[r[i].text for i in (0, 1, 2, 4, 5, 6, 9, 11)] for r in table.rows] == [
        ["1", SJ, "食品经营者的监督检查", "100", "5%", "5", "3月", ""],
        ["2", SJ, "特种设备使用单位的监督检查", "30", "3户", "3", "8月", ""],
        ["3", SJ, "餐饮服务单位食品安全与卫生联合检查", "40", "5%", "2", "5月", WJ],
        ["4", WJ, "公共场所卫生监督检查", "20", "2户", "2", "4月", ""],
        ["5", HB, "排污单位的监督检查", "50", "4户", "4", "11月", ""],
    ]
    assert cell(table, "合计", "计划抽查数").value == 16
    assert any("未制定2026年度抽查计划的部门：示范县教育局" in n for n in table.notes)
    assert any("示范县卫生健康委员会2026年度计划已报审" in n for n in table.notes)


def test_one_department_plan_table_is_the_plan_forms_layout(h1: Facts) -> None:
    table = plan_table(h1, ["SJ"])
    assert [c.name for c in table.columns] == list(PLAN_HEADERS)
    assert [h.text for h in table.headers] == list(PLAN_HEADERS)
    assert [r[0].value for r in table.rows] == [1, 2, 3]
    assert table.rows[0][11].text == "每年1次" and table.rows[2][10].text == WJ
    assert cell(table, "合计", "计划抽查数").value == 10
    assert (table.unit, table.contact) == (SJ, "张敏（0898-1234567）")


def test_build_table_by_kind(h1: Facts) -> None:
    assert build_table("joint", h1).kind == "joint"
    assert [t.kind for t in all_tables(h1)] == ["plan", "progress", "joint", "non_market_plan", "non_market"]
    with pytest.raises(ReportInputError, match="没有这种统计表"):
        build_table("nope", h1)


# --- drill-down -------------------------------------------------------------------------------------------


def test_drill_down_lists_exactly_the_records_behind_a_number(h1: Facts, county: County) -> None:
    table = progress_table(h1)
    headers, rows = drill_down(h1, cell(table, 0, "发现问题数"))
    assert headers[:6] == (
        "任务编号",
        "对象名称",
        "统一社会信用代码/注册号",
        "检查日期",
        "检查方式",
        "检查结果",
    )
    assert [(r[0], r[1], r[3], r[5], r[7]) for r in rows] == [
        ("RW-2026-0001", "示范县第2号商贸有限公司", "2026-03-12", "发现问题已责令改正", "责令改正"),
        ("RW-2026-0001", "示范县第3号商贸有限公司", "2026-03-15", "发现问题待后续处理", "立案查处"),
        ("RW-2026-0002", "示范县第5号商贸有限公司", "2026-06-30", "未按规定公示应当公示的信息", "无需处置"),
    ]
    assert rows[0][6] == "未在显著位置公示食品经营许可证" and rows[0][8] == "当场责令改正"
    assert drill_local_ids(h1, cell(table, 0, "发现问题数")) == [
        county.inspection[("T1", "e2")],
        county.inspection[("T1", "e3")],
        county.inspection[("T2", "e5")],
    ]
    _h, drawn = drill_down(h1, cell(table, 1, "抽取数"))
    assert [(r[0], r[2], r[5]) for r in drawn] == [
        ("RW-2026-0004", "示范县第7号商贸有限公司", "2026-04-01"),
        ("RW-2026-0004", "示范县第8号商贸有限公司", "2026-04-01"),
    ]
    _h, tasks = drill_down(h1, cell(table, "合计", "参与联合抽查"))
    assert [(r[0], r[2], r[3], r[5], r[6]) for r in tasks] == [  # by the day each began
        ("RW-2026-0002", SJ, WJ, "计划内、联合", "2026-05-06"),
        ("RW-2026-0006", HB, f"{SJ}、{WJ}", "计划外、联合", "2026-06-01"),
    ]
    assert drill_local_ids(h1, cell(table, "合计", "参与联合抽查")) == [county.task["T2"], county.task["T7"]]


def test_drilling_a_rate_lists_its_base_with_a_flag(h1: Facts) -> None:
    rate = cell(progress_table(h1), "合计", "公示率")
    headers, rows = drill_down(h1, rate)
    assert headers[-1] == "已公示" and len(rows) == 7
    assert sorted(r[-1] for r in rows) == ["否", "否", "是", "是", "是", "是", "是"]
    assert {r[1] for r in rows if r[-1] == "否"} == {"示范县第7号商贸有限公司", "示范县第10号商贸有限公司"}
    on_time = cell(progress_table(h1), 0, "按时公示率")
    _h, rows = drill_down(h1, on_time)
    assert [(r[0], r[-1]) for r in rows].count(("RW-2026-0002", "否")) == 2


def test_drilling_plan_items_and_departments(h1: Facts) -> None:
    _h, rows = drill_down(h1, cell(progress_table(h1), 0, "计划抽查数"))
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("1", "食品经营者的监督检查", "5", "3月"),
        ("2", "特种设备使用单位的监督检查", "3", "8月"),
        ("3", "餐饮服务单位食品安全与卫生联合检查", "2", "5月"),
    ]
    _h, rows = drill_down(h1, cell(progress_table(h1), 0, "抽查事项数（项）"))
    assert [r[:3] for r in rows] == [
        ("SJ-001", "食品经营者的监督检查", "部门"),
        ("SJ-002", "特种设备使用单位的监督检查", "部门"),
    ]
    _h, rows = drill_down(h1, cell(non_market_table(h1), "合计", "是否建立“两库一单”"))
    assert [r[0] for r in rows] == [WJ, HB]


def test_a_number_without_records_cannot_be_drilled(h1: Facts) -> None:
    registry = cell(non_market_table(h1), 0, "检查对象名录库（户）")
    assert registry.value == 3 and not registry.drillable
    with pytest.raises(ReportInputError, match="没有可展开的明细"):
        drill_down(h1, registry)


def test_drill_down_works_on_received_facts(h1: Facts) -> None:
    received = h1.as_received()
    number = cell(progress_table(received), 0, "已检查数")
    _h, rows = drill_down(received, number)
    assert len(rows) == 5 and drill_local_ids(received, number) == [None] * 5


# --- definitions ------------------------------------------------------------------------------------------


def test_a_problem_is_a_problem_result_or_a_written_problem(h1: Facts) -> None:
    import dataclasses

    from app.reports.facts import FindingFact

    clean = next(i for i in h1.inspections if i.result == "未发现问题")
    assert not has_problem(clean)
    assert not has_problem(dataclasses.replace(clean, findings=(FindingFact(1, "许可", "无", ""),)))
    assert has_problem(dataclasses.replace(clean, findings=(FindingFact(1, "许可", "证照过期", "责令改正"),)))


def test_chart_data(h1: Facts) -> None:
    charts = progress_charts(h1)
    assert charts.monthly == (
        ("1月", 0, 0),
        ("2月", 0, 0),
        ("3月", 3, 3),
        ("4月", 2, 1),
        ("5月", 2, 1),
        ("6月", 3, 2),
    )
    assert charts.results == (
        ("未发现问题", 3),
        ("未按规定公示应当公示的信息", 1),
        ("发现问题已责令改正", 1),
        ("发现问题待后续处理", 1),
        ("已关闭停业或正在组织清算", 1),
    )
    assert progress_charts(h1, ["WJ"]).results == (("未发现问题", 1),)
