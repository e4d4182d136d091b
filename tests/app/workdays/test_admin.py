"""The bureau's own days: they override the official arrangement, survive re-loads, and can be undone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.workdays import (
    CalendarEditError,
    DayInput,
    DaySource,
    NoOfficialCalendarError,
    bundled,
    calendar_years,
    check_day,
    delete_day,
    list_year,
    load_bundled,
    load_work_calendar,
    restore_official,
    save_day,
    year_summary,
)
from db.enums import CalendarDayKind
from db.models import CalendarDay
from tests.app.workdays.conftest import d


def _row(session: Session, day: str) -> CalendarDay:
    row = session.get(CalendarDay, d(day))
    assert row is not None, f"{day} is not listed"
    return row


def _listed(session: Session, day: str) -> bool:
    return session.get(CalendarDay, d(day)) is not None


def test_listing_a_year_loads_the_official_days_in_order(session: Session) -> None:
    entries = list_year(session, 2025)
    assert len(entries) == 33
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    first = entries[0]
    assert (first.day, first.weekday, first.kind, first.name, first.source_label) == (
        d("2025-01-01"),
        "星期三",
        CalendarDayKind.HOLIDAY,
        "元旦",
        "官方安排",
    )


def test_an_edited_official_day_becomes_the_bureaus_and_wins(session: Session) -> None:
    load_bundled(session)
    # Say the county works on 8 October 2025 after all.
    save_day(session, DayInput(d("2025-10-08"), "班", "本县安排"), replacing=d("2025-10-08"))
    session.commit()
    row = _row(session, "2025-10-08")
    assert (row.kind, row.name, row.source) == ("班", "本县安排", "user")
    assert load_work_calendar(session).add_workdays(d("2025-09-30"), 1) == d("2025-10-08")


def test_user_rows_survive_a_forced_reload(session: Session) -> None:
    load_bundled(session)
    save_day(session, DayInput(d("2025-10-08"), "班", "本县安排"), replacing=d("2025-10-08"))
    save_day(session, DayInput(d("2025-03-08"), "休", "妇女节（本县）"))
    delete_day(session, d("2025-05-05"))  # an official day the bureau removed
    session.commit()
    assert load_bundled(session, force=True) == list(range(2019, 2027))
    session.commit()
    assert _row(session, "2025-10-08").kind == "班"
    assert _row(session, "2025-03-08").source == "user"
    assert not _listed(session, "2025-05-05")
    assert _row(session, "2025-05-04").source == "bundled"


def test_user_rows_survive_a_corrected_shipped_file(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_bundled(session)
    save_day(session, DayInput(d("2025-10-08"), "班", "本县安排"), replacing=d("2025-10-08"))
    session.commit()
    # A later version ships a corrected 2025: 2 June dropped, 7 June added.
    corrected = tmp_path / "calendar"
    shutil.copytree(bundled.calendar_dir(), corrected)
    data = json.loads((corrected / "2025.json").read_text(encoding="utf-8"))
    data["days"] = [e for e in data["days"] if e["date"] != "2025-06-02"]
    data["days"].append({"date": "2025-06-07", "kind": "休", "name": "测试"})
    data["days"] = [
        {**e, "kind": "休", "name": "改过的"} if e["date"] == "2025-10-08" else e for e in data["days"]
    ]
    (corrected / "2025.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(bundled, "calendar_dir", lambda: corrected)
    assert load_bundled(session) == [2025]  # only the changed year is loaded again
    session.commit()
    assert not _listed(session, "2025-06-02")
    assert _row(session, "2025-06-07").name == "测试"
    assert (_row(session, "2025-10-08").kind, _row(session, "2025-10-08").name) == ("班", "本县安排")
    assert load_bundled(session) == []


def test_restore_official_replaces_the_bureaus_rows_of_that_year_only(session: Session) -> None:
    load_bundled(session)
    save_day(session, DayInput(d("2025-10-08"), "班", "本县安排"), replacing=d("2025-10-08"))
    delete_day(session, d("2025-05-05"))
    save_day(session, DayInput(d("2026-03-07"), "班", "本县安排"))
    session.commit()
    summary = year_summary(session, 2025)
    assert (summary.user_days, summary.removed_official) == (1, 1)
    assert "本单位录入或修改 1 天、删除官方日期 1 天" in summary.message
    assert restore_official(session, 2025) == 1
    session.commit()
    assert _row(session, "2025-10-08").source == "bundled"
    assert _row(session, "2025-05-05").kind == "休"
    assert {e.source for e in list_year(session, 2025)} == {DaySource.BUNDLED}
    assert _row(session, "2026-03-07").source == "user"


def test_restore_refuses_a_year_the_program_does_not_ship(session: Session) -> None:
    with pytest.raises(NoOfficialCalendarError, match="未内置2027年"):
        restore_official(session, 2027)


def test_adding_a_day_already_listed_is_refused(session: Session) -> None:
    load_bundled(session)
    with pytest.raises(CalendarEditError, match=r"2025-10-01（星期三）已在列表中（休 国庆节、中秋节）"):
        save_day(session, DayInput(d("2025-10-01"), "休", "国庆节"))


def test_the_kind_must_be_rest_or_work(session: Session) -> None:
    with pytest.raises(CalendarEditError, match="类型只能是“休”（放假）或“班”（调休上班）"):
        check_day(session, DayInput(d("2027-01-01"), "假", "元旦"))


def test_pointless_days_are_allowed_with_a_warning(session: Session) -> None:
    assert check_day(session, DayInput(d("2027-01-01"), "休", "元旦")) == []  # Friday off: meaningful
    assert check_day(session, DayInput(d("2027-02-06"), "班", "春节")) == []  # Saturday worked: meaningful
    weekday_work = check_day(session, DayInput(d("2027-01-05"), "班", ""))
    weekend_rest = check_day(session, DayInput(d("2027-01-02"), "休", "元旦"))
    assert weekday_work == ["2027-01-05 是星期二，本来就是工作日，标为“班”不改变任何期限。"]
    assert weekend_rest == ["2027-01-02 是星期六，本来就不上班，标为“休”不改变任何期限。"]
    assert save_day(session, DayInput(d("2027-01-02"), "休", "元旦")) == weekend_rest


def test_moving_an_official_day_keeps_the_old_date_deleted(session: Session) -> None:
    load_bundled(session)
    save_day(session, DayInput(d("2025-06-03"), "休", "端午节（本县）"), replacing=d("2025-06-02"))
    session.commit()
    load_bundled(session, force=True)
    assert not _listed(session, "2025-06-02")
    assert _row(session, "2025-06-03").source == "user"


def test_editing_a_day_deleted_meanwhile_is_refused(session: Session) -> None:
    with pytest.raises(CalendarEditError, match="已不在列表中"):
        save_day(session, DayInput(d("2027-01-04"), "休", ""), replacing=d("2027-01-01"))
    with pytest.raises(CalendarEditError, match="已不在列表中"):
        delete_day(session, d("2027-01-01"))


def test_a_year_entered_by_hand_counts_as_covered(session: Session) -> None:
    assert not year_summary(session, 2027).covered
    assert "2027年节假日安排尚未录入" in year_summary(session, 2027).message
    save_day(session, DayInput(d("2027-01-01"), "休", "元旦"))
    session.commit()
    summary = year_summary(session, 2027)
    assert summary.covered and not summary.official_available
    assert load_work_calendar(session).covered(2027)
    assert 2027 in calendar_years(session, d("2025-06-01"))
