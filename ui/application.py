"""Starting the GUI: Qt application, Chinese translations, style, logging, crash dialog, one window per database."""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTranslator
from PySide6.QtWidgets import QApplication

from app.auth.roles import Actor
from app.auth.users import record_sign_out
from app.database import Database, DatabaseOpenError, DatabaseVersionError, open_database
from app.logs import setup_logging
from app.paths import data_dir, resources_dir
from app.settings import load_settings
from ui import feedback
from ui.crash import install_excepthook

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with zh_CN translations (standard buttons read 确定/取消) and the product's style."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("双随机一公开")
    app.setOrganizationName("shuangsuiji")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_translations(app)
    style = resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def install_translations(app: QApplication) -> bool:
    """Load Qt's own Simplified Chinese translations. Returns False if they are missing."""
    if getattr(app, "_zh_translator", None) is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        log.warning("Qt zh_CN translations not found in %s", folder)
        return False
    app.installTranslator(translator)
    app._zh_translator = translator  # type: ignore[attr-defined]  # keep it alive with the app
    return True


def instance_lock(database_location: str) -> QLockFile:
    """A lock per database so a second window on the same file is refused instead of racing the first."""
    key = hashlib.sha256(str(Path(database_location).expanduser().resolve()).encode()).hexdigest()[:16]
    lock = QLockFile(str(data_dir() / f"window-{key}.lock"))
    lock.setStaleLockTime(0)  # a crashed instance's lock is detected by its dead process id instead
    return lock


def database_intact_at_start(path: Path) -> bool:
    """PRAGMA quick_check on an existing file; when it fails, offer a restore from a backup. False: quit.

    Files that are not SQLite at all are left to open_database, which explains them. The restore dialog's
    module loads only for a damaged file."""
    from app.backup.sqlite_copy import check_integrity, is_sqlite_file

    if not is_sqlite_file(path):
        return True
    report = check_integrity(path, quick=True)
    log.info(
        "integrity check of %s: %s in %.2f s", path, "ok" if report.ok else report.problems, report.seconds
    )
    if report.ok:
        return True
    from ui.widgets.damaged_database import offer_restore

    return offer_restore(report)


def is_new_database(location: str) -> bool:
    """A database file that does not exist yet (a server URL is never new here)."""
    return "://" not in location and not Path(location).expanduser().exists()


def set_up_new_database(location: str, *, new_database_demo: bool) -> tuple[Database, Actor] | None:
    """The first-run setup (首次设置) of a new file: the database with its administrator, already signed in
    for; None when the user left the setup (then no file exists)."""
    from ui.widgets.first_run import FirstRunWizard

    wizard = FirstRunWizard(Path(location).expanduser(), demo=new_database_demo)
    wizard.exec()
    database, signed = wizard.database, wizard.signed_in
    # Gone at the next turn of the event loop, not whenever Python's cycle collector gets to the pages.
    wizard.deleteLater()
    if database is None or signed is None:
        return None
    return database, signed.actor


def prepare_database(location: str, *, new_database_demo: bool) -> Database | None:
    """Open the database. A new file goes through the first-run setup first (``new_database_demo``
    preselects the demo county there) and comes back signed in as its new administrator. None when the file
    is unusable (a message was shown) or the setup was left."""
    if is_new_database(location):
        started = set_up_new_database(location, new_database_demo=new_database_demo)
        if started is None:
            return None
        database, administrator = started
        database.sign_in(administrator)
        return database
    if "://" not in location and not database_intact_at_start(Path(location).expanduser()):
        return None
    try:
        return open_database(location)
    except (DatabaseOpenError, DatabaseVersionError) as exc:
        feedback.error(None, exc.message_zh, title="无法打开数据库")
        return None


def sign_in(database: Database, username: str = "") -> Actor | None:
    """The sign-in dialog, or the administrator's account on a database nobody can sign in to yet (e.g. one
    made by ``python -m app demo``); then a forced password change when the administrator reset the
    password. None when the user gives up (the application then ends)."""
    from app.auth.users import needs_first_admin
    from ui.widgets.sign_in import ChangePasswordDialog, FirstAdminDialog, LoginDialog

    with database.sessions() as session:
        first = needs_first_admin(session)
        bureau = load_settings(session).bureau_name
    if first:
        dialog: FirstAdminDialog | LoginDialog = FirstAdminDialog(database)
    else:
        dialog = LoginDialog(database, bureau)
        dialog.set_username(username)
    if not dialog.exec() or dialog.signed_in is None:
        return None
    signed = dialog.signed_in
    if signed.must_change_password:
        database.sign_in(signed.actor)
        if not ChangePasswordDialog(database, forced=True).exec():
            return None
    _tell_about_key_storage()
    return signed.actor


def _tell_about_key_storage() -> None:
    """Once per installation: where no credential store exists, say that the audit key is in a file."""
    from app.audit.keys import installation_key, mark_notice_shown, notice_pending

    key = installation_key()
    if notice_pending(key):
        feedback.info(
            None,
            "本机没有可用的系统凭据存储（钥匙串），审计日志的签名密钥已保存在只有您本人可读的文件中：\n"
            f"{key.location}\n\n请勿删除该文件：核验审计日志需要它。此提示只显示一次。",
            title="审计密钥的保存位置",
        )
        mark_notice_shown()


def _run_window(app: QApplication, database: Database) -> tuple[int, bool]:
    from ui.context import AppContext
    from ui.main_window import MainWindow

    window = MainWindow(AppContext(database))
    window.show_full()
    code = app.exec()
    return code, window.switch_user_requested


def run_gui(database_location: str, *, new_database_demo: bool = True) -> int:
    """Run the desktop application until the main window closes. Returns the exit code."""
    log_path = setup_logging()
    log.info("starting GUI on %s (log %s)", database_location, log_path)
    app = create_application()
    install_excepthook()
    lock = instance_lock(database_location)
    if not lock.tryLock(100):
        feedback.warn(
            None,
            f"该数据库已在另一个窗口中打开：\n{database_location}\n\n请切换到已打开的窗口继续工作。",
            title="已在运行",
        )
        return 1
    try:
        new = is_new_database(database_location)
        database = prepare_database(database_location, new_database_demo=new_database_demo)
        if database is None:
            return 0 if new else 2  # leaving the first-run setup is not an error
        code = 0
        username = ""
        # The first-run setup has just created and signed in the administrator: no second password prompt.
        signed: Actor | None = database.actor if new else None
        if signed is not None:
            _tell_about_key_storage()
        while True:
            signed = signed or sign_in(database, username)
            if signed is None:
                break
            database.sign_in(signed)
            username = signed.username
            code, switch_user = _run_window(app, database)
            record_sign_out(database.sessions, signed)
            signed = None
            if not switch_user:
                break
        database.close()
        return code
    finally:
        lock.unlock()
