"""A package altered after export, or built to harm the reader, is refused with a message naming what failed,
and the receiving database is left exactly as it was."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.database import Database
from app.exchange import (
    ImportRefusedError,
    KeyChangedError,
    PackageInvalidError,
    PackageUnreadableError,
    import_package,
    inspect_package,
)
from app.exchange.format import FACTS, MANIFEST
from tests.app.exchange.conftest import (
    OTHER_KEY,
    Exported,
    entries,
    facts_of,
    first_record,
    resign,
    table_counts,
    write_zip,
)


def refused(receiver: Database, path: Path, error: type[Exception] = PackageInvalidError) -> str:
    """Import ``path``, expect ``error``, check nothing was written; return the message."""
    before = table_counts(receiver)
    with receiver.sessions() as session, pytest.raises(error) as caught:
        import_package(session, path)
    assert table_counts(receiver) == before
    message = getattr(caught.value, "message_zh", "")
    problems = getattr(caught.value, "problems", ())
    return "\n".join([message, *problems])


def edited_facts(files: dict[str, bytes]) -> dict[str, bytes]:
    facts = facts_of(files)
    facts["departments"][0]["entity_count"] += 100  # type: ignore[index]
    return {**files, FACTS: json.dumps(facts, ensure_ascii=False).encode("utf-8")}


def edited_manifest(files: dict[str, bytes]) -> dict[str, bytes]:
    manifest = json.loads(files[MANIFEST])
    manifest["sender"]["department_name"] = "示范县司法局"
    return {**files, MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")}


def removed_record(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name != first_record(files)}


def extra_record(files: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, "records/SJD-20260101-FFFFFFFF.json": files[first_record(files)]}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (edited_facts, "文件 facts.json 的内容与清单记录的大小或 SHA-256 摘要不符"),
        (edited_manifest, "签名无效"),
        (removed_record, "数据包缺少文件 records/SJD-"),
        (extra_record, "数据包中多出文件 records/SJD-20260101-FFFFFFFF.json"),
    ],
    ids=["facts-edited", "manifest-edited", "record-removed", "extra-file"],
)
def test_an_altered_package_is_refused_and_nothing_is_written(
    sj_package: Exported,
    receiver: Database,
    tmp_path: Path,
    change: Callable[[dict[str, bytes]], dict[str, bytes]],
    expected: str,
) -> None:
    path = write_zip(tmp_path / "altered.sjpkg", change(entries(sj_package.path)))
    report = inspect_package(path)
    assert not report.valid and report.readable and report.exit_code == 1
    assert any(expected in problem for problem in report.problems), report.problems
    message = refused(receiver, path)
    assert "已拒绝导入，未写入任何数据" in message and expected in message


def test_a_record_edited_and_re_signed_with_another_key_is_refused_for_a_known_sender(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    with receiver.sessions() as session:
        import_package(session, sj_package.path)  # SJ and its key are known now
    files = entries(sj_package.path)
    name = first_record(files)
    record = json.loads(files[name])
    record["witness"][0]["name"] = "张三"
    files[name] = json.dumps(record, ensure_ascii=False).encode("utf-8")
    path = write_zip(
        tmp_path / "forged.sjpkg",
        resign(files, OTHER_KEY, lambda m: m.update(created_at="2026-12-01T00:00:00+00:00")),
    )
    message = refused(receiver, path, ImportRefusedError)
    assert OTHER_KEY.fingerprint in message and sj_package.summary.fingerprint in message


def test_a_first_time_sender_with_consistently_re_signed_but_changed_draw_is_caught_by_sjdraw1(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    """The forger swaps a drawn object for another in the record AND in the facts, re-hashes everything and
    signs with a key of their own: signature, hashes and facts all agree; only recomputing the draw shows it."""
    files = entries(sj_package.path)
    name = first_record(files)
    uid = name.removeprefix("records/").removesuffix(".json")
    record = json.loads(files[name])
    drawn = {entry["id"] for entry in record["draw"]}
    other_id, _stratum, other_name = next(row for row in record["objects"] if row[0] not in drawn)
    record["draw"][0]["id"] = other_id
    record["final"][0]["id"] = other_id
    files[name] = json.dumps(record, ensure_ascii=False).encode("utf-8")
    facts = facts_of(files)
    draw = next(d for d in facts["draws"] if d["draw_uid"] == uid)  # type: ignore[attr-defined]
    draw["entity_keys"][0] = f"{other_id}|{other_name}"
    facts["entities"].append(  # type: ignore[attr-defined]
        {
            "key": f"{other_id}|{other_name}",
            "uscc": other_id,
            "reg_no": "",
            "name": other_name,
            "kind": "企业",
        }
    )
    files[FACTS] = json.dumps(facts, ensure_ascii=False).encode("utf-8")

    def recount(manifest: dict[str, object]) -> None:
        manifest["counts"]["entities"] += 1  # type: ignore[index]

    path = write_zip(tmp_path / "forged.sjpkg", resign(files, OTHER_KEY, recount))
    report = inspect_package(path)
    assert report.signature_valid
    assert len(report.problems) == 1, report.problems
    assert report.problems[0].startswith(f"摇号记录 records/{uid}.json（任务 SJ/RW-2026-")
    assert "未通过 SJDRAW-1 验证" in report.problems[0] and "draw" in report.problems[0]
    assert "未通过 SJDRAW-1 验证" in refused(receiver, path)


def test_a_record_that_verifies_but_does_not_match_the_facts_is_refused(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    """Two genuine records swapped between two draws' file names: each verifies, neither fits its draw."""
    files = entries(sj_package.path)
    first, second = sorted(name for name in files if name.startswith("records/"))[:2]
    files[first], files[second] = files[second], files[first]
    path = write_zip(tmp_path / "swapped.sjpkg", resign(files, OTHER_KEY))
    problems = inspect_package(path).problems
    assert any("中的摇号编号" in p and "与文件名不符" in p for p in problems), problems
    assert any("抽中的对象与 facts.json 不一致" in p for p in problems), problems


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../evil", "指向数据包以外位置"),
        ("records/../../evil.json", "指向数据包以外位置"),
        ("/etc/evil.json", "绝对路径"),
        ("notes.txt", "SJPKG-1 格式之外的文件"),
        ("records/", "不允许的文件名或文件夹"),
    ],
)
def test_hostile_entry_names_are_refused_before_anything_is_read(
    sj_package: Exported, receiver: Database, tmp_path: Path, hostile: str, expected: str
) -> None:
    path = write_zip(tmp_path / "hostile.sjpkg", {**entries(sj_package.path), hostile: b"x"})
    report = inspect_package(path)
    assert report.problems == [report.problems[0]] and expected in report.problems[0]
    assert report.contents == {}
    assert expected in refused(receiver, path)


