"""Benchmark of the 执法检查登记表: 500 forms of one task into one PDF (product target ≤ 5 s).

On a copy of the cached 100,000-object demo county: a task on SJ-001 draws 500 objects (2 inspectors each),
the draft forms are started, their data read back, and the whole task printed blank and filled (the filled
entries are made up in memory: recording 500 forms is not what is timed here). Font discovery is timed on
its own; the PDF times include the glyph check, layout, subset embedding and writing the file.

Run from the repository root:  python bench/bench_inspection_forms.py [--forms N] [--entities N]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.database import open_database  # noqa: E402
from app.forms.fonts import register_cjk_fonts  # noqa: E402
from app.forms.inspection_form import write_inspection_forms  # noqa: E402
from app.forms.inspection_form_data import InspectionFormData  # noqa: E402
from app.inspections import start_inspections, task_form_data  # noqa: E402
from app.tasks import StrataSpec, TaskSpec, commit_draw, create_adhoc_task, finish_draw, prepare_draw  # noqa: E402
from bench.common import OUT, demo_database  # noqa: E402
from db.enums import FollowUp, InspectionMethod, InspectionResult  # noqa: E402
from db.models import Department, InspectionItem  # noqa: E402

WITNESSES = [("人大代表甲", "人大代表", (3, 1, 4, 1, 5, 9)), ("纪检监察乙", "纪检监察", (2, 7, 1, 8, 2, 8))]


def filled(form: InspectionFormData, n: int) -> InspectionFormData:
    """The form as if recorded and filed: one problem found and corrected."""
    findings = tuple(
        dataclasses.replace(
            f,
            problem="年报从业人数与实际不符" if f.seq == 2 else "无",
            handling="当场责令更正" if f.seq == 2 else "",
        )
        for f in form.findings
    )
    return dataclasses.replace(
        form,
        doc_no=f"〔2026〕示市监检字第{n:04d}号",
        archive_no=f"2026-示市监-{form.task_code}-{form.order:03d}",
        inspection_date=dt.date(2026, 3, 5),
        method=InspectionMethod.ON_SITE.value,
        result=InspectionResult.CORRECTED.value,
        follow_up=FollowUp.ORDER_CORRECTION.value,
        follow_up_note="责令于十日内更正年度报告",
        findings=findings,
    )


def main() -> int:
    """Print the timings; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=500)
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        shutil.copyfile(demo_database(args.entities), db_path)
        database = open_database(db_path)
        with database.sessions() as session:
            item = session.scalars(select(InspectionItem.id).where(InspectionItem.code == "SJ-001")).one()
            dept = session.scalars(select(Department.id).where(Department.code == "SJ")).one()
            spec = TaskSpec(
                title="2026年度企业公示信息的抽查",
                item_ids=[item],
                lead_department_id=dept,
                strata=StrataSpec.single(args.forms),
                year=2026,
            )
            task_id = create_adhoc_task(session, spec).id
            handle = prepare_draw(session, task_id, "张晓明", "示范县政府第三会议室")
            sealed = commit_draw(session, handle.draw_id)
            finish_draw(session, handle.draw_id, sealed.nonce, WITNESSES, prepared=handle)

            start = time.perf_counter()
            started = start_inspections(session, task_id)
            t_start = time.perf_counter() - start
            start = time.perf_counter()
            forms = task_form_data(session, task_id)
            t_data = time.perf_counter() - start
        database.close()

        start = time.perf_counter()
        fonts = register_cjk_fonts()
        t_fonts = time.perf_counter() - start
        OUT.mkdir(parents=True, exist_ok=True)
        results = []
        for blank, batch in ((True, forms), (False, [filled(f, n) for n, f in enumerate(forms, start=1)])):
            target = OUT / f"inspection_forms_{'blank' if blank else 'filled'}.pdf"
            start = time.perf_counter()
            write_inspection_forms(batch, target, blank)
            results.append((blank, time.perf_counter() - start, target))

    print(f"forms {len(forms):,} (created {started.created:,})  font {fonts.files['song']}")
    print(f"{'start_inspections':>22}: {t_start * 1000:8.1f} ms")
    print(f"{'task_form_data':>22}: {t_data * 1000:8.1f} ms")
    print(f"{'font discovery':>22}: {t_fonts * 1000:8.1f} ms")
    for blank, seconds, target in results:
        label = f"PDF {'blank' if blank else 'filled'} ×{len(forms)}"
        print(f"{label:>22}: {seconds * 1000:8.1f} ms  ({target.stat().st_size / 1e6:.1f} MB, {target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
