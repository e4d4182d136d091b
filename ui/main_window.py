"""Main window: hosts the pages behind a left navigation; knows nothing of what the pages do."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
from ui.pages.audit_page import AuditPage
from ui.pages.home import HomePage
from ui.pages.inspections_page import InspectionsPage
from ui.pages.plans_page import PlansPage
from ui.pages.registry_page import EntitiesPage, InspectorsPage, ItemsPage
from ui.pages.settings_page import SettingsPage
from ui.pages.tasks_page import TasksPage

PageFactory = Callable[[AppContext], Page]

# Order of the navigation. Later features insert their pages here.
DEFAULT_PAGES: Sequence[PageFactory] = (
    HomePage,
    EntitiesPage,
    InspectorsPage,
    ItemsPage,
    PlansPage,
    TasksPage,
    InspectionsPage,
    SettingsPage,
    AuditPage,
)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, pages: Sequence[PageFactory] = DEFAULT_PAGES) -> None:
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

        self.pages: list[Page] = []
        for number, factory in enumerate(pages, start=1):
            page = factory(context)
            page.apply_role()
            self.pages.append(page)
            self.stack.addWidget(page)
            item = QListWidgetItem(page.TITLE)
            item.setToolTip(f"{page.TITLE}（Ctrl+{number}）" if number <= 9 else page.TITLE)
            self.nav.addItem(item)
            if number <= 9:
                shortcut = QAction(self)
                shortcut.setShortcut(QKeySequence(f"Ctrl+{number}"))
                shortcut.triggered.connect(lambda _=False, row=number - 1: self.nav.setCurrentRow(row))
                self.addAction(shortcut)
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

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.stack.setCurrentIndex(row)
            self.pages[row].refresh()

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, page_type: type[Page]) -> Page:
        """Open the page of that type (used by links between pages and by tests)."""
        for row, page in enumerate(self.pages):
            if isinstance(page, page_type):
                self.nav.setCurrentRow(row)
                return page
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
