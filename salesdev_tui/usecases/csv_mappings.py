"""Column mappings the rep saved for next time: one small JSON file each, in the config dir.

`salesdev import leads.csv --map 'Firma=company' --save-mapping crm` saves how this file's
columns were read; `--mapping crm` applies it to the next file of the same layout. The files
are the rep's (0600, in a 0700 folder beside config.toml).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from salesdev_tui.domain.csv_columns import BY_KEY
from salesdev_tui.i18n import _
from salesdev_tui.paths import config_path, ensure_private_dir
from salesdev_tui.usecases.private_files import write_private

__all__ = ["MappingError", "SavedMapping", "list_mappings", "load_mapping", "save_mapping"]

_NAME = re.compile(r"\w[\w.\- ]{0,63}")


class MappingError(ValueError):
    """A saved mapping cannot be used; the message says why."""


@dataclass(frozen=True)
class SavedMapping:
    """Header -> field key (None: the column is not imported), and how the file was read."""

    columns: dict[str, str | None] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None


def mappings_dir(config_file: Path | None = None) -> Path:
    """The folder of saved mappings, beside the settings file."""
    return (config_file or config_path()).expanduser().parent / "csv-mappings"


def _file(folder: Path, name: str) -> Path:
    if not _NAME.fullmatch(name) or name.strip() != name:
        raise MappingError(_(
            "a mapping name is letters, digits, spaces, '.', '-' or '_' (at most 64), "
            "not {name!r}").format(name=name))
    return folder / f"{name}.json"


def save_mapping(folder: Path, name: str, mapping: SavedMapping) -> Path:
    """Save (or replace) the mapping `name`; returns its file."""
    path = _file(folder, name)
    ensure_private_dir(folder)
    document = {"columns": mapping.columns, "encoding": mapping.encoding,
                "delimiter": mapping.delimiter}
    write_private(path, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
    return path


def load_mapping(folder: Path, name: str) -> SavedMapping:
    """The saved mapping `name`; MappingError when it is missing or broken."""
    path = _file(folder, name)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(list_mappings(folder)) or _("none yet")
        raise MappingError(_("no saved mapping {name!r} (saved: {known})").format(
            name=name, known=known)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(_("the mapping {path} cannot be read: {why}").format(
            path=path, why=exc)) from None
    columns = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and (v is None or v in BY_KEY) for k, v in columns.items()
    ):
        raise MappingError(_("the mapping {path} is not a salesdev column mapping").format(
            path=path))
    encoding, delimiter = document.get("encoding"), document.get("delimiter")
    return SavedMapping(
        columns=dict(columns),
        encoding=encoding if isinstance(encoding, str) else None,
        delimiter=delimiter if isinstance(delimiter, str) else None,
    )


def list_mappings(folder: Path) -> list[str]:
    """The names of the saved mappings, sorted."""
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.json"))
