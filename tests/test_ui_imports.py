"""The UI's import shape: screens and widgets know the app only through its Protocol, and
the CLI's base module imports none of its command modules (issue 15: no cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "salesdev_tui"
UI_FOLDERS = ("screens", "widgets", "dialogs", "forms", "textual_patches")


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_screen_or_widget_imports_the_app_class() -> None:
    offenders = []
    for folder in UI_FOLDERS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            names = imported(path)
            if names & {"salesdev_tui.app", "salesdev_tui.app.SalesdevApp"}:
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_the_checker_sees_an_import_of_the_app(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from salesdev_tui.app import SalesdevApp\n")
    assert "salesdev_tui.app" in imported(probe)


def test_cli_base_modules_import_no_command_module() -> None:
    # A command module registers itself on the typer app of cli/app.py: the app (and what
    # it builds on) importing one back would be a cycle.
    commands = {
        f"salesdev_tui.cli.{path.stem}" for path in (PACKAGE / "cli").glob("*.py")
        if "salesdev_tui.cli.app" in imported(path)
    }
    assert "salesdev_tui.cli.customers" in commands
    for base in ("app", "errors", "passphrase"):
        assert imported(PACKAGE / "cli" / f"{base}.py") & commands == set(), base


def _module_graph() -> dict[str, set[str]]:
    """Every salesdev_tui module and the salesdev_tui modules it imports (any import)."""
    modules: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return {name: {m for m in imported(path) if m in modules and m != name}
            for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_through_the_ui_or_the_cli() -> None:
    faces = ("salesdev_tui.app", "salesdev_tui.cli", "salesdev_tui.commands",
             *(f"salesdev_tui.{folder}" for folder in UI_FOLDERS))
    through_faces = [sorted(c) for c in _cycles(_module_graph())
                     if any(m.startswith(faces) for m in c)]
    assert through_faces == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
