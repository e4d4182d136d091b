"""Screenshots of our own screens for the in-app 使用说明 (resources/help/images/).

    /tmp/venv0/bin/python packaging/help_screenshots.py            # regenerate every image
    /tmp/venv0/bin/python packaging/help_screenshots.py --only plans,tasks --out /tmp/shots

The real windows run offscreen on a fictional county (app.demo) in a temporary SQLite file, with a temporary
data directory and no credential store, so the user's data directory, keyring and settings are never touched.
A year's work is done on the way — a plan 调整, a task from the plan, the whole draw ceremony, 递补, a 复核签名,
inspection forms and a finished task — so that every screen shows real content. Each picture is the widget's
own rendering (``QWidget.grab``), scaled to at most 1000 px wide and stored as an 8-bit palette PNG.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_OUT = ROOT / "resources" / "help" / "images"
MAX_WIDTH = 1000
MAIN_SIZE = (1366, 768)
PROJECTION_SIZE = (1920, 1080)
# What the status bar and the backup panel show on a clerk's Windows PC (the temporary path means nothing).
WINDOWS_DATA_DIR = r"C:\Users\jingban\AppData\Local\shuangsuiji\shuangsuiji"
QUICK_SHOTS = ("home", "projection_pool")

ADMIN = ("admin", "王建国", "Shuang#2026")
CLERK = ("lijb", "李经办", "Temp#2026a")
SUPERVISOR = ("zhaojd", "赵监督", "Temp#2026b")
WITNESSES = (
    ("王建华", "县人大代表", "3 1 4 1 5"),
    ("李秀英", "县政协委员", "2 7 1 8"),
    ("赵志强", "县纪委监委", "9 6 6"),
)


@contextlib.contextmanager
def private_environment() -> Iterator[Path]:
    """A temporary data directory and no credential store, restored afterwards (the test suite calls main())."""
    names = ("SHUANGSUIJI_DATA_DIR", "PYTHON_KEYRING_BACKEND")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="help-shots-") as folder:
        data = Path(folder) / "data"
        data.mkdir()
        os.environ["SHUANGSUIJI_DATA_DIR"] = str(data)
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        try:
            yield data
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


@contextlib.contextmanager
def answered_messages() -> Iterator[None]:
    """Message boxes answer themselves: confirmations say yes, information is printed, and a warning or error
    stops the script (a screen that complains is not what the help should show)."""
    from ui import feedback

    saved = (feedback.info, feedback.warn, feedback.error, feedback.confirm)

    def refuse(_parent: Any, text: str, *_a: Any, **_k: Any) -> None:
        raise RuntimeError(f"the screen showed a warning: {text}")

    feedback.info = lambda _parent, text, *_a, **_k: print(f"  (提示) {text.splitlines()[0]}")
    feedback.warn = refuse
    feedback.error = refuse
    feedback.confirm = lambda *_a, **_k: True
    try:
        yield
    finally:
        feedback.info, feedback.warn, feedback.error, feedback.confirm = saved


def settle(ms: int = 120) -> None:
    """Let Qt lay out and paint (a script, not a test: a short event loop is what we want here)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save_png(image: Any, path: Path, max_width: int = MAX_WIDTH) -> Path:
    """Scale ``image`` (a QImage) to at most ``max_width`` and write it as a palette PNG."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage

    if image.width() > max_width:
        image = image.scaledToWidth(max_width, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab; without it Qt's own palette conversion is used
        image.convertToFormat(QImage.Format.Format_Indexed8).save(str(path), "PNG")
        return path
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    palette = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
    return path


class Studio:
    """The demo county, the three accounts and the windows; each shot method leaves its picture in ``out``."""

    def __init__(self, data: Path, out: Path, entities: int) -> None:
        from app.auth.users import authenticate, create_first_admin, create_user
        from app.database import open_database
        from app.demo import build_demo
        from db.engine import transaction
        from db.enums import UserRole

        self.out = out
        self.saved: list[Path] = []
        self.database = open_database(data / "shuangsuiji.db")
        with transaction(self.database.sessions) as session:
            summary = build_demo(session, entities=entities)
        self.year = summary.year
        self.database.refresh_statistics()
        db = self.database
        with transaction(db.sessions) as session:
            create_first_admin(session, *ADMIN)
        self.admin = authenticate(db.sessions, ADMIN[0], ADMIN[2]).actor
        db.sign_in(self.admin)
        with transaction(db.sessions) as session:
            create_user(session, CLERK[0], CLERK[1], UserRole.CLERK, CLERK[2])
            create_user(session, SUPERVISOR[0], SUPERVISOR[1], UserRole.SUPERVISOR, SUPERVISOR[2])
        self.clerk = authenticate(db.sessions, CLERK[0], CLERK[2]).actor
        self.supervisor = authenticate(db.sessions, SUPERVISOR[0], SUPERVISOR[2]).actor
        db.sign_in(self.clerk)
        self._window: Any = None
        self._admin_window: Any = None
        self._console: Any = None
        self.task_id: int | None = None
        self.done_task_id: int | None = None
        self.results: list[Any] = []

    # --- pictures ------------------------------------------------------------------------------------------
    def save(self, name: str, widget: Any) -> None:
        settle()
        pixmap = widget.grab()
        if pixmap.isNull():
            raise RuntimeError(f"{name}: nothing was rendered")
        path = save_png(pixmap.toImage(), self.out / f"{name}.png")
        self.saved.append(path)
        print(f"{path}  {path.stat().st_size // 1024} KB")

    def close(self) -> None:
        for window in (self._console, self._window, self._admin_window):
            if window is not None:
                if hasattr(window, "projection"):
                    window.projection.close()
                window.close()
                window.deleteLater()
        settle(50)
        self.database.close()

    # --- the windows ---------------------------------------------------------------------------------------
    def _main_window(self, actor: Any) -> Any:
        from ui.context import AppContext
        from ui.main_window import MainWindow

        self.database.sign_in(actor)
        window = MainWindow(AppContext(self.database))
        window.resize(*MAIN_SIZE)
        window.show()
        window.db_label.setText(f"数据库：{WINDOWS_DATA_DIR}\\shuangsuiji.db")
        settle(200)
        return window

    def window(self) -> Any:
        """The clerk's main window."""
        if self._window is None:
            self._window = self._main_window(self.clerk)
        self.database.sign_in(self.clerk)
        return self._window

    def page(self, page_type: type) -> Any:
        page = self.window().show_page(page_type)
        self.window().db_label.setText(f"数据库：{WINDOWS_DATA_DIR}\\shuangsuiji.db")
        return page

    # --- the data behind the screens ---------------------------------------------------------------------
    def dept(self, code: str) -> int:
        from sqlalchemy import select

        from db.models import Department

        with self.database.sessions() as session:
            return int(session.scalars(select(Department.id).where(Department.code == code)).one())

    def item(self, code: str) -> int:
        from sqlalchemy import select

        from db.models import InspectionItem

        with self.database.sessions() as session:
            return int(session.scalars(select(InspectionItem.id).where(InspectionItem.code == code)).one())

    def plan_row(self, item_code: str) -> int:
        from sqlalchemy import select

        from db.models import InspectionItem, PlanRow

        with self.database.sessions() as session:
            return int(
                session.scalars(
                    select(PlanRow.id).join(InspectionItem).where(InspectionItem.code == item_code)
                ).one()
            )

    def plan_id_of(self, dept_code: str) -> int:
        from sqlalchemy import select

        from db.models import AnnualPlan

        with self.database.sessions() as session:
            return int(
                session.scalars(
                    select(AnnualPlan.id).where(
                        AnnualPlan.department_id == self.dept(dept_code), AnnualPlan.year == self.year
                    )
                ).one()
            )

    def console(self) -> Any:
        """The draw console of the market bureau's 食品销售者 task (made from its plan row through the dialog)."""
        if self._console is not None:
            return self._console
        from ui.draw.console import DrawConsole

        if self.task_id is None:
            self.shot_task_dialog(save=False)
        assert self.task_id is not None
        self.window()
        console = DrawConsole(self._window.context, self.task_id)
        console.projection.reveal_interval_ms = 50
        console.resize(1180, 720)
        console.show()
        self._console = console
        return console

    def projection(self, scene: Callable[[Any], None]) -> Any:
        projection = self.console().projection
        projection.resize(*PROJECTION_SIZE)
        projection.show()
        settle(50)
        scene(projection)
        return projection

    def draw_done(self) -> Any:
        """The ceremony up to the results (pool checked, commitment, witnesses' numbers, reveal)."""
        console = self.console()
        if console.finished_draw is not None:
            return console
        self.sealed_console()
        self.type_witnesses()
        console.reveal()
        if console.finished_draw is None:
            raise RuntimeError("the draw did not finish")
        self.results = list(console.results)
        return console

    def console_ready(self) -> Any:
        console = self.console()
        if console.preview is None and not (console.run_selftest() and console.check_pool()):
            raise RuntimeError(console.ready_text.toPlainText())
        return console

    def sealed_console(self) -> Any:
        """The ceremony up to the commitment (抽取人 and 地点 typed, the attempt prepared and committed)."""
        console = self.console_ready()
        if console.handle is None:
            console.operator.setText("张经办")
            console.place.setText("示范县市场监督管理局三楼会议室")
            console.prepare()
        if console.sealed is None:
            console.commit()
        if console.sealed is None:
            raise RuntimeError("no commitment was made")
        return console

    def type_witnesses(self) -> None:
        table = self.console().witness_table
        for row, (name, affiliation, values) in enumerate(WITNESSES):
            if row >= table.rowCount():
                table.add_witness()
            table.item(row, 0).setText(name)
            table.item(row, 1).setText(affiliation)
            table.item(row, 2).setText(values)

    def cosigned(self) -> None:
        """The supervisor checks and signs the finished draw (as 复核签名 does)."""
        from app.audit.cosign import cosign_draw, cosignatures
        from db.engine import transaction

        console = self.draw_done()
        draw_id = console.finished_draw.draw_id
        with self.database.sessions() as session:
            if cosignatures(session, draw_id):
                return
        self.database.sign_in(self.supervisor)
        try:
            with transaction(self.database.sessions) as session:
                cosign_draw(session, draw_id)
        finally:
            self.database.sign_in(self.clerk)

    def finished_task(self) -> int:
        """A second, small task whose three forms are all filed: ready for 公示."""
        if self.done_task_id is not None:
            return self.done_task_id
        from app.inspections import (
            FindingInput,
            InspectionInput,
            file_inspection,
            inspection_detail,
            record_inspection,
            start_inspections,
        )
        from app.tasks import StrataSpec, TaskSpec, WitnessInput, commit_draw, create_adhoc_task, finish_draw
        from app.tasks import prepare_draw as prepare

        self.window()
        today = dt.date.today()
        with self.database.sessions() as session:
            spec = TaskSpec(
                title=f"{self.year}年度药品零售企业专项检查",
                item_ids=[self.item("SJ-006")],
                lead_department_id=self.dept("SJ"),
                strata=StrataSpec.single(3),
                planned_date=today,
                year=self.year,
            )
            task_id = create_adhoc_task(session, spec).id
            handle = prepare(session, task_id, "张经办", "示范县市场监督管理局三楼会议室")
            sealed = commit_draw(session, handle.draw_id)
            witnesses = [
                WitnessInput("王建华", "县人大代表", (2, 0, 2, 6)),
                WitnessInput("李秀英", "县政协委员", (5, 8)),
            ]
            finish_draw(session, handle.draw_id, sealed.nonce, witnesses, prepared=handle)
            ids = start_inspections(session, task_id).inspection_ids
        for inspection_id in ids:
            with self.database.sessions() as session:
                detail = inspection_detail(session, inspection_id)
                entries = InspectionInput(
                    inspection_date=today,
                    method="实地核查",
                    result="未发现问题",
                    follow_up="无需处置",
                    findings=tuple(FindingInput(f.seq, "无", "") for f in detail.findings),
                    inspector_ids=tuple(i.inspector_id for i in detail.inspectors),
                )
                record_inspection(session, inspection_id, entries)
            with self.database.sessions() as session:
                file_inspection(session, inspection_id)
        self.done_task_id = task_id
        return task_id

    # --- the shots, in the order of the help ---------------------------------------------------------------
    def shot_first_run(self) -> None:
        """The 初始设置 of a new database, at its 单位信息 step (nothing is created: the wizard is cancelled)."""
        from ui.widgets.first_run import FirstRunWizard

        assert self.database.path is not None
        wizard = FirstRunWizard(self.database.path.with_name("新数据库.db"))
        wizard.resize(760, 560)
        wizard.show()
        settle()
        wizard.next()  # 欢迎 → 数据
        wizard.next()  # 数据 (演示县) → 单位信息
        self.save("first_run", wizard)
        wizard.hide()
        wizard.deleteLater()

    def shot_home(self) -> None:
        from ui.pages.home import HomePage

        page = self.page(HomePage)
        page.refresh()
        self.save("home", self.window())

    def shot_entities(self) -> None:
        from ui.pages.registry_page import EntitiesPage

        page = self.page(EntitiesPage)
        entity_id = None
        if self.results:
            entity_id = self.results[0].entity_id
        if entity_id is None or not page.select_id(entity_id):
            page.table.selectRow(0)
        self.save("entities", self.window())

    def shot_items(self) -> None:
        from ui.pages.registry_page import ItemsPage

        page = self.page(ItemsPage)
        page.table.selectRow(3)
        self.save("items", self.window())

    def _import_file(self) -> Path:
        """An Excel file as clerks receive them: a title row, a code destroyed by Excel, a missing name …"""
        import openpyxl

        from app.registry.codes import make_uscc

        path = Path(os.environ["SHUANGSUIJI_DATA_DIR"]) / "城关镇新登记企业.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["城关镇2026年新登记市场主体名单"])
        sheet.append(["统一社会信用代码", "企业名称", "类型", "住所", "法定代表人", "联系电话", "登记状态"])
        good = [make_uscc("9", "1", "469006", f"MA5T{n:04d}") for n in range(1, 6)]
        rows = [
            [
                good[0],
                "示范县城关镇鑫旺百货商行",
                "个体工商户",
                "示范县城关镇人民路12号",
                "陈国平",
                "13907561201",
                "存续",
            ],
            [
                good[1],
                "示范县禾丰农业开发有限公司",
                "企业",
                "示范县东山镇农场路3号",
                "林秀梅",
                "0898-31234567",
                "存续",
            ],
            [
                9.14690062012665e17,
                "示范县海风餐饮管理有限公司",
                "企业",
                "示范县城关镇海滨路8号",
                "吴海",
                "13807561288",
                "存续",
            ],
            [good[2], "", "企业", "示范县城关镇新街3号", "黄志明", "13907561303", "存续"],
            [
                good[3],
                "示范县佳佳便利店",
                "个体工商户",
                "示范县城关镇文明路21号",
                "符佳",
                13976012345,
                "不知道",
            ],
            [
                good[4][:-1] + ("0" if good[4][-1] != "0" else "1"),
                "示范县鸿运建材店",
                "个体工商户",
                "示范县东山镇新华路9号",
                "王鸿",
                "13907561404",
                "存续",
            ],
        ]
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path

    def shot_import(self) -> None:
        from PySide6.QtWidgets import QWizard

        from ui.io.import_wizard import ImportWizard
        from ui.pages.registry_page import EntitiesPage

        page = self.page(EntitiesPage)
        wizard = ImportWizard(page.context, "entities", page)
        wizard.resize(1000, 600)
        wizard.show()
        wizard.set_path(self._import_file())
        wizard.button(QWizard.WizardButton.NextButton).click()
        self.save("import_mapping", wizard)
        wizard.button(QWizard.WizardButton.NextButton).click()
        self.save("import_result", wizard)
        wizard.reject()

    def shot_plans(self) -> None:
        from ui.pages.plans_page import PlansPage

        page = self.page(PlansPage)
        page.year.setValue(self.year)
        page.select_plan(self.plan_id_of("SJ"))
        page.row_view.selectRow(3)
        self.save("plans", self.window())

    def shot_plan_adjust(self) -> None:
        from ui.pages.plans_page import PlansPage, RowDialog

        page = self.page(PlansPage)
        page.year.setValue(self.year)
        plan_id = self.plan_id_of("SJ")
        page.select_plan(plan_id)
        page.row_view.selectRow(3)
        plan, row = page.selected_plan(), page.selected_row()
        assert plan is not None and row is not None
        dialog = RowDialog(
            page.context, plan.department_id, lambda *_a: None, row.as_input(), adjust=True,
            name="张经办", item_name=row.item, parent=page,
        )  # fmt: skip
        dialog.ratio.setText("8%")
        dialog.reason.setPlainText("县食安委部署节日市场食品安全专项整治，食品销售者抽查比例由5%提高到8%。")
        dialog.show()
        self.save("plan_adjust", dialog)
        dialog.reject()

    def shot_plan_history(self) -> None:
        from app.plans import EditRow, adjust_plan, plan_revisions, plan_rows
        from ui.pages.plans_page import HistoryDialog, PlansPage

        page = self.page(PlansPage)
        page.year.setValue(self.year)
        plan_id = self.plan_id_of("SJ")
        with self.database.sessions() as session:
            revisions = plan_revisions(session, plan_id)
            if not any(r.kind == "调整" for r in revisions):
                row = next(r for r in plan_rows(session, plan_id) if r.item == "食品销售者的监督检查")
                values = dataclasses.replace(row.as_input(), ratio="8%")
                reason = "县食安委部署节日市场食品安全专项整治，食品销售者抽查比例由5%提高到8%。"
                adjust_plan(session, plan_id, [EditRow(row.row_id, values)], reason, "张经办")
                revisions = plan_revisions(session, plan_id)
        page.refresh()
        page.select_plan(plan_id)
        plan = page.selected_plan()
        assert plan is not None
        dialog = HistoryDialog(plan.title, revisions, page)
        dialog.resize(1000, 460)
        dialog.show()
        self.save("plan_history", dialog)
        dialog.reject()

    def shot_task_dialog(self, save: bool = True) -> None:
        from app.tasks import plan_row_spec
        from ui.draw.task_dialog import TaskDialog
        from ui.pages.tasks_page import TasksPage

        page = self.page(TasksPage)
        page.year.setValue(self.year)
        row_id = self.plan_row("SJ-004")
        with self.database.sessions() as session:
            spec = plan_row_spec(session, row_id)
        dialog = TaskDialog(page.context, spec, plan_row_id=row_id, parent=page)
        dialog.show()
        if save:
            self.save("task_dialog", dialog)
        if self.task_id is None:
            dialog.save()
            if dialog.saved_task_id is None:
                raise RuntimeError("the task was not saved")
            self.task_id = dialog.saved_task_id
            page.refresh()
        else:
            dialog.reject()

    def shot_console_ready(self) -> None:
        console = self.console_ready()
        console.operator.setText("张经办")
        console.place.setText("示范县市场监督管理局三楼会议室")
        self.save("console_ready", console)

    def shot_projection_pool(self) -> None:
        console = self.console_ready()
        self.save("projection_pool", self.projection(lambda _p: console._project_pool()))

    def shot_console_witnesses(self) -> None:
        if self.console().finished_draw is not None:
            raise RuntimeError("console_witnesses must be taken before the reveal")
        console = self.sealed_console()
        self.type_witnesses()
        self.save("projection_commit", self.projection(lambda _p: console._project_commit()))
        self.save("console_witnesses", console)
        self.save("projection_witnesses", self.projection(lambda _p: console._project_witnesses()))

    def shot_console_results(self) -> None:
        from ui.draw.console import result_lines

        console = self.draw_done()
        projection = self.projection(lambda _p: None)
        if projection.scene_name == "reveal":  # the nonce shown and checked against the commitment
            self.save("projection_reveal", projection)
        # One result as the room sees it during the reveal (the next one is held back for the picture).
        projection.reveal_interval_ms = 600_000
        projection.start_reveal(result_lines(self.results))
        settle(900)
        self.save("projection_result", projection)
        projection.skip_reveal()
        console.results_table.selectRow(0)
        self.save("console_results", console)

    def shot_replacement(self) -> None:
        from ui.draw.replacement_dialog import ReplacementDialog

        console = self.draw_done()
        target = self.results[0]
        dialog = ReplacementDialog(console.context, console.finished_draw.draw_id, target, console)
        dialog.inspector.setCurrentIndex(0)
        dialog.reason_edit.setText("与该户负责人系近亲属，申请回避")
        dialog.witnesses.item(0, 0).setText("王建华")
        dialog.witnesses.item(0, 2).setText("6 6 2")
        dialog.witnesses.item(1, 0).setText("李秀英")
        dialog.witnesses.item(1, 2).setText("1 9")
        dialog.show()
        self.save("replacement", dialog)
        dialog.run()  # the 递补 is recorded; the form later names the replacement
        if dialog.outcome is None:
            raise RuntimeError("the replacement was not drawn")

    def shot_tasks(self) -> None:
        from app.tasks import create_task_from_plan_row
        from app.tasks.listing import list_tasks
        from ui.pages.tasks_page import TasksPage

        self.cosigned()
        self.finished_task()
        with self.database.sessions() as session:
            if len(list_tasks(session, self.year)) < 3:  # and one still to be drawn
                create_task_from_plan_row(session, self.plan_row("SJ-013"))
        page = self.page(TasksPage)
        page.year.setValue(self.year)
        page.refresh()
        assert self.task_id is not None
        page.select_task(self.task_id)
        self.save("tasks", self.window())

    def shot_inspections(self) -> None:
        from PySide6.QtCore import QDate

        from ui.pages.inspections_page import InspectionsPage

        self.draw_done()
        page = self.page(InspectionsPage)
        page.year.setValue(self.year)
        page.refresh()
        assert self.task_id is not None
        page.select_task(self.task_id)
        if page.start_button.isEnabled() and not page.start():
            raise RuntimeError("开始检查 failed")
        page.inspection_table.selectRow(0)
        editor = page.editor
        today = dt.date.today()
        editor.date.setDate(QDate(today.year, today.month, today.day))
        editor.method.setCurrentIndex(editor.method.findData("实地核查"))
        editor.result.setCurrentIndex(editor.result.findData("发现问题已责令改正"))
        editor.follow_up.setCurrentIndex(editor.follow_up.findData("责令改正"))
        for line in range(editor.findings.rowCount()):
            editor.findings.item(line, 1).setText(
                "部分预包装食品超过保质期仍在货架陈列" if line == 0 else "无"
            )
            editor.findings.item(line, 2).setText("当场下架，责令整改" if line == 0 else "")
        for box in editor.inspector_boxes.values():
            box.setChecked(True)
        if not editor.save():
            raise RuntimeError("the form was not saved")
        page.inspection_table.selectRow(0)
        self.save("inspections", self.window())

    def shot_publication(self) -> None:
        from ui.pages.inspections_page import InspectionsPage

        task_id = self.finished_task()
        page = self.page(InspectionsPage)
        page.year.setValue(self.year)
        page.refresh()
        page.select_task(task_id)
        page.inspection_table.selectRow(0)
        self.save("publication", self.window())

    def shot_audit(self) -> None:
        from ui.pages.audit_page import AuditPage

        self.cosigned()
        page = self.page(AuditPage)
        page.refresh()
        page.set_filter(action="复核签名")
        if page.model.rowCount():
            page.table.selectRow(0)
        page.set_filter(action="")
        self.save("audit", self.window())

    def _admin_settings(self) -> Any:
        from ui.pages.settings_page import SettingsPage

        if self._admin_window is None:
            self._admin_window = self._main_window(self.admin)
        self.database.sign_in(self.admin)
        page = self._admin_window.show_page(SettingsPage)
        self._admin_window.db_label.setText(f"数据库：{WINDOWS_DATA_DIR}\\shuangsuiji.db")
        return page

    def shot_users(self) -> None:
        page = self._admin_settings()
        page.tabs.setCurrentWidget(page.users)
        page.users.refresh()
        self.save("users", self._admin_window)
        self.database.sign_in(self.clerk)

    def shot_backup(self) -> None:
        from app.backup import BackupKind, make_backup

        page = self._admin_settings()
        assert self.database.path is not None
        make_backup(self.database.path, BackupKind.MANUAL)
        page.tabs.setCurrentWidget(page.backups)
        page.backups.refresh()
        page.backups.folder_label.setText(f"{WINDOWS_DATA_DIR}\\backups")
        self.save("backup", self._admin_window)
        self.database.sign_in(self.clerk)

    @contextlib.contextmanager
    def _worked_county(self, name: str) -> Iterator[Any]:
        """A second, small demo county with its year of work, the clerk signed in, for 统计上报 and 数据交换
        (the other shots need a county whose tasks they make themselves)."""
        from app.auth.roles import command_line_actor
        from app.auth.users import authenticate, create_first_admin, create_user
        from app.database import open_database
        from app.demo import build_demo
        from db.engine import transaction
        from db.enums import UserRole

        assert self.database.path is not None
        database = open_database(self.database.path.with_name(f"{name}.db"), actor=command_line_actor())
        try:
            with transaction(database.sessions) as session:
                build_demo(session, entities=3_000, year=self.year, year_of_work=True)
            with transaction(database.sessions) as session:
                create_first_admin(session, *ADMIN)
            database.sign_in(authenticate(database.sessions, ADMIN[0], ADMIN[2]).actor)
            with transaction(database.sessions) as session:
                create_user(session, CLERK[0], CLERK[1], UserRole.CLERK, CLERK[2])
            database.sign_in(authenticate(database.sessions, CLERK[0], CLERK[2]).actor)
            yield database
        finally:
            database.close()

    def _page_shot(self, database: Any, page_class: type, name: str, prepare: Callable[[Any], None]) -> None:
        from ui.context import AppContext
        from ui.main_window import MainWindow

        window = MainWindow(AppContext(database))
        window.resize(*MAIN_SIZE)
        window.show()
        window.db_label.setText(f"数据库：{WINDOWS_DATA_DIR}\\shuangsuiji.db")
        prepare(window.show_page(page_class))
        settle(200)
        self.save(name, window)
        window.close()
        window.deleteLater()
        settle(50)

    def shot_reports(self) -> None:
        from ui.pages.reports_page import ReportsPage

        with self._worked_county("reports") as database:
            self._page_shot(database, ReportsPage, "reports", lambda page: page.select_table("progress"))

    def shot_exchange(self) -> None:
        """数据交换 as the 司法局 sees it: the 数据包 of 卫健委 and 生态环境局 for the year, imported (exported from
        the worked county as those departments' PCs would)."""
        from sqlalchemy import select

        from app.auth.roles import command_line_actor
        from app.exchange import export_package, import_package
        from app.reports import Period
        from app.settings import load_settings, save_settings
        from db.engine import transaction
        from db.models import Department
        from ui.pages.exchange_page import ExchangePage

        with self._worked_county("exchange") as database:
            assert database.path is not None
            clerk = database.actor
            with database.sessions() as session:
                own = load_settings(session)
            for code in ("WJ", "HB", ""):  # each sent from its own PC, where 单位名称 is that department
                database.sign_in(command_line_actor())  # settings are the administrator's
                with transaction(database.sessions) as session:
                    department = session.scalars(select(Department).where(Department.code == code)).first()
                    name = department.name if department else own.bureau_name
                    save_settings(session, dataclasses.replace(own, bureau_name=name))
                database.sign_in(clerk)
                if department is not None:
                    with database.sessions() as session:
                        package = database.path.with_name(f"{code}.sjpkg")
                        export_package(session, department.id, Period.year(self.year), package)
            for code in ("WJ", "HB"):
                with database.sessions() as session:
                    import_package(session, database.path.with_name(f"{code}.sjpkg"))

            def prepare(page: Any) -> None:
                page.refresh()
                page.table.selectRow(0)

            self._page_shot(database, ExchangePage, "exchange", prepare)


