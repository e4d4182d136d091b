"""Password hashing with scrypt (memory-hard, in the standard library).

Stored form: ``scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>`` so the cost can be raised later and old
hashes still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

__all__ = ["MIN_LENGTH", "hash_password", "password_problem", "verify_password"]

_LOG2_N = 15  # 32 MiB per hash with r=8: about 0.1 s here, costly for anyone guessing offline
_R = 8
_P = 1
MIN_LENGTH = 8


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n + 1024 * 1024, dklen=32
    )


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = _derive(password, salt, _LOG2_N, _R, _P)
    b64 = base64.b64encode
    return f"scrypt${_LOG2_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; False for any malformed or empty stored value."""
    try:
        scheme, log2_n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        actual = _derive(password, salt, int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def password_problem(password: str, *, username: str = "") -> str | None:
    """A Chinese sentence saying why ``password`` is too weak, or None when acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 位。"
    if password.strip() != password:
        return "密码首尾不能有空格。"
    if username and password.lower() == username.lower():
        return "密码不能与用户名相同。"
    if len(set(password)) < 4:
        return "密码过于简单，请混合使用字母、数字或符号。"
    if password.isdigit() and len(password) < 12:
        return "纯数字密码至少需要 12 位，或请加入字母。"
    return None
