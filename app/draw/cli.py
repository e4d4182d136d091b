"""Command-line entry points for ``python -m app`` (the lead wires them): verify a record, self-test."""

from __future__ import annotations

from app.draw.selftest import run_selftest
from app.draw.verify import Outcome, verify_file


def cmd_verify(path: str) -> int:
    """Verify the record at ``path``; print the outcome and each differing key; return 0, 1 or 2."""
    result = verify_file(path)
    if result.outcome is Outcome.VERIFIED:
        print(f"验证通过：{path} 的全部结果均可由输入重算得到。(verified)")
    elif result.outcome is Outcome.NOT_VERIFIED:
        print(f"验证不通过：{path} 有 {len(result.differences)} 个字段与重算结果不符。(does not verify)")
        for difference in result.differences:
            print(f"  ✗ {difference.line()}")
    else:
        print(f"无法验证：{path} 格式不正确。(malformed record)")
        print(f"  {result.problem}")
    return result.exit_code


def cmd_selftest() -> int:
    """Run the RFC 3797 and SJDRAW-1 vectors; print one PASS/FAIL line each; 0 only if all pass."""
    ok, lines = run_selftest()
    for line in lines:
        print(line)
    print("自检通过 (all vectors pass)" if ok else "自检失败 (some vectors fail)")
    return 0 if ok else 1
