#!/usr/bin/env python3
"""sjdraw_verify.py — 独立验证 SJDRAW-1 摇号记录 (independent verifier of SJDRAW-1 draw records).

用法 / usage:   python sjdraw_verify.py record.json

只用 Python 3.8+ 标准库，不依赖本软件的任何代码：按 SJDRAW-1 规范从记录中的输入
（名录、参数、见证人随机数、nonce、递补申请）重新计算一切，并与记录逐项比对。
Uses only the Python 3.8+ standard library and none of the product's code: it recomputes every
result from the record's inputs following the SJDRAW-1 specification and compares key by key.

退出码 / exit code:  0 验证通过 (verified) · 1 验证不通过 (does not verify) · 2 记录格式错误 (malformed)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from fractions import Fraction

VERIFIED, NOT_VERIFIED, MALFORMED = 0, 1, 2

TOP_KEYS = [
    "format", "draw_id", "params_text", "objects", "inspectors", "conflicts",
    "objects_sha256", "inspectors_sha256", "conflicts_sha256", "params_sha256",
    "commit", "witness", "nonce", "seed", "draw", "replacements", "final",
]  # fmt: skip

# Keys that are recomputed (the rest are inputs), with what a difference means.
CHECKED = [
    ("objects", "检查对象名录不是规范形式（NFC、按编号字节序排序）", "objects not in canonical form"),
    ("inspectors", "检查人员名录不是规范形式（NFC、按编号字节序排序）", "inspectors not in canonical form"),
    ("conflicts", "回避关系不是规范形式（NFC、去重、按字节序排序）", "conflicts not in canonical form"),
    ("objects_sha256", "检查对象名录的 SHA-256 与名录不符", "objects_sha256 mismatch"),
    ("inspectors_sha256", "检查人员名录的 SHA-256 与名录不符", "inspectors_sha256 mismatch"),
    ("conflicts_sha256", "回避关系的 SHA-256 与内容不符", "conflicts_sha256 mismatch"),
    ("params_sha256", "抽取参数的 SHA-256 与参数文本不符", "params_sha256 mismatch"),
    ("commit", "承诺值 commit 不等于 SHA-256(nonce)", "commit is not SHA-256(nonce)"),
    ("seed", "种子 seed 与重算结果不符", "seed mismatch"),
    ("draw", "抽取结果 draw 与重算结果不符", "draw mismatch"),
    ("replacements", "递补记录 replacements 与重算结果不符", "replacements mismatch"),
    ("final", "最终分配 final 与重算结果不符", "final mismatch"),
]


class Malformed(Exception):
    """The record cannot be verified at all (exit code 2)."""


class Stuck(Exception):
    """The recomputation cannot go on (infeasible draw, replacement that does not apply)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def by_bytes(items):
    """Sort strings by their UTF-8 bytes, as the spec says."""
    return sorted(items, key=utf8)


def check_text(value, where: str, must_be_nfc: bool) -> str:
    """A text field: a string without TAB/CR/LF that encodes as UTF-8 (and, if asked, already NFC)."""
    if not isinstance(value, str):
        raise Malformed(f"{where} 不是文本 / is not text: {value!r}")
    if "\t" in value or "\r" in value or "\n" in value:
        raise Malformed(f"{where} 含有 TAB/CR/LF / contains TAB, CR or LF")
    try:
        utf8(value)
    except UnicodeEncodeError:
        raise Malformed(f"{where} 不能编码为 UTF-8 / not encodable as UTF-8") from None
    if must_be_nfc and unicodedata.normalize("NFC", value) != value:
        raise Malformed(f"{where} 不是 NFC / is not NFC")
    return value


# ---------------------------------------------------------------- params (§2)

RATE_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
INT_RE = re.compile(r"[0-9]+")


