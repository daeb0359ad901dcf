"""The zh_TW catalogue is complete, sound and compiled: every user-facing string of the
package has a translation, placeholders and markup survive it, and the shipped .mo is what
the .po compiles to."""

from __future__ import annotations

import re
import string
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from salesdev_tui.models import enums
from tools import i18n as toolchain

#: The UI strings (translated by the `zhui` part); everything else is the core's.
UI_PREFIXES = ("screens/", "widgets/", "app", "commands.py")


def _area(filename: str) -> str:
    return "ui" if filename.startswith(UI_PREFIXES) else "core"


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_TW")


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, int, str]]:
    return list(toolchain.extracted())


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return _catalog(toolchain.PO)


@pytest.mark.parametrize("area", ["core", "ui"])
def test_every_string_is_translated(
    area: str, extracted: list[tuple[str, int, str]], catalog: Catalog
) -> None:
    """`ui` passes once the zhui part is merged (tools/i18n.py merge-parts, then update)."""
    missing = [
        f"{filename}:{line}: {message!r}"
        for filename, line, message in extracted
        if _area(filename) == area
        and ((entry := catalog.get(message)) is None or not entry.string or entry.fuzzy)
    ]
    assert not missing, f"{len(missing)} untranslated:\n" + "\n".join(missing[:40])


def test_the_catalogue_has_no_fuzzy_entry(catalog: Catalog) -> None:
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def _fields(text: str) -> list[str]:
    """The replacement fields ({name}, {limit:,}, {value!r}) of a str.format template."""
    try:
        return sorted(f"{name}!{conv}:{spec}" for _, name, spec, conv in
                      string.Formatter().parse(text) if name is not None)
    except ValueError:
        return ["<not a format string>"]


_MARKUP = re.compile(r"\[/?[a-z][a-z0-9 _#.-]*\]")


def _translated(path: Path) -> list[tuple[str, str]]:
    return [(m.id, m.string) for m in _catalog(path) if m.id and isinstance(m.string, str)
            and m.string]


@pytest.mark.parametrize(
    "path",
    [toolchain.PO, *sorted(toolchain.PARTS.glob("*.po"))],
    ids=lambda path: path.name,
)
def test_placeholders_and_markup_survive_translation(path: Path) -> None:
    bad = [
        f"{msgid!r} -> {msgstr!r}"
        for msgid, msgstr in _translated(path)
        if _fields(msgid) != _fields(msgstr)
        or sorted(_MARKUP.findall(msgid)) != sorted(_MARKUP.findall(msgstr))
    ]
    assert not bad, "\n".join(bad[:20])


def test_the_placeholder_check_catches_a_dropped_field() -> None:
    assert _fields("{n} rows of {total:,}") != _fields("{n} 列")
    assert _fields("{n} rows of {total:,}") == _fields("{total:,} 列中的 {n} 列")


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    """The .mo ships in the package (no compiling at run time): it must not go stale."""
    assert toolchain.MO.read_bytes() == toolchain.compiled_mo(), (
        "run: python tools/i18n.py compile"
    )


def test_every_vocabulary_value_is_listed_for_extraction() -> None:
    """`enum_label` builds its msgids at run time; VOCABULARY_LABELS must list each one."""
    members = [
        member
        for value in vars(enums).values()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
        for member in value
    ]
    assert members
    unlisted = {m.value for m in members if m.value.replace("_", " ")
                not in enums.VOCABULARY_LABELS}
    assert not unlisted


def test_typer_docstrings_are_extracted(extracted: list[tuple[str, int, str]]) -> None:
    """The commands' docstrings are their --help: extracted like any marked string."""
    messages = {message for _f, _l, message in extracted}
    assert "List customers, most recently changed first." in messages


def test_merge_parts_folds_each_part_into_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the merger runs after merging the sessions' branches (msgcat-like)."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    main = tmp_path / "salesdev.po"
    main.write_text(header + 'msgid "Save"\nmsgstr ""\n\nmsgid "Kept"\nmsgstr "保留"\n',
                    encoding="utf-8")
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "a.po").write_text(header + 'msgid "Save"\nmsgstr "儲存"\n\n'
                                'msgid "{n} new"\nmsgstr "新增 {n}"\n', encoding="utf-8")
    monkeypatch.setattr(toolchain, "PO", main)
    monkeypatch.setattr(toolchain, "PARTS", parts)
    toolchain.merge_parts()
    merged = {m.id: m.string for m in _catalog(main) if m.id}
    assert merged == {"Save": "儲存", "Kept": "保留", "{n} new": "新增 {n}"}


_IMPORT_ALL = """
import importlib, pkgutil, sys
import salesdev_tui, salesdev_tui.i18n as i18n
real = i18n._
calls = []
def recording(message):
    caller = sys._getframe(1)
    calls.append(f"{caller.f_code.co_filename}:{caller.f_lineno}: {message[:60]!r}")
    return real(message)
i18n._ = recording
for module in pkgutil.walk_packages(salesdev_tui.__path__, "salesdev_tui."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print("\\n".join(calls))
"""


def test_nothing_is_translated_at_import_time() -> None:
    """A `_()` run when its module is imported freezes the language of that moment: a
    binding's description or a constant would stay in it after a switch. Mark such strings
    with `N_()` and translate them where they are shown (the footer and `?` do)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _IMPORT_ALL], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == ""


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """Python 3.11 reads an f-string as one token, so Babel never sees a `_("…")` written
    inside one: the message is missing from the catalogue and stays English on a zh_TW
    screen (the proposal's "Quotation" did). Say it first, then place it."""
    import io
    import re
    import tokenize
    from pathlib import Path

    literal = re.compile(r"""\b_\(\s*["']""")
    hidden = []
    for path in sorted(Path("salesdev_tui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.STRING:
                continue
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
            if "f" in prefix.lower() and literal.search(token.string):
                hidden.append(f"{path}:{token.start[0]}")
    assert hidden == []