def test_a_zip_bomb_is_refused_without_inflating_it(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    files = entries(sj_package.path)
    path = tmp_path / "bomb.sjpkg"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data if name != FACTS else b" " * (64 << 20))
    assert path.stat().st_size < 1 << 20
    report = inspect_package(path)
    assert report.contents == {}
    assert "压缩炸弹" in report.problems[0] and "facts.json" in report.problems[0]
    assert "压缩炸弹" in refused(receiver, path)


def test_a_file_that_is_not_a_package_is_unreadable(receiver: Database, tmp_path: Path) -> None:
    text = tmp_path / "notes.sjpkg"
    text.write_text("这不是数据包", encoding="utf-8")
    report = inspect_package(text)
    assert not report.readable and report.exit_code == 2
    assert "不是数据包" in report.problems[0]
    assert "不是数据包" in refused(receiver, text, PackageUnreadableError)
    assert inspect_package(tmp_path / "missing.sjpkg").exit_code == 2


def test_a_truncated_package_is_unreadable(sj_package: Exported, receiver: Database, tmp_path: Path) -> None:
    data = sj_package.path.read_bytes()
    path = tmp_path / "cut.sjpkg"
    path.write_bytes(data[: len(data) // 2])
    assert inspect_package(path).exit_code == 2
    refused(receiver, path, PackageUnreadableError)


def test_a_known_sender_signing_with_an_unknown_key_is_not_a_tampering_pass(
    sj_package: Exported, receiver: Database, tmp_path: Path
) -> None:
    """Re-signing an untouched package with another key still needs the clerk's confirmation."""
    with receiver.sessions() as session:
        import_package(session, sj_package.path)
    path = write_zip(tmp_path / "resigned.sjpkg", resign(entries(sj_package.path), OTHER_KEY))
    assert inspect_package(path).valid  # a consistent package in itself …
    refused(receiver, path, KeyChangedError)  # … but not from the key SJ is known by
