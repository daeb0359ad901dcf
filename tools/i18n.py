"""The translation toolchain, on Babel's API: extract, update, merge parts, compile, check.

    python tools/i18n.py extract      # package -> salesdev_tui/locale/salesdev.pot
    python tools/i18n.py update       # .pot -> zh_TW salesdev.po (new msgids, old ones dropped)
    python tools/i18n.py merge-parts  # locale/zh_TW/parts/*.po -> salesdev.po (like msgcat)
    python tools/i18n.py compile      # salesdev.po -> salesdev.mo (shipped in the package)
    python tools/i18n.py all          # extract, merge-parts, update, compile, in that order

The `.mo` is committed and shipped as package data, not built by a setuptools hook: an
editable install (`pip install -e`, what CI and developers use) runs the package from the
source tree, so a hook would have to write into it anyway, and a committed file needs no
Babel at build time. tests/test_i18n_catalog.py fails when the `.mo` is not what `compile`
makes from the `.po`, so a stale one cannot pass CI.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "salesdev_tui"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "salesdev.pot"
LANGUAGE = "zh_TW"
PO = LOCALE / LANGUAGE / "LC_MESSAGES" / "salesdev.po"
MO = PO.with_suffix(".mo")
PARTS = LOCALE / LANGUAGE / "parts"

#: The functions whose first argument is a message: `_` translates, `N_` only marks.
KEYWORDS: dict[str, None] = {"_": None, "N_": None}


def extracted() -> Iterator[tuple[str, int, str]]:
    """(file relative to the package, line, msgid) of every marked string in the package."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if isinstance(message, str) and message:
            yield filename, lineno, message
    yield from command_docstrings()


def _is_command(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr in ("command", "callback")


def command_docstrings() -> Iterator[tuple[str, int, str]]:
    """The docstrings of the typer commands: typer shows them as the commands' `--help`,
    and `cli.app` translates them at run time, so they are msgids too."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(map(_is_command, node.decorator_list)):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    yield f"cli/{path.name}", node.lineno, doc


def template() -> Catalog:
    catalog = Catalog(project="salesdev", charset="utf-8", fuzzy=False)
    for filename, lineno, message in extracted():
        catalog.add(message, locations=[(f"salesdev_tui/{filename}", lineno)])
    return catalog


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False)
    path.write_bytes(buffer.getvalue())


def _empty() -> Catalog:
    return Catalog(locale=LANGUAGE, project="salesdev", fuzzy=False)


def extract() -> None:
    _write_po(template(), POT)
    print(f"{POT.relative_to(ROOT)}: {len(template())} messages")


def update() -> None:
    """Bring the `.po` in line with the template: add new msgids, drop vanished ones.

    No fuzzy matching: a guessed translation of a changed string would be shown until
    someone noticed; an empty one is caught by the completeness test.
    """
    catalog = _read(PO) if PO.exists() else _empty()
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    _write_po(catalog, PO)
    missing = sum(1 for m in catalog if m.id and not m.string)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")


def merge_parts() -> None:
    """Fold every `parts/*.po` into the main `.po` (msgcat-like; a part's non-empty
    translation wins over the main file's, parts in name order)."""
    catalog = _read(PO) if PO.exists() else _empty()
    for part in sorted(PARTS.glob("*.po")):
        added = 0
        for message in _read(part):
            if not message.id or not message.string:
                continue
            existing = catalog.get(message.id, message.context)
            if existing is None:
                catalog.add(message.id, message.string, locations=message.locations,
                            context=message.context)
            else:
                existing.string = message.string
                existing.flags.discard("fuzzy")
            added += 1
        print(f"{part.name}: {added} translations")
    _write_po(catalog, PO)


def compiled_mo() -> bytes:
    """The `.mo` that `compile` writes for the current `.po` (fuzzy entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, _read(PO), use_fuzzy=False)
    return buffer.getvalue()


def compile_mo() -> None:
    MO.write_bytes(compiled_mo())
    print(f"{MO.relative_to(ROOT)} written")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "update", "merge-parts", "compile", "all"])
    args = parser.parse_args(argv)
    if args.command in ("extract", "all"):
        extract()
    if args.command in ("merge-parts", "all"):
        merge_parts()
    if args.command in ("update", "all"):
        update()
    if args.command in ("compile", "all"):
        compile_mo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
