"""Main window: hosts the pages behind a left navigation; knows nothing of what the pages do."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ui.about import AboutDialog
from ui.auto_backup import AutoBackup
from ui.context import AppContext
from ui.pages import Page


@dataclass(frozen=True)
class PageEntry:
    """A page of the navigation, named without importing it: a page's module (and what it imports, e.g. the
    inspection services) is loaded and the page built only when the clerk first opens it, which keeps the start
    short (bench/bench_startup.py). A test checks each title against the page class's TITLE."""

    title: str
    module: str
    class_name: str

    def load(self) -> type[Page]:
        page_type = getattr(importlib.import_module(self.module), self.class_name)
        assert issubclass(page_type, Page)
        return page_type


# Order of the navigation. Later features insert their pages here.
DEFAULT_PAGES: Sequence[PageEntry] = (
    PageEntry("首页", "ui.pages.home", "HomePage"),
    PageEntry("检查对象名录库", "ui.pages.registry_page", "EntitiesPage"),
    PageEntry("执法检查人员名录库", "ui.pages.registry_page", "InspectorsPage"),
    PageEntry("随机抽查事项清单", "ui.pages.registry_page", "ItemsPage"),
    PageEntry("年度抽查计划", "ui.pages.plans_page", "PlansPage"),
    PageEntry("抽查任务与摇号", "ui.pages.tasks_page", "TasksPage"),
    PageEntry("检查录入与公示", "ui.pages.inspections_page", "InspectionsPage"),
    PageEntry("统计上报", "ui.pages.reports_page", "ReportsPage"),
    PageEntry("数据交换", "ui.pages.exchange_page", "ExchangePage"),
    PageEntry("系统设置", "ui.pages.settings_page", "SettingsPage"),
    PageEntry("审计日志", "ui.pages.audit_page", "AuditPage"),
)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, pages: Sequence[PageEntry] = DEFAULT_PAGES) -> None:
        super().__init__()
        self.context = context
        self.setMinimumSize(1024, 640)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(200)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.entries = tuple(pages)
        self._built: list[Page | None] = [None] * len(self.entries)
        for number, entry in enumerate(self.entries, start=1):
            self.stack.addWidget(QWidget())  # stands in until the page is first opened
            item = QListWidgetItem(entry.title)
            item.setToolTip(
                f"{entry.title}（Ctrl+{number}）" if number <= 9 else f"{entry.title}（Ctrl+PgDown/PgUp）"
            )
            self.nav.addItem(item)
            if number <= 9:
                shortcut = QAction(self)
                shortcut.setShortcut(QKeySequence(f"Ctrl+{number}"))
                shortcut.triggered.connect(lambda _=False, row=number - 1: self.nav.setCurrentRow(row))
                self.addAction(shortcut)
        # Every page, also those after the ninth: the next and the previous one, round the list.
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            turn = QAction(self)
            turn.setShortcut(QKeySequence(keys))
            turn.triggered.connect(
                lambda _=False, step=step: self.nav.setCurrentRow(
                    (self.nav.currentRow() + step) % self.nav.count()
                )
            )
            self.addAction(turn)
        self.nav.currentRowChanged.connect(self._show_page)

        self._build_menu()
        self.switch_user_requested = False
        self.user_label = QLabel()
        self.user_label.setText(self._user_text())
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        context.settings_changed.connect(self._update_title)
        context.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._update_title()
        self.nav.setCurrentRow(0)
        self.auto_backup = AutoBackup(context, self)  # 每日 and 退出时 backups of the database file

    def closeEvent(self, event: QCloseEvent) -> None:
        self.auto_backup.backup_on_exit()  # never raises; a failure is logged
        super().closeEvent(event)

    def show_full(self) -> None:
        """Show filling the screen's work area (also where no window manager maximises, e.g. Xvfb)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        self.showMaximized()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = file_menu.addAction("退出(&X)")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        actor = self.context.database.actor
        if actor.user_id is not None:
            account = self.menuBar().addMenu("账号(&U)")
            change = account.addAction("修改密码(&P)…")
            change.triggered.connect(self.change_password)
            switch = account.addAction("切换用户(&S)…")
            switch.triggered.connect(self.switch_user)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_action = help_menu.addAction("使用说明(&H)")
        help_action.setShortcut(QKeySequence("F1"))
        help_action.triggered.connect(self.show_help)
        about_action = help_menu.addAction("关于(&A)")
        about_action.triggered.connect(self.show_about)

    def _user_text(self) -> str:
        actor = self.context.database.actor
        if actor.user_id is None:
            return f"操作者：{actor.display_name}"
        return f"当前用户：{actor.display_name}（{actor.role}）"

    def change_password(self) -> None:
        from ui.widgets.sign_in import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.context.database, parent=self)
        if dialog.exec():
            self.context.status_message.emit("密码已修改。")

    def switch_user(self) -> None:
        """Close this window and show the sign-in dialog again (the application keeps running)."""
        self.switch_user_requested = True
        self.close()

    def page_at(self, row: int) -> Page:
        """The page in that row of the navigation, built (and put in the stack) the first time it is asked for."""
        page = self._built[row]
        if page is None:
            page = self.entries[row].load()(self.context)
            page.apply_role()
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            if current == row:
                self.stack.setCurrentIndex(row)
            self._built[row] = page
        return page

    @property
    def pages(self) -> list[Page]:
        """Every page, building those not yet opened (tests and whole-window checks; the navigation builds
        a page only when it is first shown)."""
        return [self.page_at(row) for row in range(len(self.entries))]

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            page = self.page_at(row)
            self.stack.setCurrentIndex(row)
            page.refresh()

    def current_page(self) -> Page:
        return self.page_at(self.stack.currentIndex())

    def show_page(self, page_type: type[Page]) -> Page:
        """Open the page of that type (used by links between pages and by tests)."""
        for row, entry in enumerate(self.entries):
            if (entry.module, entry.class_name) == (page_type.__module__, page_type.__qualname__):
                self.nav.setCurrentRow(row)
                return self.page_at(row)
        raise LookupError(page_type.__name__)

    def _update_title(self) -> None:
        settings = self.context.settings()
        self.setWindowTitle(f"{settings.bureau_name} — 双随机、一公开")
        database = self.context.database
        where = str(database.path) if database.path else database.location
        self.db_label.setText(f"数据库：{where}")

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.context, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def show_help(self) -> QWidget:
        """使用说明 at the section about the page in front (F1)."""
        from ui.help_window import page_anchor, show_help

        return show_help(self, page_anchor(self.current_page().TITLE))
