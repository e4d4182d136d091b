"""首次设置: the wizard a brand-new database starts with (issue 8).

欢迎 → 数据 (demo county or empty) → 单位信息 → 管理员账号 → 备份 → 完成. The data choice comes before 单位信息
because it decides what that page starts with: the demo county's names, or empty fields. Each page checks its
part with the rules in :mod:`app.setup` and shows a problem in red on the page, keeping what was typed. Nothing
is written until 完成: then :func:`app.setup.create_database` makes the file and applies everything in one
transaction behind a progress dialog; if that fails the file is removed and the wizard stays open.
"""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.exc import SQLAlchemyError

from app.auth.users import SignedIn
from app.backup.files import default_backup_dir
from app.database import Database
from app.errors import UserFacingError
from app.setup import (
    BureauChoice,
    DemoDepartment,
    FirstRunChoices,
    FirstRunResult,
    SetupError,
    backup_folder_warning,
    create_database,
    demo_bureau,
    demo_departments,
    suggested_departments,
)
from ui import feedback
from ui.jobs import run_with_progress
from ui.widgets.hint import hint_label
from ui.widgets.sign_in import AdminAccountForm

log = logging.getLogger(__name__)

PAGE_WELCOME, PAGE_DATA, PAGE_BUREAU, PAGE_ADMIN, PAGE_BACKUP, PAGE_SUMMARY = range(6)
STEPS = 6
_EMPTY_BUREAU = BureauChoice("", "", "", "", False)
_NO_ARROW = (
    "QComboBox { border: 1px solid #a0a0a0; border-radius: 2px; padding: 1px 2px; background: white; }"
    "QComboBox::drop-down { subcontrol-origin: padding; subcontrol-position: top right; width: 0px;"
    " border-width: 0px; }"
)


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _hint(text: str = "", *, alert: bool = False) -> QLabel:
    label = hint_label(text)
    label.setProperty("alert", alert)
    return label


class _Page(QWizardPage):
    """A step with a title, an explanation and a red problem line; going back keeps what was typed."""

    def __init__(self, wizard: FirstRunWizard, step: int, title: str, subtitle: str) -> None:
        super().__init__()
        self.setup = wizard
        self.setTitle(f"第 {step} 步（共 {STEPS} 步）：{title}")
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.problem = _hint(alert=True)
        self.problem.hide()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def clear_problem(self) -> None:
        self.problem.clear()
        self.problem.hide()

    def cleanupPage(self) -> None:  # noqa: N802 — Qt's name
        """上一步 keeps this page's input (QWizard would reset it)."""
        self.clear_problem()


class WelcomePage(_Page):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard, 1, "欢迎", "欢迎使用“双随机、一公开”工作平台。")
        self.layout_.addWidget(
            _text(
                "这是本机第一次启动，接下来用几步完成初始设置：选择是否载入演示数据，填写单位名称、县（区）名称"
                "和本机所属部门，创建管理员账号，并确定数据备份的位置。全部填好并点“完成”后才会建立数据库；"
                "中途点“取消”不会留下任何文件。"
            )
        )
        self.layout_.addSpacing(8)
        self.layout_.addWidget(_text("这里填写的内容以后都可以由管理员在“系统设置”中修改。"))
        self.layout_.addSpacing(8)
        self.layout_.addWidget(_hint(f"数据库文件：{wizard.path}"))
        self.layout_.addStretch(1)


