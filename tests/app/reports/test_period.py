"""统计期间: labels, both ends included, validation messages."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports import Period, ReportInputError

D = dt.date


def test_year_half_and_quarter_cover_the_right_days() -> None:
    assert Period.year(2026) == Period(D(2026, 1, 1), D(2026, 12, 31), "2026年度")
    assert Period.half(2026, 1) == Period(D(2026, 1, 1), D(2026, 6, 30), "2026年上半年")
    assert Period.half(2026, 2) == Period(D(2026, 7, 1), D(2026, 12, 31), "2026年下半年")
    assert [(q.start, q.end, q.label) for q in (Period.quarter(2028, n) for n in (1, 2, 3, 4))] == [
        (D(2028, 1, 1), D(2028, 3, 31), "2028年第一季度"),
        (D(2028, 4, 1), D(2028, 6, 30), "2028年第二季度"),
        (D(2028, 7, 1), D(2028, 9, 30), "2028年第三季度"),
        (D(2028, 10, 1), D(2028, 12, 31), "2028年第四季度"),
    ]


def test_any_dates_get_a_label_and_both_ends_are_included() -> None:
    period = Period.between(D(2026, 3, 1), D(2026, 5, 31))
    assert period.label == "2026年3月1日至2026年5月31日"
    assert Period.between(D(2026, 3, 1), D(2026, 5, 31), " 春季专项 ").label == "春季专项"
    assert period.contains(D(2026, 3, 1)) and period.contains(D(2026, 5, 31))
    assert not period.contains(D(2026, 2, 28)) and not period.contains(D(2026, 6, 1))
    assert not period.contains(None)
    assert period.overlaps(D(2026, 1, 1), D(2026, 3, 1)) and not period.overlaps(D(2026, 6, 1), D(2026, 7, 1))
    assert period.span_text == "2026年3月1日至2026年5月31日（2026年3月1日至2026年5月31日）"
    assert period.months() == [(2026, 3), (2026, 4), (2026, 5)]


def test_a_period_across_new_year_names_both_years() -> None:
    period = Period.between(D(2025, 11, 1), D(2026, 2, 28))
    assert list(period.years) == [2025, 2026]
    assert period.title_year == "2025—2026"
    assert period.months() == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert Period.year(2026).title_year == "2026"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Period.between(D(2026, 6, 1), D(2026, 5, 31)),
            "开始日期（2026年6月1日）晚于结束日期（2026年5月31日）",
        ),
        (lambda: Period.half(2026, 3), "半年应为 1（上半年）或 2（下半年）"),
        (lambda: Period.quarter(2026, 5), "季度应为 1–4"),
        (lambda: Period.year(1999), "统计年度应为 2000–2100 之间的整数"),
        (lambda: Period(D(2026, 1, 1), D(2026, 1, 2), " "), "统计期间的名称不能为空"),
        (lambda: Period(dt.datetime(2026, 1, 1), D(2026, 1, 2), "x"), "开始日期不是日期"),  # type: ignore[arg-type]
    ],
)
def test_bad_periods_are_refused_in_chinese(make: object, message: str) -> None:
    with pytest.raises(ReportInputError) as caught:
        make()  # type: ignore[operator]
    assert message in caught.value.message_zh


def test_json_round_trip() -> None:
    period = Period.quarter(2026, 2)
    assert Period.from_json_dict(period.to_json_dict()) == period
    with pytest.raises(ReportInputError, match="统计期间无法读取"):
        Period.from_json_dict({"start": "2026-13-01", "end": "2026-12-31", "label": "x"})
