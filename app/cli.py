"""Command line: `python -m app` starts the GUI; `python -m app <command>` runs a command (DESIGN.md).

Heavy modules are imported inside the command that needs them, so `--help` and the GUI start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.console import fail as _fail
from app.console import open_or_report, progress_printer
from app.console import say as _say

Handler = Callable[[argparse.Namespace], int]


def _db_location(args: argparse.Namespace) -> str:
    if args.db:
        return str(args.db)
    from app.paths import default_db_path

    return str(default_db_path())


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.application import run_gui

    return run_gui(_db_location(args), new_database_demo=not args.empty)


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from app.demo import build_demo
    from app.demo.generate import DemoError
    from db.engine import transaction

    if args.entities < 0:
        return _fail("错误：--entities 不能为负数。")
    started = time.perf_counter()
    database = open_or_report(_db_location(args), create=True)
    if database is None:
        return 2
    progress = progress_printer(_say)

    try:
        with transaction(database.sessions) as session:
            summary = build_demo(
                session,
                entities=args.entities,
                year=args.year,
                progress=progress,
                year_of_work=not args.no_work,
            )
        database.refresh_statistics()
    except DemoError as exc:
        return _fail(f"错误：{exc.message_zh}", 1)
    finally:
        database.close()
    work = summary.work
    done = (
        f"截至 {work.today.isoformat()} 的抽查工作：{work.tasks} 个抽查任务，{work.draws} 次摇号，"
        f"{work.inspections} 份检查登记表（已归档 {work.filed} 份），{work.publications} 次结果公示。"
        if work
        else ""
    )
    _say(
        f"已生成演示县：{summary.departments} 个部门，{summary.entities} 个检查对象，"
        f"{summary.inspectors} 名执法检查人员，{summary.items} 个抽查事项，{summary.plan_rows} 条年度计划。{done}"
        f"用时 {time.perf_counter() - started:.1f} 秒。数据库：{database.location}"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.draw.cli import cmd_verify as verify

    return verify(str(args.record))


def cmd_selftest(args: argparse.Namespace) -> int:
    from app.draw.cli import cmd_selftest as selftest

    return selftest()


def cmd_smoke(args: argparse.Namespace) -> int:
    """启动自检: the real main window on a temporary demo database (never the user's data), headless."""
    if args.entities < 1:
        return _fail("错误：--entities 至少为 1。")
    from ui.smoke import run_smoke

    return run_smoke(entities=args.entities)


def cmd_import(args: argparse.Namespace) -> int:
    from app.io.cli import run_import

    return run_import(args.kind, args.file, _db_location(args), dry_run=args.dry_run)


def cmd_export(args: argparse.Namespace) -> int:
    from app.io.cli import run_export

    return run_export(args.kind, args.file, _db_location(args), include_personal=args.include_personal)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.backup.cli import run_backup

    return run_backup(_db_location(args), args.to)


def cmd_restore(args: argparse.Namespace) -> int:
    from app.backup.cli import run_restore

    return run_restore(args.backup, _db_location(args))


def cmd_audit(args: argparse.Namespace) -> int:
    from app.audit.cli import run_verify

    return run_verify(_db_location(args))


def cmd_package(args: argparse.Namespace) -> int:
    from app.exchange import cli as exchange

    if args.package_action == "show":
        return exchange.run_show(args.file)
    if args.package_action == "import":
        return exchange.run_import(args.file, _db_location(args), accept_new_key=args.accept_new_key)
    try:
        period = exchange.parse_period(args.year, args.half, args.quarter, args.start, args.end)
    except ValueError as exc:
        return _fail(f"错误：{exc}")
    return exchange.run_export(args.department, period, args.file, _db_location(args))


def cmd_report(args: argparse.Namespace) -> int:
    from app.reports.cli import run_report_import

    period = None  # statistics tables: --year/--half/--quarter/--from --to; a plan table: --year is its 年度
    if args.kind != "plan" and any(
        v is not None for v in (args.year, args.half, args.quarter, args.start, args.end)
    ):
        from app.exchange.cli import parse_period

        try:
            period = parse_period(args.year, args.half, args.quarter, args.start, args.end)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr, flush=True)
            print('{"imported": 0, "updated": 0, "skipped": 0, "warnings": 0, "errors": 0}', flush=True)
            return 2
    return run_report_import(
        args.file,
        _db_location(args),
        dry_run=args.dry_run,
        kind=args.kind,
        period=period,
        plan_year=args.year if args.kind in (None, "plan") else None,
        department=args.department,
    )