# Name → how to take it. Order matters: the ceremony's screens come before the reveal, the home page last.
SHOTS: dict[str, Callable[[Studio], None]] = {
    "first_run": Studio.shot_first_run,
    "items": Studio.shot_items,
    "import": Studio.shot_import,
    "plans": Studio.shot_plans,
    "plan_adjust": Studio.shot_plan_adjust,
    "plan_history": Studio.shot_plan_history,
    "task_dialog": Studio.shot_task_dialog,
    "console_ready": Studio.shot_console_ready,
    "projection_pool": Studio.shot_projection_pool,
    "console_witnesses": Studio.shot_console_witnesses,
    "console_results": Studio.shot_console_results,
    "replacement": Studio.shot_replacement,
    "tasks": Studio.shot_tasks,
    "entities": Studio.shot_entities,
    "inspections": Studio.shot_inspections,
    "publication": Studio.shot_publication,
    "audit": Studio.shot_audit,
    "users": Studio.shot_users,
    "backup": Studio.shot_backup,
    "reports": Studio.shot_reports,
    "exchange": Studio.shot_exchange,
    "home": Studio.shot_home,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the screenshots of the 使用说明.")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNGs (default {DEFAULT_OUT})"
    )
    parser.add_argument("--only", default="", help="comma-separated shot names: " + ",".join(SHOTS))
    parser.add_argument("--entities", type=int, default=20_000, help="size of the demo county")
    parser.add_argument(
        "--quick", action="store_true", help=f"a small county and only {', '.join(QUICK_SHOTS)}"
    )
    args = parser.parse_args(argv)
    wanted = [name for name in args.only.split(",") if name] or list(QUICK_SHOTS if args.quick else SHOTS)
    unknown = [name for name in wanted if name not in SHOTS]
    if unknown:
        parser.error(f"unknown shots: {', '.join(unknown)}")
    wanted = [name for name in SHOTS if name in wanted]  # the order of SHOTS, whatever the order asked
    entities = min(args.entities, 500) if args.quick else args.entities
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # same pictures on any machine, no window flashes by
    from PySide6.QtCore import qInstallMessageHandler

    from ui.application import create_application

    create_application()
    # The offscreen platform cannot resize windows to their size hints and says so for every dialog.
    previous = qInstallMessageHandler(
        lambda kind, context, text: None if "propagateSizeHints" in text else print(text, file=sys.stderr)
    )
    with private_environment() as data, answered_messages():
        studio = Studio(data, args.out, entities)
        try:
            for name in wanted:
                print(f"{name}:")
                SHOTS[name](studio)
        finally:
            studio.close()
            qInstallMessageHandler(previous)
    total = sum(path.stat().st_size for path in studio.saved)
    print(f"{len(studio.saved)} images, {total / 1_048_576:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