class DataPage(_Page):
    def __init__(self, wizard: FirstRunWizard, demo: bool) -> None:
        super().__init__(wizard, 2, "数据", "选择数据库从哪里开始。")
        self.demo_button = QRadioButton("载入演示县（示范县，含演示数据，供熟悉和培训）(&D)")
        self.empty_button = QRadioButton("从空白开始（正式使用）(&E)")
        self.group = QButtonGroup(self)
        self.group.addButton(self.demo_button)
        self.group.addButton(self.empty_button)
        (self.demo_button if demo else self.empty_button).setChecked(True)
        self.layout_.addWidget(self.demo_button)
        demo_hint = _hint(
            "生成虚构的“示范县”：9 个部门、约 2 万个检查对象、执法检查人员、抽查事项清单和年度计划，"
            "可以放心练习摇号和录入。其中的单位、人员和代码都是虚构的，不能与正式数据混用。"
        )
        demo_hint.setIndent(24)
        self.layout_.addWidget(demo_hint)
        self.layout_.addSpacing(12)
        self.layout_.addWidget(self.empty_button)
        empty_hint = _hint("名录库、事项清单和计划都是空的，由您导入或录入本单位的真实数据。")
        empty_hint.setIndent(24)
        self.layout_.addWidget(empty_hint)
        self.layout_.addStretch(1)

    @property
    def demo(self) -> bool:
        return self.demo_button.isChecked()

    def initializePage(self) -> None:  # noqa: N802
        (self.demo_button if self.demo else self.empty_button).setFocus()


