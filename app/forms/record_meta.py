"""Reading a draw record's ``meta`` (not verified by SJDRAW-1) into draw-sheet fields.

Two spellings are read. The product's own (:func:`app.tasks.results.build_meta`)::

    task_code, task_title, task_kind, items [{"code", "name"}], departments [{"name", "role", ...}],
    place, operator, finished_at, attempt, voided_attempts [{"attempt", "reason", "voided_at"}],
    witnesses [{"name", "affiliation"}], inspection_date,
    pool {"registry_size", "filter" [str], "base_count", "exclusions" [{"label", "enabled", "count"}]},
    voided {"at", "reason"}          (added when a voided draw is exported)

and a flat one for records made elsewhere::

    bureau_name, task_code, task_title, items [str], lead_department, partner_departments [str],
    drawn_at, place, operator, attempt, voided [{"attempt", "reason", "at"}], pool_base,
    exclusions [{"reason", "count"}], witness_affiliations {name: affiliation}

Anything missing or of the wrong type is left out; the sheet then prints an empty, writable field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.forms.draw_sheet_data import PoolExclusion, VoidedAttempt

LEAD_ROLE = "发起"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return ""
    return value.strip() if isinstance(value, str) else (str(value) if isinstance(value, int) else "")


def _when(value: object) -> str:
    """An ISO date or date-time as printed on a form (``2026年3月12日 09:30``, local time); other text as is."""
    text = _text(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) == 10:  # a date alone
        return f"{moment.year}年{moment.month}月{moment.day}日"
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _dicts(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _item_names(value: object) -> tuple[str, ...]:
    """Items as ``name（code）`` from dicts, or as given from strings."""
    names: list[str] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            name, code = _text(item.get("name")), _text(item.get("code"))
            names.append(f"{name}（{code}）" if name and code else name or code)
        elif _text(item):
            names.append(_text(item))
    return tuple(n for n in names if n)


def _voided(meta: Mapping[str, Any]) -> tuple[VoidedAttempt, ...]:
    rows = _dicts(meta.get("voided_attempts")) or _dicts(meta.get("voided"))
    return tuple(
        VoidedAttempt(
            _count(v.get("attempt")) or 0, _text(v.get("reason")), _when(v.get("voided_at") or v.get("at"))
        )
        for v in rows
    )


def _pool(meta: Mapping[str, Any]) -> dict[str, Any]:
    pool = meta.get("pool")
    fields: dict[str, Any] = {}
    if isinstance(pool, dict):
        fields["registry_size"] = _count(pool.get("registry_size"))
        fields["pool_filters"] = tuple(_text(f) for f in pool.get("filter", []) if _text(f))
        fields["pool_base"] = _count(pool.get("base_count"))
        fields["exclusions"] = tuple(
            PoolExclusion(
                _text(e.get("label")), _count(e.get("count")) or 0, e.get("enabled", True) is not False
            )
            for e in _dicts(pool.get("exclusions"))
        )
    else:
        fields["pool_base"] = _count(meta.get("pool_base"))
        fields["exclusions"] = tuple(
            PoolExclusion(_text(e.get("reason")), _count(e.get("count")) or 0)
            for e in _dicts(meta.get("exclusions"))
        )
    return fields


def _departments(meta: Mapping[str, Any]) -> dict[str, Any]:
    rows = _dicts(meta.get("departments"))
    if rows:
        lead = [_text(d.get("name")) for d in rows if _text(d.get("role")) == LEAD_ROLE]
        partners = [_text(d.get("name")) for d in rows if _text(d.get("role")) != LEAD_ROLE]
        return {
            "lead_department": lead[0] if lead else "",
            "partner_departments": tuple(p for p in partners if p),
        }
    partners_value = meta.get("partner_departments")
    if isinstance(partners_value, str):
        partners = [p.strip() for p in partners_value.replace("，", ",").replace("、", ",").split(",")]
    else:
        partners = [_text(p) for p in partners_value] if isinstance(partners_value, list) else []
    return {
        "lead_department": _text(meta.get("lead_department")),
        "partner_departments": tuple(p for p in partners if p),
    }


def witness_affiliations(meta: Mapping[str, Any]) -> dict[str, str]:
    """Witness name → affiliation (单位/身份), from either spelling."""
    flat = meta.get("witness_affiliations")
    found = {str(k): _text(v) for k, v in flat.items()} if isinstance(flat, dict) else {}
    for w in _dicts(meta.get("witnesses")):
        if _text(w.get("name")):
            found[_text(w["name"])] = _text(w.get("affiliation"))
    return found


def sheet_fields(meta: object) -> dict[str, Any]:
    """The :class:`~app.forms.draw_sheet_data.DrawSheetData` fields ``meta`` provides (empty if none)."""
    if not isinstance(meta, dict):
        return {}
    fields: dict[str, Any] = {
        "bureau_name": _text(meta.get("bureau_name") or meta.get("bureau")),
        "task_code": _text(meta.get("task_code")),
        "task_title": _text(meta.get("task_title")),
        "task_kind": _text(meta.get("task_kind")),
        "items": _item_names(meta.get("items")),
        "drawn_at": _when(meta.get("drawn_at") or meta.get("finished_at")),
        "place": _text(meta.get("place")),
        "operator": _text(meta.get("operator")),
        "inspection_date": _when(meta.get("inspection_date")),
        "attempt": _count(meta.get("attempt")) or 1,
        "voided": _voided(meta),
        **_departments(meta),
        **_pool(meta),
    }
    this_draw = meta.get("voided")
    if isinstance(this_draw, dict):  # an export of a draw that was itself declared void
        when, why = _when(this_draw.get("at")), _text(this_draw.get("reason"))
        fields["void_note"] = f"本次抽取已作废{f'（{when}）' if when else ''}，原因：{why or '未注明'}"
    return fields