def parse_params(text):
    """Return (strata, groups, cap); strata = [(label, ('rate', Fraction) | ('count', int))]."""
    if not isinstance(text, str):
        raise Malformed("params_text 不是文本 / is not text")
    if unicodedata.normalize("NFC", text) != text:
        raise Malformed("params_text 不是 NFC / is not NFC")
    if "\t" in text or "\r" in text or not text.endswith("\n"):
        raise Malformed("params_text 应为以 LF 结尾的4行 / must be 4 LF-terminated lines")
    lines = text.split("\n")[:-1]
    names = ["algorithm", "strata", "groups", "cap"]
    if len(lines) != 4:
        raise Malformed("params_text 应恰好4行 / must have exactly 4 lines")
    values = []
    for line, name in zip(lines, names):  # noqa: B905 (zip(strict=) needs Python 3.10; lengths checked above)
        if not line.startswith(name + "="):
            raise Malformed(
                f"params_text 第{len(values) + 1}行应以 {name}= 开头 / line must start with {name}="
            )
        values.append(line[len(name) + 1 :])
    if values[0] != "SJDRAW-1":
        raise Malformed(f"不支持的算法 / unsupported algorithm: {values[0]!r}")

    strata = []
    for item in values[1].split(","):
        if ":" not in item:
            raise Malformed(f"分层规则有误 / bad stratum rule: {item!r}")
        cut = item.rindex(":")
        label, amount = item[:cut], item[cut + 1 :]
        if label == "":
            raise Malformed("分层名称为空 / empty stratum label")
        if amount.startswith("#") and INT_RE.fullmatch(amount[1:]):
            strata.append((label, ("count", int(amount[1:]))))
        elif RATE_RE.fullmatch(amount) and Fraction(amount) <= 1:
            strata.append((label, ("rate", Fraction(amount))))
        else:
            raise Malformed(f"分层 {label} 的比例或数量有误 / bad rate or count: {amount!r}")
    if len({label for label, _ in strata}) != len(strata):
        raise Malformed("分层名称重复 / duplicate stratum label")

    groups = []
    for item in values[2].split(","):
        if ":" not in item:
            raise Malformed(f"分组规则有误 / bad group rule: {item!r}")
        cut = item.rindex(":")
        name, k = item[:cut], item[cut + 1 :]
        if name == "" or not INT_RE.fullmatch(k) or int(k) < 1:
            raise Malformed(f"分组规则有误 / bad group rule: {item!r}")
        groups.append((name, int(k)))
    group_names = [name for name, _ in groups]
    if len(set(group_names)) != len(group_names):
        raise Malformed("部门名称重复 / duplicate group")
    if "*" in group_names and len(group_names) != 1:
        raise Malformed("* 不能与具体部门同时使用 / * cannot be mixed with named groups")

    cap = values[3]
    if cap not in ("auto", "none"):
        if not INT_RE.fullmatch(cap) or int(cap) < 1:
            raise Malformed(f"cap 有误 / bad cap: {cap!r}")
        cap = int(cap)
    return strata, groups, cap


def sample_size(rule, n: int) -> int:
    kind, value = rule
    if kind == "count":
        return min(n, value)
    product = value * n
    whole = product.numerator // product.denominator
    return min(n, whole if whole == product else whole + 1)


# ---------------------------------------------------------------- rows (§2)


def read_rows(value, width: int, key: str):
    """The record's rows as given: lists of `width` strings without TAB/CR/LF, encodable as UTF-8."""
    if not isinstance(value, list):
        raise Malformed(f"{key} 应为列表 / must be a list")
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != width or not all(isinstance(v, str) for v in row):
            raise Malformed(f"{key}[{i}] 应为{width}个文本字段 / must be {width} text fields")
    # One look at the whole table; only if it finds something, look row by row to say where.
    table = "\x00".join("\x00".join(row) for row in value)
    try:
        utf8(table)
        clean = not ("\t" in table or "\r" in table or "\n" in table)
    except UnicodeEncodeError:
        clean = False
    if not clean:
        for i, row in enumerate(value):
            for v in row:
                check_text(v, f"{key}[{i}]", False)
    return value, table


def canonical(rows_and_table, unique_first: bool, key: str):
    """NFC every field; check ids; sort by UTF-8 bytes (conflicts: also drop duplicates)."""
    rows, table = rows_and_table
    if unicodedata.is_normalized("NFC", table):  # NUL separators never compose, so this covers every field
        out = [list(row) for row in rows]
    else:
        out = [[unicodedata.normalize("NFC", v) for v in row] for row in rows]
    for row in out:
        if row[0] == "" or row[1] == "":
            raise Malformed(f"{key} 中有空的编号或分层/部门 / empty id or label")
    if unique_first:
        ids = [row[0] for row in out]
        if len(set(ids)) != len(ids):
            raise Malformed(f"{key} 中编号重复 / duplicate id")
        return sorted(out, key=lambda row: utf8(row[0]))
    unique = []
    seen = set()
    for row in out:
        if tuple(row) not in seen:
            seen.add(tuple(row))
            unique.append(row)
    return sorted(unique, key=lambda row: (utf8(row[0]), utf8(row[1])))


