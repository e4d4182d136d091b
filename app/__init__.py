"""双随机、一公开 county desk — domain and services (no Qt here)."""

from importlib import metadata as _metadata
from pathlib import Path as _Path


def _read_version() -> str:
    """pyproject.toml's version in a source tree; the installed (or frozen build's) metadata otherwise."""
    pyproject = _Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        with pyproject.open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
        if project.get("name") == "shuangsuiji":
            return str(project["version"])
    try:
        return _metadata.version("shuangsuiji")
    except _metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _read_version()
