"""Makes tests/data/registry_sample.xls, a small BIFF8 (.xls) 检查对象 registry, as old county systems export.

Run once with the `xlwt` package (pip install xlwt); the .xls it writes is committed, so the tests do not
need xlwt. python-calamine reads it, merged cells included.

Usage: python tests/data/make_registry_xls.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwt  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent / "registry_sample.xls"

HEADER = [
    "序号",
    "统一社会信用代码",
    "注册号",
    "企业名称",
    "所属乡镇",
    "住所",
    "法定代表人",
    "联系电话",
    "成立日期",
    "登记状态",
]
ROWS = [
    [1, "91469006MA5T00010K", "", "示范县甲乙商贸有限公司", "城关镇", "示范县城关镇人民路1号", "张三", 13912345678.0,
     dt.date(2015, 3, 2), "在业"],
    [2, "", 469006600187440.0, "示范县城关镇李记小吃店", "", "示范县城关镇建设路8号", "李四", "0898-12345678",
     dt.date(2009, 7, 1), "存续"],
    [3, 9.14690062012665e17, "", "示范县丙丁农业开发有限公司", "东山镇", "示范县东山镇农场路3号", "王五", 13800000000.0,
     "2018年5月6日", "吊销，未注销"],
]  # fmt: skip


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("检查对象")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, "示范县检查对象名录（xls 格式）")
    for col, text in enumerate(HEADER):
        sheet.write(1, col, text)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(ROWS, start=2):
        for col, value in enumerate(row):
            if col == 4 and r == 3:
                continue  # covered by the merged 乡镇 cell above ("same as above")
            if isinstance(value, dt.date):
                sheet.write(r, col, value, date_style)
            elif value != "":
                sheet.write(r, col, value)
    sheet.merge(2, 3, 4, 4)  # 城关镇 over rows 3 and 4 as the clerk sees them
    book.save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