def rows_hash(rows) -> str:
    return sha256_hex(utf8("".join("\t".join(row) + "\n" for row in rows)))


# ---------------------------------------------------------------- witnesses (§3)


def read_witnesses(value, where: str):
    if not isinstance(value, list):
        raise Malformed(f"{where} 应为列表 / must be a list")
    result = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or sorted(item) != ["name", "values"]:
            raise Malformed(f"{where}[{i}] 应只含 name 与 values / must hold name and values")
        check_text(item["name"], f"{where}[{i}].name", True)
        numbers = item["values"]
        if not isinstance(numbers, list) or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in numbers
        ):
            raise Malformed(f"{where}[{i}].values 应为非负整数列表 / must be non-negative integers")
        result.append(item)
    return result


def witness_string(witnesses) -> str:
    return "".join("".join(f"{v}." for v in w["values"]) + "/" for w in witnesses)


# ---------------------------------------------------------------- random stream (§4)


class Stream:
    def __init__(self, seed_hex: str):
        self.seed = bytes.fromhex(seed_hex)
        self.counters = {}

    def u64(self, label: str, j: int) -> int:
        digest = hashlib.sha256(self.seed + utf8(label) + b"\x00" + j.to_bytes(8, "big")).digest()
        return int.from_bytes(digest[:8], "big")

    def randbelow(self, label: str, n: int) -> int:
        bound = 2**64 - (2**64 % n)
        while True:
            c = self.counters.get(label, 0)
            x = self.u64(label, c)
            self.counters[label] = c + 1
            if x < bound:
                return x % n

    def select(self, label: str, ids, k: int, byte_rank=None):
        """Sort ids by UTF-8 bytes (``byte_rank``: id -> position in byte order, if known), pop k times."""
        rem = sorted(ids, key=byte_rank.__getitem__) if byte_rank is not None else by_bytes(ids)
        return [rem.pop(self.randbelow(label, len(rem))) for _ in range(k)]


# ---------------------------------------------------------------- the draw (§5–§7)


