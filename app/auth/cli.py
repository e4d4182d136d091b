"""`python -m app users list|reset-password USER --db PATH` — for whoever holds the database file (e.g. when the
only administrator has forgotten the password). Exit 0 done, 1 refused, 2 unusable database or arguments."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.auth.users import UserError, list_users, reset_password
from app.console import open_or_report
from db.models import User


def _read_password() -> str | None:
    if not sys.stdin.isatty():  # scripts and tests: two lines on standard input
        first = sys.stdin.readline().rstrip("\n")
        second = sys.stdin.readline().rstrip("\n")
    else:
        first = getpass.getpass("新密码：")
        second = getpass.getpass("再输入一次：")
    if first != second:
        print("错误：两次输入的密码不一致。", file=sys.stderr)
        return None
    return first


def run_users(args: argparse.Namespace, location: str) -> int:
    from db.engine import transaction

    database = open_or_report(location)
    if database is None:
        return 2
    try:
        if args.users_action == "list":
            with database.sessions() as session:
                users = list_users(session)
            if not users:
                print("数据库中还没有用户账号（首次启动程序时创建管理员）。")
            for u in users:
                state = "启用" if u.active else "停用"
                print(f"{u.username}\t{u.display_name}\t{u.role}\t{u.department or '-'}\t{state}")
            return 0
        password = _read_password()
        if password is None:
            return 1
        with transaction(database.sessions) as session:
            user = session.query(User).filter_by(username=args.username).one_or_none()
            if user is None:
                print(f"错误：用户“{args.username}”不存在。", file=sys.stderr)
                return 1
            reset_password(session, user.id, password)
        print(f"已重置用户“{args.username}”的密码并解除锁定；该用户下次登录时须修改密码。")
        return 0
    except UserError as exc:
        print(f"错误：{exc.message_zh}", file=sys.stderr)
        return 1
    finally:
        database.close()