def cmd_users(args: argparse.Namespace) -> int:
    from app.auth.cli import run_users

    return run_users(args, _db_location(args))


def build_parser() -> argparse.ArgumentParser:
    """The whole command line. Every command accepts --db."""
    db_help = "使用指定的数据库文件（默认：用户数据目录中的数据库）"
    # Subcommands must not reset a --db given before the command name, hence SUPPRESS there.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)

    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="双随机、一公开 县级工作平台。不带命令时启动图形界面。",
    )
    parser.add_argument("--db", metavar="PATH", default=None, help=db_help)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--empty", action="store_true", help="新数据库的初始设置中预选“从空白开始”（图形界面）"
    )
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(title="命令", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="生成演示县数据（写入空数据库）：名录、年度计划，以及截至今天的抽查任务、摇号、检查和公示",
    )
    demo.add_argument("--entities", type=int, default=20_000, metavar="N", help="检查对象数量（默认 20000）")
    demo.add_argument("--year", type=int, default=None, help="计划年度（默认今年；往年则生成全年的工作）")
    demo.add_argument(
        "--no-work", action="store_true", help="只生成名录和年度计划，不生成抽查任务、摇号、检查和公示"
    )
    demo.set_defaults(handler=cmd_demo)

    verify = sub.add_parser(
        "verify", parents=[common], help="验证 SJDRAW-1 抽取记录（退出码 0 通过 / 1 不通过 / 2 无法读取）"
    )
    verify.add_argument("record", type=Path, metavar="RECORD.json")
    verify.set_defaults(handler=cmd_verify)

    selftest = sub.add_parser("selftest", parents=[common], help="运行 RFC 3797 与 SJDRAW-1 标准向量自检")
    selftest.set_defaults(handler=cmd_selftest)

    smoke = sub.add_parser(
        "smoke", help="启动自检：在临时演示数据库上无界面启动主窗口并生成一份 PDF（不动用户数据）"
    )
    smoke.add_argument("--entities", type=int, default=200, metavar="N", help="演示检查对象数量（默认 200）")
    smoke.set_defaults(handler=cmd_smoke)

    kinds = "{entities|inspectors|items}"
    imp = sub.add_parser(
        "import", parents=[common], help="导入名录（xlsx、xls、csv）；最后一行输出 JSON 计数"
    )
    imp.add_argument(
        "kind", metavar=kinds, help="entities 检查对象 / inspectors 执法检查人员 / items 抽查事项"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", parents=[common], help="把名录导出为 xlsx（可原样导回）")
    exp.add_argument(
        "kind", metavar=kinds, help="entities 检查对象 / inspectors 执法检查人员 / items 抽查事项"
    )
    exp.add_argument("file", type=Path, metavar="FILE")
    exp.add_argument("--include-personal", action="store_true", help="导出完整身份证号（默认打码）")
    exp.set_defaults(handler=cmd_export)

    backup = sub.add_parser(
        "backup", parents=[common], help="备份数据库（默认保存到数据目录的 backups 文件夹及第二备份位置）"
    )
    backup.add_argument("--to", type=Path, metavar="DIR", default=None, help="备份到指定文件夹")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="从备份恢复数据库（当前数据先另存为“恢复前”备份；退出码 0 完成 / 1 拒绝 / 2 文件不可用）",
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP")
    restore.set_defaults(handler=cmd_restore)
    audit = sub.add_parser("audit", parents=[common], help="审计日志：verify 核验审计链与受保护记录")
    audit_sub = audit.add_subparsers(title="审计命令", metavar="ACTION", required=True)
    audit_verify = audit_sub.add_parser(
        "verify", parents=[common], help="核验审计链和受保护记录（退出码 0 完整 / 1 被改动 / 2 无法核验）"
    )
    audit_verify.set_defaults(handler=cmd_audit)

    package = sub.add_parser(
        "package",
        parents=[common],
        help="数据交换：export 导出数据包 / show 核验数据包 / import 导入其他部门的数据包",
    )
    package_sub = package.add_subparsers(title="数据包命令", metavar="ACTION", required=True)
    package_export = package_sub.add_parser(
        "export",
        parents=[common],
        help="导出一个部门某期间的数据包（退出码 0 完成 / 1 拒绝 / 2 参数或文件不可用）",
    )
    package_export.add_argument("--department", required=True, metavar="CODE", help="部门代码，如 SJ")
    package_export.add_argument("--year", type=int, default=None, metavar="Y", help="年度，如 2026")
    package_export.add_argument("--half", default=None, metavar="Y-H", help="半年，如 2026-1（上半年）")
    package_export.add_argument("--quarter", default=None, metavar="Y-Q", help="季度，如 2026-3")
    package_export.add_argument(
        "--from", dest="start", default=None, metavar="DATE", help="开始日期 YYYY-MM-DD"
    )
    package_export.add_argument("--to", dest="end", default=None, metavar="DATE", help="结束日期 YYYY-MM-DD")
    package_export.add_argument("file", type=Path, metavar="FILE")
    package_export.set_defaults(handler=cmd_package, package_action="export")
    package_show = package_sub.add_parser(
        "show", help="核验数据包并显示内容（退出码 0 有效 / 1 无效 / 2 无法读取）"
    )
    package_show.add_argument("file", type=Path, metavar="FILE")
    package_show.set_defaults(handler=cmd_package, package_action="show")
    package_import = package_sub.add_parser(
        "import",
        parents=[common],
        help="导入其他部门的数据包（退出码 0 已导入或重复 / 1 拒绝，未写入 / 2 参数或文件不可用）",
    )
    package_import.add_argument("file", type=Path, metavar="FILE")
    package_import.add_argument(
        "--accept-new-key",
        action="store_true",
        help="发送部门更换了签名密钥（如重装）且已电话核对新指纹时使用",
    )
    package_import.set_defaults(handler=cmd_package, package_action="import")

    report = sub.add_parser(
        "report", parents=[common], help="统计上报：import 导入其他部门填报的统计表或计划表（xlsx）"
    )
    report_sub = report.add_subparsers(title="统计上报命令", metavar="ACTION", required=True)
    report_import = report_sub.add_parser(
        "import",
        parents=[common],
        help="导入其他部门填报的进展情况统计表、非市场监管推行情况统计表或计划表；最后一行输出 JSON 计数"
        "（退出码 0 已导入或重复 / 1 拒绝，未写入 / 2 文件或参数不可用）",
    )
    report_import.add_argument("file", type=Path, metavar="FILE")
    report_import.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    report_import.add_argument(
        "--kind",
        default=None,
        help="表格类型（默认按标题和表头识别）：progress 进展情况 / non_market 非市场监管推行情况 / plan 计划表",
    )
    report_import.add_argument(
        "--year", type=int, default=None, metavar="Y", help="统计年度（统计表）或计划年度（计划表）"
    )
    report_import.add_argument(
        "--half", default=None, metavar="Y-H", help="统计期间为半年，如 2026-1（上半年）"
    )
    report_import.add_argument("--quarter", default=None, metavar="Y-Q", help="统计期间为季度，如 2026-3")
    report_import.add_argument(
        "--from", dest="start", default=None, metavar="DATE", help="开始日期 YYYY-MM-DD"
    )
    report_import.add_argument("--to", dest="end", default=None, metavar="DATE", help="结束日期 YYYY-MM-DD")
    report_import.add_argument(
        "--department", default=None, metavar="CODE", help="一个部门的计划表所属部门（部门代码或名称）"
    )
    report_import.set_defaults(handler=cmd_report)

    users = sub.add_parser("users", parents=[common], help="用户账号：list 列出 / reset-password 重置密码")
    users_sub = users.add_subparsers(title="用户命令", metavar="ACTION", required=True)
    users_list = users_sub.add_parser("list", parents=[common], help="列出用户账号及其角色、状态")
    users_list.set_defaults(handler=cmd_users, users_action="list")
    users_reset = users_sub.add_parser(
        "reset-password", parents=[common], help="重置某个用户的密码并解除锁定（忘记管理员密码时使用）"
    )
    users_reset.add_argument("username", metavar="USERNAME")
    users_reset.set_defaults(handler=cmd_users, users_action="reset-password")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m app`. Returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments and 0 on --help
        return int(exc.code or 0)
    handler: Handler = args.handler
    if handler is not cmd_gui:
        from app.auth.roles import command_line_actor, set_process_actor

        set_process_actor(command_line_actor())  # the audit trail names who ran the command
    return handler(args)