def run_draw(seed_hex, strata, groups, cap, objects, inspectors, conflicts_of):
    stream = Stream(seed_hex)
    # objects and inspectors are already sorted by id bytes: their positions are the byte order.
    object_rank = {row[0]: i for i, row in enumerate(objects)}
    inspector_rank = {row[0]: i for i, row in enumerate(inspectors)}
    drawn = []
    for label, rule in sorted(strata, key=lambda s: utf8(s[0])):
        pool = [row[0] for row in objects if row[1] == label]
        for object_id in stream.select("objects/" + label, pool, sample_size(rule, len(pool)), object_rank):
            drawn.append((object_id, label))

    n = len(drawn)
    members = {}
    caps = {}
    for name, k in groups:
        members[name] = by_bytes(row[0] for row in inspectors if name == "*" or row[1] == name)
        m = len(members[name])
        if cap == "none":
            caps[name] = None
        elif cap == "auto":
            caps[name] = -(-(k * n) // m) if m else None
        else:
            caps[name] = cap

    count = {}
    draw = []
    for order, (object_id, label) in enumerate(drawn, 1):
        entry = {"order": order, "id": object_id, "stratum": label, "inspectors": []}
        for name, k in sorted(groups, key=lambda g: utf8(g[0])):
            blocked = conflicts_of.get(object_id, ())
            free = [i for i in members[name] if i not in blocked]
            limit = caps[name]
            eligible = [i for i in free if limit is None or count.get(i, 0) < limit]
            relaxed = False
            if len(eligible) < k:
                eligible, relaxed = free, True
            if len(eligible) < k:
                raise Stuck(f"对象 {object_id} 在 {name} 中可派人员不足 / infeasible for object {object_id}")
            picked = stream.select(f"inspectors/{object_id}/{name}", eligible, k, inspector_rank)
            for i in picked:
                count[i] = count.get(i, 0) + 1
            entry["inspectors"].append({"group": name, "ids": picked, "cap_relaxed": relaxed})
        draw.append(entry)
    return draw, members, inspector_rank


def run_replacements(seed_hex, draw, members, inspector_rank, conflicts_of, requests):
    current = {e["id"]: {a["group"]: list(a["ids"]) for a in e["inspectors"]} for e in draw}
    removed_from = {}
    prev = seed_hex
    done = []
    for r, req in enumerate(requests, 1):
        object_id, removed = req["object"], req["removed"]
        if object_id not in current:
            raise Stuck(f"第{r}轮：对象 {object_id} 未被抽中 / round {r}: object not drawn")
        group = None
        for name, ids in current[object_id].items():
            if removed in ids:
                group = name
        if group is None:
            raise Stuck(f"第{r}轮：{removed} 未分配给 {object_id} / round {r}: inspector not assigned")
        wstr = witness_string(req["witness"])
        message = (
            "SJDRAW-1/replacement\n"
            f"prev_seed={prev}\nround={r}\nobject={object_id}\nremoved={removed}\nwitness={wstr}\n"
        )
        seed_r = sha256_hex(utf8(message))
        gone = removed_from.get(object_id, [])
        eligible = [
            i for i in members[group]
            if i not in conflicts_of.get(object_id, ()) and i not in current[object_id][group] and i not in gone
        ]  # fmt: skip
        if not eligible:
            raise Stuck(f"第{r}轮：无人可递补 / round {r}: nobody left")
        chosen = Stream(seed_r).select(f"replacement/{r}", eligible, 1, inspector_rank)[0]
        ids = current[object_id][group]
        ids[ids.index(removed)] = chosen
        removed_from.setdefault(object_id, []).append(removed)
        done.append({
            "round": r, "object": object_id, "group": group, "removed": removed, "reason": req["reason"],
            "witness": req["witness"], "seed": seed_r, "chosen": chosen,
        })  # fmt: skip
        prev = seed_r
    final = []
    for e in draw:
        groups = sorted(current[e["id"]].items(), key=lambda g: utf8(g[0]))
        final.append(
            {
                "order": e["order"],
                "id": e["id"],
                "inspectors": [{"group": g, "ids": ids} for g, ids in groups],
            }
        )
    return done, final


# ---------------------------------------------------------------- verification (§9)


def recompute(record):
    """Return (expected values by key, {key: reason} for keys that could not be recomputed)."""
    if not isinstance(record, dict):
        raise Malformed("顶层不是 JSON 对象 / top level is not a JSON object")
    missing = [k for k in TOP_KEYS if k not in record]
    if missing:
        raise Malformed("缺少字段 / missing keys: " + ", ".join(missing))
    if record["format"] != "SJDRAW-1":
        raise Malformed(f"不支持的格式 / unsupported format: {record['format']!r}")
    draw_id = check_text(record["draw_id"], "draw_id", True)
    strata, groups, cap = parse_params(record["params_text"])
    objects = read_rows(record["objects"], 3, "objects")
    inspectors = read_rows(record["inspectors"], 3, "inspectors")
    conflicts = read_rows(record["conflicts"], 2, "conflicts")
    c_objects = canonical(objects, True, "objects")
    c_inspectors = canonical(inspectors, True, "inspectors")
    c_conflicts = canonical(conflicts, False, "conflicts")
    labels = {label for label, _ in strata}
    for row in c_objects:
        if row[1] not in labels:
            raise Malformed(f"对象 {row[0]} 的分层不在 strata 中 / stratum not in params")
    nonce = record["nonce"]
    if not isinstance(nonce, str) or not re.fullmatch(r"[0-9a-f]{64}", nonce):
        raise Malformed("nonce 应为64位小写十六进制 / nonce must be 64 lowercase hex digits")
    witnesses = read_witnesses(record["witness"], "witness")
    if not isinstance(record["replacements"], list):
        raise Malformed("replacements 应为列表 / must be a list")
    object_ids = {row[0] for row in c_objects}
    inspector_ids = {row[0] for row in c_inspectors}
    requests = []
    for i, rep in enumerate(record["replacements"]):
        where = f"replacements[{i}]"
        fields = ["round", "object", "group", "removed", "reason", "witness", "seed", "chosen"]
        if not isinstance(rep, dict) or any(f not in rep for f in fields):
            raise Malformed(f"{where} 缺少字段 / is incomplete")
        for f in ("object", "removed", "reason"):
            check_text(rep[f], where + "." + f, True)
        read_witnesses(rep["witness"], where + ".witness")
        if rep["object"] not in object_ids or rep["removed"] not in inspector_ids:
            raise Malformed(f"{where} 指向不存在的对象或人员 / names an unknown object or inspector")
        requests.append(rep)

    hashes = {
        "objects_sha256": rows_hash(c_objects),
        "inspectors_sha256": rows_hash(c_inspectors),
        "conflicts_sha256": rows_hash(c_conflicts),
        "params_sha256": sha256_hex(utf8(record["params_text"])),
    }
    message = f"SJDRAW-1\ndraw_id={draw_id}\n"
    for key in ("objects_sha256", "inspectors_sha256", "conflicts_sha256", "params_sha256"):
        message += f"{key}={hashes[key]}\n"
    message += f"witness={witness_string(witnesses)}\nnonce={nonce}\n"
    seed = sha256_hex(utf8(message))

    expected = {"objects": c_objects, "inspectors": c_inspectors, "conflicts": c_conflicts}
    expected.update(hashes)
    expected["commit"] = sha256_hex(bytes.fromhex(nonce))
    expected["seed"] = seed
    stuck = {}
    pairs = {}  # object id -> inspectors in conflict with it
    for inspector_id, object_id in c_conflicts:
        pairs.setdefault(object_id, set()).add(inspector_id)
    try:
        draw, members, rank = run_draw(seed, strata, groups, cap, c_objects, c_inspectors, pairs)
    except Stuck as exc:
        return expected, {"draw": str(exc), "replacements": str(exc), "final": str(exc)}
    expected["draw"] = draw
    try:
        expected["replacements"], expected["final"] = run_replacements(
            seed, draw, members, rank, pairs, requests
        )
    except Stuck as exc:
        stuck = {"replacements": str(exc), "final": str(exc)}
    return expected, stuck


def same(a, b) -> bool:
    """Equal as JSON (so 1, 1.0 and true are told apart)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def verify(record):
    """Return (exit code, [(key, zh, en, detail)] differences or [(None, problem)] when malformed)."""
    try:
        expected, stuck = recompute(record)
    except Malformed as exc:
        return MALFORMED, [(None, str(exc), "", "")]
    differences = []
    for key, zh, en in CHECKED:
        if key in stuck:
            differences.append((key, zh, en, "无法重算 / cannot recompute: " + stuck[key]))
        elif key in ("objects", "inspectors", "conflicts"):
            if record[key] != expected[key]:  # rows hold only strings (checked), so == is exact
                differences.append((key, zh, en, ""))
        elif not same(record[key], expected[key]):
            differences.append((key, zh, en, ""))
    return (NOT_VERIFIED if differences else VERIFIED), differences


def verify_json_text(text):
    """Verify JSON text (str or bytes); return (exit code, printable lines)."""
    try:
        record = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        return MALFORMED, [f"无法验证：不是有效的 JSON (malformed: not JSON): {exc}"]
    code, differences = verify(record)
    if code == VERIFIED:
        return code, [
            "验证通过：全部结果均可由输入重算得到 (verified: every result recomputes from the inputs)"
        ]
    if code == MALFORMED:
        return code, ["无法验证：记录格式错误 (malformed record)", "  " + differences[0][1]]
    lines = [
        f"验证不通过：{len(differences)} 个字段与重算结果不符 (does not verify: {len(differences)} keys differ)"
    ]
    for key, zh, en, detail in differences:
        lines.append(f"  ✗ {key}：{zh}（{en}）" + (f"  {detail}" if detail else ""))
    return code, lines


def main(argv) -> int:
    if len(argv) != 2:
        print("用法 / usage: python sjdraw_verify.py record.json")
        return MALFORMED
    try:
        with open(argv[1], "rb") as handle:
            data = handle.read()
    except OSError as exc:
        print(f"无法读取文件 / cannot read file: {exc}")
        return MALFORMED
    code, lines = verify_json_text(data)
    for line in lines:
        print(line)
    return code


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    sys.exit(main(sys.argv))
