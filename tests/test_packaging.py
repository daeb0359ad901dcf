"""An installed (non-editable) copy has every module: pyproject lists packages by hand (the
data folder is mapped into the package), so a new folder must be listed, or a wheel ships
without it while an editable install, tests and CI still work."""

from __future__ import annotations

import tomllib
from pathlib import Path


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.parts) for init in Path("salesdev_tui").rglob("__init__.py")}
    assert found - listed == set()
