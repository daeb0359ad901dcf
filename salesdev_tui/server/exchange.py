"""Rows between the laptop (SQLite storage form) and the team server (PostgreSQL).

Both sides store the same forms (times as UTC text, money as scaled integers, enums as
their values), so nothing is rounded or re-parsed on the way: money and times round-trip
exactly. Only ids (32 hex characters on SQLite, UUID on PostgreSQL) and booleans (0/1,
boolean) change type.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class TableShape:
    """What the sync needs to know of one table."""

    name: str
    columns: tuple[str, ...]
    ids: frozenset[str]  # uuid columns
    flags: frozenset[str]  # boolean columns
    fields: tuple[str, ...] = field(default=())  # columns that merge field by field
    pull_only: bool = False  # written on the server alone (models.tables.TEAM_TABLES)


@cache
def table_shapes() -> tuple[TableShape, ...]:
    """Every synced table, parents before children."""
    import sqlalchemy as sa

    from salesdev_tui.db.sync_log import synced_fields
    from salesdev_tui.models.tables import ALL_TABLES, TEAM_TABLES

    shapes = []
    for model in (*ALL_TABLES, *TEAM_TABLES):
        table = model.__table__  # type: ignore[attr-defined]
        columns = tuple(c.name for c in table.columns)
        ids = frozenset(c.name for c in table.columns if isinstance(c.type, sa.Uuid))
        flags = frozenset(c.name for c in table.columns if isinstance(c.type, sa.Boolean))
        shapes.append(TableShape(str(table.name), columns, ids, flags,
                                 tuple(synced_fields(columns)), model in TEAM_TABLES))
    return tuple(shapes)


def shape(name: str) -> TableShape:
    for found in table_shapes():
        if found.name == name:
            return found
    raise KeyError(name)


def to_server(table: TableShape, column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in table.ids:
        return uuid.UUID(hex=str(value))
    if column in table.flags:
        return bool(value)
    return value


def to_local(table: TableShape, column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in table.ids:
        return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex
    if column in table.flags:
        return 1 if value else 0
    return value


def as_text(value: Any) -> str | None:
    """A value as a conflict record keeps it (readable, exact)."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)
