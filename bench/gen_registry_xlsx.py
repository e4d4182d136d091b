"""A realistic, messy 检查对象 registry xlsx for the import benchmark (deterministic for N).

Usage: python bench/gen_registry_xlsx.py N OUT.xlsx

What makes it messy, as in files county bureaus really receive:
* a merged title row and a "填报单位/日期" line above the header, a 合计 footer below the data;
* header names that differ from ours (企业名称, 主体类型, 所属乡镇, 住所, 是否列入经营异常名录 …);
* ~1 % of 统一社会信用代码 destroyed by Excel into numbers such as 9.14690062012665E+17;
* old 个体工商户 with only a 15-digit 注册号 stored as a number (469006600187440.0);
* ~30 % of phones stored as numbers, ~5 % of addresses with full-width digits and stray spaces;
* status, risk and yes/no written in several ways (在业/开业/吊销，未注销; 高风险; √/是/否);
* dates as real dates, as "2015年3月2日" and as "2015/3/2"; a blank row every ~5,000 rows;
* ~0.5 % legacy codes with a wrong check character (warnings, not errors).
The file has no errors: it must import completely.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.io.xlsx_writer import XlsxColumn, write_xlsx  # noqa: E402
from app.registry.codes import USCC_ALPHABET, make_reg_no15, random_uscc  # noqa: E402

HEADERS = [
    ("序号", 6), ("统一社会信用代码", 22), ("注册号", 18), ("企业名称", 36), ("主体类型", 12), ("行业", 12),
    ("所属乡镇", 10), ("住所", 40), ("法定代表人", 10), ("联系电话", 14), ("登记状态", 10), ("成立日期", 12),
    ("风险等级", 8), ("信用分类", 8), ("是否列入经营异常名录", 10), ("严重违法失信", 8), ("监管部门", 16), ("备注", 12),
]  # fmt: skip
TOWNS = [
    "城关镇",
    "东山镇",
    "西河乡",
    "南湖镇",
    "北岭乡",
    "清水镇",
    "石桥乡",
    "白沙镇",
    "新华街道",
    "红旗街道",
]
ROADS = ["人民路", "解放路", "建设路", "中山路", "新华路", "滨河路", "工业大道", "商贸街", "文化路", "东风路"]
INDUSTRIES = [
    ("餐饮服务", "小吃店", "餐饮管理"), ("食品销售", "便利店", "商贸"), ("药品零售", "大药房", "医药"),
    ("建材", "建材店", "建材"), ("汽车维修", "汽修厂", "汽车服务"), ("住宿", "宾馆", "酒店管理"),
    ("美容美发", "理发店", "美容"), ("农资", "农资店", "农业科技"), ("印刷", "印刷厂", "印务"),
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰文辉建国建华志强海燕红梅晓东春梅"
BRAND = "鑫源宏达兴隆恒泰福瑞金鼎顺发永盛华康安泰嘉禾天成祥和振兴万家瑞丰"
STATUS = [("在业", 40), ("存续", 30), ("开业", 20), ("吊销，未注销", 3), ("注销", 4), ("迁出", 1), ("", 2)]
RISK = [("高风险", 8), ("中", 40), ("低风险", 30), ("低", 10), ("", 12)]
CREDIT = [("A", 35), ("B类", 40), ("C", 10), ("D", 3), ("", 12)]
YES_NO = [("否", 80), ("", 12), ("是", 4), ("√", 2), ("N", 2)]
DEPTS = ["示范县市场监督管理局", "示范县卫生健康委员会", "示范县交通运输局", "示范县商务局"]
REGION = "469006"


def _pick(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


def _wrong_check(code: str) -> str:
    last = USCC_ALPHABET[(USCC_ALPHABET.index(code[-1]) + 1) % len(USCC_ALPHABET)]
    return code[:-1] + last


def generate_rows(count: int, seed: str = "bench-registry") -> list[list[object]]:
    """The data rows (blank rows included), deterministic for ``count``."""
    rng = random.Random(f"{seed}/{count}")
    rows: list[list[object]] = []
    used: set[str] = set()
    for serial in range(1, count + 1):
        if serial % 5000 == 0:
            rows.append([])
        industry, shop, corp = rng.choice(INDUSTRIES)
        town = rng.choice(TOWNS)
        individual = rng.random() < 0.55
        owner = _person(rng)
        if individual:
            name = f"示范县{town}{owner}{shop}{serial}"
            kind = rng.choice(("个体工商户", "个体户", "个体"))
            prefix = ("9", "2")
        else:
            name = f"示范县{rng.choice(BRAND)}{rng.choice(BRAND)}{corp}有限公司{serial}"
            kind = rng.choice(("有限责任公司（自然人投资或控股）", "企业", "有限责任公司", "股份有限公司"))
            prefix = ("9", "1")
        uscc: object = ""
        reg_no: object = ""
        if individual and rng.random() < 0.03:
            reg_no = float(make_reg_no15(f"{REGION}{serial:08d}"))
        else:
            while True:
                code = random_uscc(rng, REGION, prefix)
                if code not in used:
                    used.add(code)
                    break
            roll = rng.random()
            if roll < 0.01:
                uscc = float(int(code[:17] + "0")) if code[:17].isdigit() else 9.14690062012665e17 + serial
            elif roll < 0.015:
                uscc = _wrong_check(code)
            else:
                uscc = code
        address = f"示范县{town}{rng.choice(ROADS)}{rng.randint(1, 388)}号"
        if rng.random() < 0.05:
            address = " " + _full_width(address) + "  "
        phone_text = rng.choice(("13", "15", "18", "19")) + "".join(
            rng.choice("0123456789") for _ in range(9)
        )
        phone: object = float(phone_text) if rng.random() < 0.3 else phone_text
        if rng.random() < 0.02:
            phone = _full_width(phone_text)
        founded = dt.date(rng.randint(1998, 2023), rng.randint(1, 12), rng.randint(1, 28))
        style = rng.random()
        established: object = (
            founded if style < 0.7 else f"{founded.year}年{founded.month}月{founded.day}日" if style < 0.85
            else f"{founded.year}/{founded.month}/{founded.day}"
        )  # fmt: skip
        rows.append([
            serial, uscc, reg_no, name, kind, industry, town, address, owner, phone,
            _pick(rng, STATUS), established, _pick(rng, RISK), _pick(rng, CREDIT), _pick(rng, YES_NO),
            _pick(rng, YES_NO[:2]), rng.choice(DEPTS), "",
        ])  # fmt: skip
    return rows


def write_registry(count: int, out: Path) -> int:
    """Write the messy registry; returns the number of entity rows."""
    rows = generate_rows(count)
    rows.append([f"合计：{count}户"])
    columns = [XlsxColumn(h, w, "general") for h, w in HEADERS]
    title = [
        ["示范县市场主体名录（截至2024年6月30日）"],
        ["填报单位：示范县市场监督管理局", "", "", "填报日期：2024年7月1日"],
    ]
    write_xlsx(out, "市场主体", columns, rows, title_rows=title, merges=[(0, 0, 0, len(HEADERS) - 1)])
    return count


def main() -> None:
    if len(sys.argv) != 3:
        print("用法：python bench/gen_registry_xlsx.py N OUT.xlsx", file=sys.stderr)
        raise SystemExit(2)
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    write_registry(count, out)
    print(
        f"wrote {count:,} entity rows to {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
