"""The one base of errors a clerk reads: ``message_zh`` is the Chinese sentence the UI or the CLI shows."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose ``message_zh`` tells the user what is wrong and, where it can, what to do."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
