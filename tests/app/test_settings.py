"""Settings: defaults, storage, and validation with messages that name the field."""

from __future__ import annotations

import dataclasses

import pytest

from app.database import Database
from app.settings import BureauSettings, SettingsError, load_settings, save_settings
from db.engine import transaction


def test_defaults_until_something_is_saved(empty_db: Database) -> None:
    with empty_db.sessions() as session:
        assert load_settings(session) == BureauSettings()


def test_saved_settings_come_back(empty_db: Database) -> None:
    wanted = BureauSettings(bureau_name="某县司法局", county_name="某县", publication_deadline_workdays=20)
    with transaction(empty_db.sessions) as session:
        save_settings(session, wanted)
    with empty_db.sessions() as session:
        assert load_settings(session) == wanted


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("bureau_name", "  ", "单位名称"),
        ("publication_deadline_workdays", 0, "公示期限"),
        ("form_deadline_workdays", 61, "登记表期限"),
        ("doc_no_pattern", "〔{year}〕第{number}号", "文书编号格式"),
        ("own_department", "部" * 101, "本机所属部门"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    empty_db: Database, field: str, value: object, words: str
) -> None:
    bad = dataclasses.replace(BureauSettings(), **{field: value})
    with pytest.raises(SettingsError) as caught, transaction(empty_db.sessions) as session:
        save_settings(session, bad)
    assert words in caught.value.message_zh
    with empty_db.sessions() as session:
        assert load_settings(session) == BureauSettings()


def test_the_installations_own_department_is_kept_and_optional(empty_db: Database) -> None:
    assert BureauSettings().own_department == "", "databases made before the first-run setup have none"
    assert BureauSettings.LABELS["own_department"] == "本机所属部门"
    wanted = BureauSettings(own_department="某县市场监督管理局")
    with transaction(empty_db.sessions) as session:
        save_settings(session, wanted)
    with empty_db.sessions() as session:
        assert load_settings(session).own_department == "某县市场监督管理局"
