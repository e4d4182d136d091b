"""The installation's signing key for 数据包 (SJPKG-1): Ed25519, derived from the audit key.

Nothing new is stored: the private key is derived with HKDF-SHA256 from the installation's audit secret
(:func:`app.audit.keys.installation_key`), so the same installation always signs with the same key and a
reinstalled PC (a new audit secret) signs with a new one. The public key travels in every package; its
fingerprint — SHA-256 of the 32 raw bytes, as 16 groups of 4 hex digits (``3F2A 9C01 …``) — is what clerks
compare on the phone when a sender's key changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "ALGORITHM",
    "SigningKey",
    "fingerprint_of",
    "installation_signing_key",
    "public_key_from_text",
    "signing_key",
    "verify_signature",
]

ALGORITHM = "Ed25519"
_SALT = b"shuangsuiji SJPKG-1"
_INFO = b"data exchange package signing key"


class SigningKey:
    """An Ed25519 private key with its public half as the package writes it."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def public_text(self) -> str:
        """The public key, base64 of the 32 raw bytes."""
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_raw)

    def sign(self, data: bytes) -> str:
        """The signature of ``data``, base64."""
        return base64.b64encode(self._private.sign(data)).decode("ascii")

    def __repr__(self) -> str:  # never print the key
        return f"SigningKey(fingerprint={self.fingerprint!r})"


def signing_key(secret: bytes) -> SigningKey:
    """The signing key derived from ``secret`` (the same secret always gives the same key)."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret)
    return SigningKey(Ed25519PrivateKey.from_private_bytes(seed))


def installation_signing_key() -> SigningKey:
    """This installation's key (from its audit secret)."""
    from app.audit.keys import installation_key

    return signing_key(installation_key().secret)


def fingerprint_of(public_raw: bytes) -> str:
    """``3F2A 9C01 …``: SHA-256 of the raw public key, upper-case hex in 16 groups of 4."""
    digest = hashlib.sha256(public_raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def public_key_from_text(text: str) -> bytes | None:
    """The 32 raw bytes of a base64 public key, or None when it is not one."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == 32 else None


def verify_signature(public_raw: bytes, signature_text: str, data: bytes) -> bool:
    """Whether ``signature_text`` (base64) is the Ed25519 signature of ``data`` under ``public_raw``."""
    try:
        signature = base64.b64decode(signature_text.encode("ascii"), validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, binascii.Error, UnicodeEncodeError, ValueError):
        return False
    return True
