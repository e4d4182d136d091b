"""The 审计日志 listing: filters, newest first, windows of ids, rows, detail and export — over entries written by
real work through the services (sign-ins, a new user, a record added, changed and archived)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from app.audit import listing as al
from app.auth.users import LoginError, authenticate, create_first_admin, create_user
from app.database import Database
from app.registry.records import save_record
from app.registry.service import set_archived
from db.engine import transaction
from db.enums import UserRole

PASSWORD = "Shuang#2026"
CLERK = "李经办（clerk）"
ADMIN = "王管理（admin）"
SHOP = "示范县审计粮油店"
BEIJING = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Worked:
    db: Database
    entity_id: int
    before_work: int  # the last entry id before the work below


def _shop(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": SHOP,
        "kind": "企业",
        "address": "示范县城关镇人民路1号",
        "risk_level": "高",
        "department": "示范县市场监督管理局",
    }
    values.update(changes)
    return values


@pytest.fixture
def worked(demo_db: Database) -> Worked:
    """A day's work on the demo county: the administrator signs in (once wrongly), adds a clerk; the clerk
    signs in, adds a shop, changes its risk level and archives it."""
    with demo_db.sessions() as session:
        before = al.latest_id(session)
    with transaction(demo_db.sessions) as session:
        create_first_admin(session, "admin", "王管理", PASSWORD)
    with pytest.raises(LoginError):
        authenticate(demo_db.sessions, "admin", "not-the-password")
    demo_db.sign_in(authenticate(demo_db.sessions, "admin", PASSWORD).actor)
    with transaction(demo_db.sessions) as session:
        create_user(session, "clerk", "李经办", UserRole.CLERK, "Temp#2026a", "示范县市场监督管理局")
    demo_db.sign_in(authenticate(demo_db.sessions, "clerk", "Temp#2026a").actor)
    with transaction(demo_db.sessions) as session:
        entity_id, _warnings = save_record(session, "entities", None, _shop())
    with transaction(demo_db.sessions) as session:
        save_record(session, "entities", entity_id, _shop(risk_level="低"))
    with transaction(demo_db.sessions) as session:
        set_archived(session, "entities", [entity_id], archived=True)
    return Worked(demo_db, entity_id, before)


def _all_rows(db: Database, f: al.AuditFilter) -> list[al.AuditRow]:
    with db.sessions() as session:
        ids = al.entry_ids(session, f, 0, 100_000)
        rows = al.fetch_entries(session, ids)
    return [rows[i] for i in ids]


def test_the_log_lists_newest_first_in_windows_that_add_up(worked: Worked) -> None:
    with worked.db.sessions() as session:
        everything = al.AuditFilter(up_to_id=al.latest_id(session))
        total = al.count_entries(session, everything)
        windows = [al.entry_ids(session, everything, start, 7) for start in range(0, total, 7)]
    ids = [i for window in windows for i in window]
    assert len(ids) == total > worked.before_work
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == total
    newest = _all_rows(worked.db, everything)[0]
    assert (newest.action, newest.username) == ("归档", CLERK)
    assert SHOP in newest.summary and newest.at.tzinfo is not None


def test_filters_by_action_user_and_object_type(worked: Worked) -> None:
    failures = _all_rows(worked.db, al.AuditFilter(action="登录失败"))
    assert len(failures) == 1 and failures[0].username == ADMIN and "密码错误" in failures[0].summary

    by_clerk = _all_rows(worked.db, al.AuditFilter(username=CLERK))
    assert {r.username for r in by_clerk} == {CLERK}
    assert {"登录", "新增", "修改", "归档"} <= {r.action for r in by_clerk}

    users = _all_rows(worked.db, al.AuditFilter(object_type="用户", action="新增"))
    assert any("clerk" in r.summary for r in users)
    assert all(r.object_type == "用户" and r.action == "新增" for r in users)

    with worked.db.sessions() as session:
        assert al.count_entries(session, al.AuditFilter(username=CLERK, action="登录失败")) == 0


def test_search_finds_words_in_the_summary_and_the_object_id(worked: Worked) -> None:
    about_shop = _all_rows(worked.db, al.AuditFilter(text="审计粮油"))
    assert [r.action for r in about_shop] == ["归档", "修改", "新增"]
    # Several words must all be there.
    assert [r.action for r in _all_rows(worked.db, al.AuditFilter(text="审计粮油 风险等级"))] == ["修改"]
    by_id = _all_rows(worked.db, al.AuditFilter(text=str(worked.entity_id), object_type="检查对象"))
    assert by_id and all(
        str(worked.entity_id) in r.object_id or str(worked.entity_id) in r.summary for r in by_id
    )
    # LIKE wildcards typed by the reader are plain characters.
    assert _all_rows(worked.db, al.AuditFilter(text="%")) == []


def test_dates_are_local_days_turned_into_utc_bounds(worked: Worked) -> None:
    start, end = al.utc_bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 1), BEIJING)
    assert start == dt.datetime(2026, 2, 28, 16, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 3, 1, 16, 0, tzinfo=dt.UTC)
    assert al.utc_bounds(None, None) == (None, None)

    newest = _all_rows(worked.db, al.AuditFilter())[0]
    for tz in (BEIJING, dt.timezone(dt.timedelta(hours=-11))):
        day = newest.at.astimezone(tz).date()
        one_day = dt.timedelta(days=1)
        on_day = _all_rows(worked.db, al.AuditFilter(date_from=day, date_to=day, tz=tz))
        assert on_day[0].id == newest.id
        assert all(r.at.astimezone(tz).date() == day for r in on_day)
        assert newest.id not in {
            r.id for r in _all_rows(worked.db, al.AuditFilter(date_to=day - one_day, tz=tz))
        }
        assert _all_rows(worked.db, al.AuditFilter(date_from=day + one_day, tz=tz)) == []


def test_position_of_an_entry_follows_the_filter(worked: Worked) -> None:
    rows = _all_rows(worked.db, al.AuditFilter(username=CLERK))
    target = rows[2]
    with worked.db.sessions() as session:
        assert al.position_of(session, al.AuditFilter(username=CLERK), target.id) == 2
        assert al.position_of(session, al.AuditFilter(), target.id) == 2  # the clerk did the last entries
        assert al.position_of(session, al.AuditFilter(username=ADMIN), target.id) is None


def test_a_pinned_listing_ignores_entries_written_later(worked: Worked) -> None:
    with worked.db.sessions() as session:
        pinned = al.AuditFilter(up_to_id=al.latest_id(session))
        before = al.count_entries(session, pinned)
    with transaction(worked.db.sessions) as session:
        set_archived(session, "entities", [worked.entity_id], archived=False)
    with worked.db.sessions() as session:
        assert al.count_entries(session, pinned) == before
        assert al.count_entries(session, al.AuditFilter()) == before + 1


def test_filter_choices_offer_what_is_in_the_log(worked: Worked) -> None:
    with worked.db.sessions() as session:
        choices = al.filter_choices(session)
    assert {ADMIN, CLERK} <= set(choices.usernames)
    assert {"登录", "登录失败", "新增", "修改", "归档"} <= set(choices.actions)
    assert {"用户", "检查对象"} <= set(choices.object_types)
    assert "" not in choices.usernames and choices.actions == sorted(choices.actions)


def test_detail_shows_fields_before_and_after_readably(worked: Worked) -> None:
    change = _all_rows(worked.db, al.AuditFilter(action="修改", text=SHOP))[0]
    new_user = _all_rows(worked.db, al.AuditFilter(action="新增", object_type="用户", text="clerk"))[0]
    with worked.db.sessions() as session:
        detail = al.entry_detail(session, change.id)
        user_detail = al.entry_detail(session, new_user.id)
        assert al.entry_detail(session, 10**9) is None
    assert detail is not None and user_detail is not None
    assert [(c.label, c.before, c.after) for c in detail.changes] == [("风险等级", "高", "低")]
    assert len(detail.hmac) == 64 and detail.key_id and detail.prev_hmac
    fields = {c.label: c for c in user_detail.changes}
    assert fields["部门"].after == "示范县市场监督管理局"  # the department's name, not its id
    assert fields["密码"].after == "（已更改）" and fields["须修改密码"].after == "是"
    assert fields["角色"].before == ""  # a new record has no 修改前


def test_export_writes_the_filtered_entries_and_is_itself_audited(worked: Worked, tmp_path: Path) -> None:
    target = tmp_path / "审计日志.xlsx"
    wanted = al.AuditFilter(username=CLERK, tz=BEIJING)
    expected = _all_rows(worked.db, wanted)
    stages: list[str] = []
    with worked.db.sessions() as session:
        written = al.export_entries(session, wanted, target, lambda stage, _f: stages.append(stage))
    assert written == len(expected) and stages[-1] == "完成"
    sheet = openpyxl.load_workbook(target, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "时间", "用户", "操作", "对象类型", "对象", "摘要")
    assert [r[0] for r in rows[1:]] == [e.id for e in expected]
    assert rows[1][1] == al.local_time_text(expected[0].at, BEIJING)
    exported = _all_rows(worked.db, al.AuditFilter(action="导出", object_type=al.AUDIT_LABEL))
    assert len(exported) == 1 and exported[0].username == CLERK
    assert "审计日志.xlsx" in exported[0].summary and "用户 李经办（clerk）" in exported[0].summary


def test_local_time_text_shows_the_readers_clock() -> None:
    at = dt.datetime(2026, 3, 1, 1, 2, 3, tzinfo=dt.UTC)
    assert al.local_time_text(at, BEIJING) == "2026-03-01 09:02:03"
    assert al.local_time_text(None) == ""
