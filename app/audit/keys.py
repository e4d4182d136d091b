"""The installation's audit key: 32 random bytes that sign the audit chain (HMAC-SHA256).

Kept in the operating system's credential store through the keyring library (Windows Credential Manager,
macOS Keychain, Secret Service). Where no keyring backend exists, the key is kept in a file in the data
directory that only the user can read, and the user is told once (:func:`notice_pending`).

Finding the credential store (keyring's discovery imports every backend it knows and scans the installed
packages' entry points) costs about 0.15 s of a cold start, so the backend that holds the key is remembered in
the data directory and asked directly next time; discovery runs again only when that fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from app.paths import data_dir

log = logging.getLogger(__name__)

__all__ = ["AuditKey", "installation_key", "key_id_of", "notice_pending", "mark_notice_shown"]

SERVICE = "shuangsuiji"
ACCOUNT = "audit-hmac-key"
KEY_FILE = "audit-key.txt"
NOTICE_FILE = "audit-key-notice-shown"
BACKEND_FILE = "audit-key-backend.txt"  # module.Class of the keyring backend that holds the key
_BACKEND_MODULES = ("keyring.backends.", "keyrings.")


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    key_id: str  # public fingerprint: names the key without revealing it
    storage: str  # "keyring" or "file"
    location: str  # backend name or file path, for the 关于 dialog and the notice

    def __repr__(self) -> str:  # never print the secret
        return f"AuditKey(key_id={self.key_id!r}, storage={self.storage!r})"


def key_id_of(secret: bytes) -> str:
    return hashlib.sha256(b"shuangsuiji audit key id\x00" + secret).hexdigest()[:16]


_lock = threading.Lock()
_cache: dict[str, AuditKey] = {}


def installation_key() -> AuditKey:
    """The key of this installation (the data directory), created on first use."""
    folder = data_dir()
    cache_key = str(folder)
    with _lock:
        cached = _cache.get(cache_key)
        if cached is None:
            cached = _load_or_create(folder)
            _cache[cache_key] = cached
            log.info("audit key %s from %s", cached.key_id, cached.storage)
        return cached


def _keyring_backend() -> object | None:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 — a broken keyring install must not stop the app
        log.warning("keyring unavailable: %s", exc)
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return backend


def _account(folder: Path) -> str:
    # One OS user may run several installations (portable copies, tests); each data directory has its own key.
    return f"{ACCOUNT}:{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]}"


def _load_or_create(folder: Path) -> AuditKey:
    file_path = folder / KEY_FILE
    if file_path.exists():  # once kept in a file, always: moving it silently could strand the chain
        return _from_file(file_path)
    account = _account(folder)
    remembered = _remembered_backend(folder)
    if remembered is not None:
        try:
            stored = remembered.get_password(SERVICE, account)  # type: ignore[attr-defined]
            if stored is not None:
                secret = bytes.fromhex(stored)
                return AuditKey(secret, key_id_of(secret), "keyring", type(remembered).__name__)
        except Exception as exc:  # noqa: BLE001 — ask keyring to find the store again
            log.info("remembered keyring backend failed (%s); searching again", exc)
    backend = _keyring_backend()
    if backend is not None:
        try:
            stored = backend.get_password(SERVICE, account)  # type: ignore[attr-defined]
            if stored is None:
                stored = secrets.token_hex(32)
                backend.set_password(SERVICE, account, stored)  # type: ignore[attr-defined]
                if backend.get_password(SERVICE, account) != stored:  # type: ignore[attr-defined]
                    raise RuntimeError("keyring did not keep the key")
            secret = bytes.fromhex(stored)
            _remember_backend(folder, backend, account)
            return AuditKey(secret, key_id_of(secret), "keyring", type(backend).__name__)
        except Exception as exc:  # noqa: BLE001 — fall back to the file rather than refuse to work
            log.warning("keyring failed (%s); keeping the audit key in %s", exc, file_path)
    return _from_file(file_path)


def _remembered_backend(folder: Path) -> object | None:
    """The backend named in BACKEND_FILE, made without keyring's discovery; None when there is none, it is
    not a keyring backend, or PYTHON_KEYRING_BACKEND chooses one explicitly."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None
    try:
        name = (folder / BACKEND_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    module_name, _, class_name = name.rpartition(".")
    if not module_name.startswith(_BACKEND_MODULES):
        return None
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except Exception as exc:  # noqa: BLE001 — uninstalled or broken: discovery decides
        log.info("remembered keyring backend %s unusable: %s", name, exc)
        return None


def _remember_backend(folder: Path, backend: object, account: str) -> None:
    """Note which backend holds the key (of a chain of backends, the first that has it)."""
    holder = backend
    for candidate in getattr(backend, "backends", None) or ():
        with contextlib.suppress(Exception):
            if candidate.get_password(SERVICE, account) is not None:
                holder = candidate
                break
    kind = type(holder)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if name.startswith(_BACKEND_MODULES):
        with contextlib.suppress(OSError):
            (folder / BACKEND_FILE).write_text(name + "\n", encoding="ascii")


def _from_file(path: Path) -> AuditKey:
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
    with contextlib.suppress(OSError):  # e.g. a file system without Unix permissions
        os.chmod(path, 0o600)
    secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    return AuditKey(secret, key_id_of(secret), "file", str(path))


def notice_pending(key: AuditKey) -> bool:
    """True once for an installation whose key had to go in a file (the user should be told)."""
    return key.storage == "file" and not (data_dir() / NOTICE_FILE).exists()


def mark_notice_shown() -> None:
    (data_dir() / NOTICE_FILE).write_text("shown\n", encoding="ascii")
