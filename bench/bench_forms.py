"""Benchmark of the 随机抽取情况记录表 (draw sheet) PDF.

Draws 5,000 of 100,000 objects (joint task: 2 inspectors from 市场监管局, 1 from 卫生健康局), then times
filling the sheet data from the record (which re-verifies it) and writing the PDF. Prints pages and size.

Run from the repository root:  python bench/bench_forms.py [--objects N] [--drawn N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.draw import Witness, execute, prepare  # noqa: E402
from app.forms.draw_sheet import write_draw_sheet  # noqa: E402
from app.forms.draw_sheet_record import draw_sheet_data_from_record  # noqa: E402
from app.forms.fonts import register_cjk_fonts  # noqa: E402

OUT = ROOT / "bench" / "out"


def main() -> int:
    """Print the timings of one draw sheet; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--drawn", type=int, default=5_000)
    args = parser.parse_args()

    objects = [
        (f"91231084MA{i:08d}", "全部", f"宁安市测试商户{i}号商贸有限公司") for i in range(args.objects)
    ]
    inspectors = [(f"SC{i:04d}", "市场监管局", f"检查员{i}") for i in range(150)]
    inspectors += [(f"WJ{i:04d}", "卫生健康局", f"卫健员{i}") for i in range(50)]
    params = f"algorithm=SJDRAW-1\nstrata=全部:#{args.drawn}\ngroups=市场监管局:2,卫生健康局:1\ncap=auto\n"
    record = execute(
        prepare(objects, inspectors, [], params), "BENCH-FORMS-1", bytes(32), [Witness("甲", (1, 2))]
    )

    start = time.perf_counter()
    fonts = register_cjk_fonts()
    t_fonts = time.perf_counter() - start
    start = time.perf_counter()
    data = draw_sheet_data_from_record(record, bureau_name="宁安市市场监督管理局", operator="李明")
    t_data = time.perf_counter() - start
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "draw_sheet_bench.pdf"
    start = time.perf_counter()
    write_draw_sheet(data, target)
    t_pdf = time.perf_counter() - start

    print(f"objects {len(objects):,}  drawn {len(record['final']):,}  fonts {fonts.files['hei']}")
    print(f"{'font discovery':>16}: {t_fonts * 1000:8.1f} ms")
    print(f"{'data (+verify)':>16}: {t_data * 1000:8.1f} ms")
    print(f"{'PDF':>16}: {t_pdf * 1000:8.1f} ms  ({target.stat().st_size / 1e6:.1f} MB, {target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