class BureauPage(_Page):
    """单位名称, 县（区）名称 and 本机所属部门 (with its 简称 and 市场监管领域)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard, 3, "单位信息", "单位名称和县（区）名称显示在窗口标题和打印的文书上。")
        self._demo_departments = {d.name: d for d in demo_departments()}
        self._suggestions: dict[str, DemoDepartment] = {}  # what the department list offers now
        self._prefilled = _EMPTY_BUREAU
        self._last_bureau = ""
        self._filling = False
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.bureau_name = QLineEdit()
        self.bureau_name.setMaxLength(100)
        self.bureau_name.setPlaceholderText("例如：某某县市场监督管理局")
        self.county_name = QLineEdit()
        self.county_name.setMaxLength(50)
        self.county_name.setPlaceholderText("例如：某某县")
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.department.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setMaxLength(100)
        line.setPlaceholderText("本机上办理抽查工作的部门，例如：某某县市场监督管理局")
        self.short_name = QLineEdit()
        self.short_name.setMaxLength(20)
        self.short_name.setPlaceholderText("用于文书编号，如“示市监”")
        self.market = QCheckBox("属于市场监管领域（统计表分别统计市场监管领域和非市场监管领域的抽查）")
        self.department_note = _hint()
        form.addRow("单位名称(&U)：", self.bureau_name)
        form.addRow("县（区）名称(&C)：", self.county_name)
        form.addRow("本机所属部门(&P)：", self.department)
        form.addRow("部门简称(&S)：", self.short_name)
        form.addRow("", self.market)
        form.addRow("", self.department_note)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.problem)
        self.layout_.addStretch(1)
        self._fields: dict[str, QWidget] = {
            "bureau_name": self.bureau_name,
            "county_name": self.county_name,
            "department_name": self.department,
            "department_short_name": self.short_name,
        }
        self.bureau_name.textEdited.connect(self._bureau_edited)
        self.department.currentTextChanged.connect(self._department_changed)
        self.county_name.textChanged.connect(self._offer_departments)
        for edit in (self.bureau_name, self.county_name, self.short_name):
            edit.textChanged.connect(self.clear_problem)

    def choice(self) -> BureauChoice:
        offered = self._suggestions.get(self.department.currentText().strip())
        return BureauChoice(
            self.bureau_name.text(),
            self.county_name.text(),
            self.department.currentText(),
            self.short_name.text(),
            self.market.isChecked(),
            offered.code if offered else "",
        )

    def _fill(self, wanted: BureauChoice) -> None:
        """Put ``wanted`` in every field the user has not changed since the last fill."""
        before = self._prefilled
        self._filling = True
        if self.bureau_name.text() == before.bureau_name:
            self.bureau_name.setText(wanted.bureau_name)
        if self.county_name.text() == before.county_name:
            self.county_name.setText(wanted.county_name)
        if self.department.currentText() == before.department_name:
            self.department.setEditText(wanted.department_name)
        if self.short_name.text() == before.department_short_name:
            self.short_name.setText(wanted.department_short_name)
        if self.market.isChecked() == before.department_market_regulation:
            self.market.setChecked(wanted.department_market_regulation)
        self._filling = False
        self._prefilled = wanted
        self._last_bureau = self.bureau_name.text()

    def _bureau_edited(self, text: str) -> None:
        """The department follows the bureau's name (often the same body) until it is edited itself."""
        if self.department.currentText() in ("", self._last_bureau):
            self.department.setEditText(text)
        self._last_bureau = text

    def _department_changed(self, name: str) -> None:
        """Choosing (or typing) a department from the list brings its 简称 and 市场监管领域 along, unless a
        简称 of the user's own is already there."""
        self.clear_problem()
        found = self._suggestions.get(name.strip())
        offered = {d.short_name for d in (*self._suggestions.values(), *self._demo_departments.values())}
        own_short = self.short_name.text().strip() not in {"", *offered}
        if found is not None and not self._filling and not own_short:
            self.short_name.setText(found.short_name)
            self.market.setChecked(found.is_market_regulation)
        self._describe_department()

    def _offer_departments(self) -> None:
        """The list under 本机所属部门: the demo county's departments, or when starting empty the usual
        departments named for the county typed above (none, and no drop-down arrow, before that)."""
        if self.setup.data_page.demo:
            offered = list(self._demo_departments.values())
        else:
            offered = suggested_departments(self.county_name.text())
        self._suggestions = {d.name: d for d in offered}
        current = self.department.currentText()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItems(list(self._suggestions))
        self.department.setCurrentIndex(-1)
        self.department.setEditText(current)
        self.department.blockSignals(False)
        # Nothing to offer yet (starting empty, no county typed): no drop-down arrow that opens an empty list.
        self.department.setStyleSheet("" if offered else _NO_ARROW)

    def _describe_department(self) -> None:
        name = self.department.currentText().strip()
        if not name:
            self.department_note.setText("")
        elif not self.setup.data_page.demo:
            self.department_note.setText(f"完成时将在部门列表中建立“{name}”，管理员账号属于这个部门。")
        elif name in self._demo_departments:
            self.department_note.setText(f"演示县中已有“{name}”，本机和管理员账号将属于这个部门。")
        else:
            self.department_note.setText(
                f"演示县中没有“{name}”：完成时将把它作为新部门加入部门列表（它还没有执法检查人员和检查对象），"
                "管理员账号属于这个部门；演示数据仍属于演示县原有的部门。"
            )

    def initializePage(self) -> None:  # noqa: N802
        demo = self.setup.data_page.demo
        self._fill(demo_bureau() if demo else _EMPTY_BUREAU)
        self._offer_departments()
        self._describe_department()
        self.bureau_name.setFocus()

    def validatePage(self) -> bool:  # noqa: N802
        try:
            self.choice().validated()
        except SetupError as problem:
            self.show_problem(problem.message_zh)
            self._fields.get(problem.field, self.bureau_name).setFocus()
            return False
        self.clear_problem()
        return True


class AdminPage(_Page):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(
            wizard,
            4,
            "管理员账号",
            "管理员负责用户账号、系统设置和数据恢复，也可以办理日常工作。",
        )
        self.layout_.addWidget(
            _hint(
                "请牢记密码。如果遗忘，可由持有数据库文件的人员在命令行执行 "
                "python -m app users reset-password 用户名 重置。经办人和监督员的账号以后在"
                "“系统设置 → 用户管理”中添加。"
            )
        )
        self.layout_.addSpacing(8)
        self.account_form = AdminAccountForm()
        self.layout_.addWidget(self.account_form)
        self.department_note = _hint()
        self.layout_.addWidget(self.department_note)
        self.layout_.addWidget(self.problem)
        self.layout_.addStretch(1)
        for edit in (
            self.account_form.username,
            self.account_form.display_name,
            self.account_form.password,
            self.account_form.confirm,
        ):
            edit.textEdited.connect(self.clear_problem)

    def initializePage(self) -> None:  # noqa: N802
        department = self.setup.bureau_page.choice().department_name.strip()
        self.department_note.setText(f"管理员账号属于本机所属部门“{department}”。")
        self.account_form.display_name.setFocus()

    def validatePage(self) -> bool:  # noqa: N802
        account = self.account_form.checked_account()
        if isinstance(account, SetupError):
            self.show_problem(account.message_zh)
            return False
        self.clear_problem()
        return True


