"""Every module of the package stands in a layer of the import contracts (pyproject's
[tool.importlinter]): a module left out of every layer is checked by none of them, and
`lint-imports` still says "kept" (app_first_screen was, for a session)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_top_level_module_is_in_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    layered = {name.strip() for layer in layers for name in layer.split(":")}
    package = ROOT / "salesdev_tui"
    modules = {f"salesdev_tui.{path.stem}" for path in package.glob("*.py")
               if path.stem != "__init__"}
    modules |= {f"salesdev_tui.{path.parent.name}" for path in package.glob("*/__init__.py")}
    assert sorted(modules - layered) == []
