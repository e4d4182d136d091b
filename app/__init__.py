"""双随机、一公开 county desk — domain and services (no Qt here)."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("shuangsuiji")
except _metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.1.0"