class BackupPage(_Page):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(
            wizard,
            5,
            "备份",
            "程序每天自动备份一次数据库，每次退出时也备份一次，旧的备份自动轮换，只保留最近的若干份。",
        )
        self.main_folder = default_backup_dir()
        form = QFormLayout()
        main = QLabel(str(self.main_folder))
        main.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        main.setWordWrap(True)
        form.addRow("主备份位置：", main)
        form.addRow("", _hint("在本机的数据目录中，总是备份到这里。"))
        self.mirror_edit = QLineEdit()
        self.mirror_edit.setPlaceholderText("可不填；例如 U 盘或共享文件夹中的“双随机备份”文件夹")
        self.mirror_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("浏览(&O)…")
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.mirror_edit, 1)
        row.addWidget(self.browse_button)
        mirror_label = QLabel("第二备份位置(&M)：")
        mirror_label.setBuddy(self.mirror_edit)
        form.addRow(mirror_label, row)
        form.addRow(
            "",
            _hint(
                "本机硬盘损坏时，主备份会一起丢失；再备份一份到 U 盘、另一块硬盘或单位的共享文件夹更安全。"
            ),
        )
        self.warning = _hint(alert=True)
        self.warning.hide()
        form.addRow("", self.warning)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.mirror_edit.textChanged.connect(self._check)

    def browse(self) -> None:
        start = self.mirror_edit.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "选择第二备份位置", start)
        if chosen:
            self.mirror_edit.setText(str(Path(chosen)))

    def _check(self) -> None:
        warning = backup_folder_warning(self.mirror_edit.text(), self.main_folder)
        self.warning.setText(f"注意：{warning}" if warning else "")
        self.warning.setVisible(bool(warning))

    def initializePage(self) -> None:  # noqa: N802
        self._check()
        self.mirror_edit.setFocus()


class SummaryPage(_Page):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(
            wizard, 6, "完成", "请核对以下设置。点“完成”后建立数据库，并以管理员身份直接进入系统。"
        )
        self.setFinalPage(True)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.layout_.addSpacing(8)
        self.layout_.addWidget(_hint("如需修改，请点“上一步”。这些设置以后都可以在“系统设置”中修改。"))
        self.layout_.addStretch(1)
        self.rows: dict[str, QLabel] = {}

    def initializePage(self) -> None:  # noqa: N802
        choices = self.setup.choices()
        bureau, admin = choices.bureau, choices.admin
        market = "市场监管领域" if bureau.department_market_regulation else "非市场监管领域"
        backup_warning = backup_folder_warning(choices.mirror_dir, self.setup.backup_page.main_folder)
        lines = {
            "数据：": "载入演示县（示范县，含演示数据）" if choices.demo else "从空白开始（正式使用）",
            "单位名称：": bureau.bureau_name,
            "县（区）名称：": bureau.county_name,
            "本机所属部门：": f"{bureau.department_name}（简称“{bureau.department_short_name}”，{market}）",
            "管理员：": f"{admin.display_name}（用户名 {admin.username.strip()}）",
            "主备份位置：": str(self.setup.backup_page.main_folder),
            "第二备份位置：": choices.mirror_dir or "未设置",
            "数据库文件：": str(self.setup.path),
        }
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows = {}
        for caption, text in lines.items():
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(caption, value)
            self.rows[caption.rstrip("：")] = value
            if caption == "第二备份位置：" and backup_warning:
                self.form.addRow("", _hint(f"注意：{backup_warning}", alert=True))

    def validatePage(self) -> bool:  # noqa: N802
        return self.setup.apply()


