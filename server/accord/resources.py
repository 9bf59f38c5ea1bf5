"""Files that travel inside the package: migrations, the built web UI, the API explorer.

They are found through :mod:`importlib.resources`, never relative to a source checkout,
so an installed wheel and an editable checkout read them the same way. In a checkout,
``server/accord/migrations`` is a link to the top-level ``migrations/`` folder; the wheel
holds real files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


class ResourceError(RuntimeError):
    """A file the package needs is not where the package put it."""


def package_dir(name: str) -> Path:
    """The folder ``name`` inside the installed ``accord`` package, as a real path."""
    root = files("accord")
    if not isinstance(root, Path):
        raise ResourceError(
            "Accord must be installed as files on disk (not run from a zip archive): "
            f"its {name} folder is read from the package."
        )
    return root / name


def migrations_dir() -> Path:
    return package_dir("migrations")


def ui_dir() -> Path:
    return package_dir("ui")