class FirstRunWizard(QWizard):
    """The first-run setup of a new database file at ``path``; ``demo`` preselects 载入演示县.

    Accepted: ``database`` is open and ``signed_in`` is its new administrator. Rejected: no file was made.
    """

    # The demo county comes with its year of tasks, draws, inspections and 公示 (the GUI tests switch it off:
    # ~15 s each; tests/app/test_setup.py covers it).
    DEMO_YEAR_OF_WORK = True

    def __init__(self, path: Path, *, demo: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.database: Database | None = None
        self.signed_in: SignedIn | None = None
        self.outcome: FirstRunResult | None = None
        self.seconds_to_apply = 0.0
        self.setWindowTitle("初始设置 · 双随机、一公开工作平台")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步(&B)")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步(&N)")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成(&F)")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.welcome_page = WelcomePage(self)
        self.data_page = DataPage(self, demo)
        self.bureau_page = BureauPage(self)
        self.admin_page = AdminPage(self)
        self.backup_page = BackupPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in enumerate(
            (
                self.welcome_page,
                self.data_page,
                self.bureau_page,
                self.admin_page,
                self.backup_page,
                self.summary_page,
            )
        ):
            self.setPage(page_id, page)
        self.setMinimumSize(760, 560)

    def choices(self) -> FirstRunChoices:
        """What the pages hold now (unchecked)."""
        return FirstRunChoices(
            demo=self.data_page.demo,
            bureau=self.bureau_page.choice(),
            admin=self.admin_page.account_form.account(),
            mirror_dir=self.backup_page.mirror_edit.text(),
        )

    def apply(self) -> bool:
        """Make the database with every choice (one transaction, behind a progress dialog). On failure the
        file is gone again, the user is told why and the wizard stays open with everything as typed."""
        choices = self.choices()
        started = time.perf_counter()
        try:
            database, signed, result = run_with_progress(
                self,
                "正在建立数据库",
                lambda progress: create_database(
                    self.path, choices, progress, demo_year_of_work=self.DEMO_YEAR_OF_WORK
                ),
            )
        except Exception as exc:  # every failure is told; the file is already removed
            log.exception("first-run setup failed for %s", self.path)
            feedback.error(
                self,
                "初始设置没有完成，没有建立数据库文件。\n\n"
                f"原因：{_failure_reason(exc)}\n\n可以修改设置后再点“完成”，或点“取消”退出。",
                title="初始设置未完成",
                details="".join(traceback.format_exception(exc)),
            )
            return False
        self.seconds_to_apply = time.perf_counter() - started
        log.info("first-run setup applied in %.2f s: %s", self.seconds_to_apply, result)
        self.database, self.signed_in, self.outcome = database, signed, result
        return True

    def reject(self) -> None:
        """取消, Esc or closing the window: asked once, since everything typed would be lost."""
        if self.database is None and not feedback.confirm(
            self,
            "确定要退出初始设置吗？\n\n不会建立数据库文件，下次启动时将重新开始设置。",
            ok_text="退出设置",
            title="退出初始设置",
        ):
            return
        super().reject()


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, UserFacingError):
        return exc.message_zh
    if isinstance(exc, OSError):
        return f"无法写入磁盘（磁盘已满、没有写入权限或文件被占用）：{exc.strerror or exc}"
    if isinstance(exc, SQLAlchemyError):
        return "写入数据库时出错（磁盘已满或文件被其他程序占用）。"
    return "程序内部错误，详见“显示详细信息”。请把详细信息发给技术支持人员。"
