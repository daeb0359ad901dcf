"""Targets a manager sets for a rep on the team server (issue 19.3).

A manager's target is a `target` row owned by the rep with `set_by` = the manager's login
(v0002: the manager may write only such rows, signed with their own name; the rep may read
but not write them). It reaches the rep's laptop by the normal sync, where it replaces the
rep's own targets for its period (`domain.targets.resolve_targets`). Every write's row count
is checked: row-level security turns a refused update into 0 rows without an error.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.server.admin import ServerError

if TYPE_CHECKING:
    import psycopg

#: Target values are stored with four places, as a scaled integer (models.Target).
_SCALE = 4


@dataclass(frozen=True)
class ServerTarget:
    kpi: Kpi
    value: Decimal
    set_by: str | None


def _stored(value: Decimal) -> int:
    from decimal import ROUND_HALF_EVEN

    return int(value.quantize(Decimal(1).scaleb(-_SCALE), rounding=ROUND_HALF_EVEN)
               .scaleb(_SCALE))


def set_targets(conn: psycopg.Connection[Any], rep: str, kind: PeriodKind, label: str,
                values: dict[Kpi, Decimal], now: str) -> int:
    """Set the manager's targets of `rep` for one period (inside the caller's transaction);
    returns the rows written. `now` is the storage form of the time (UTC text)."""
    from salesdev_tui.i18n import _

    written = 0
    for kpi, value in values.items():
        key = (rep, kind.value, label, kpi.value)
        changed = conn.execute(
            "UPDATE target SET value = %s, updated_at = %s, set_by = current_user"
            " WHERE owner = %s AND period_kind = %s AND period_label = %s AND kpi = %s"
            " AND deleted_at IS NULL AND set_by IS NOT NULL",
            (_stored(value), now, *key)).rowcount
        if changed == 0:
            changed = conn.execute(
                "INSERT INTO target (id, owner, created_at, updated_at, period_kind,"
                " period_label, kpi, value, set_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
                " current_user)",
                (uuid.uuid4(), rep, now, now, kind.value, label, kpi.value,
                 _stored(value))).rowcount
        if changed != 1:
            raise ServerError(_("The team server did not take the target for {kpi}; nothing"
                                " was changed.").format(kpi=kpi.value))
        written += 1
    return written


def clear_targets(conn: psycopg.Connection[Any], rep: str, kind: PeriodKind, label: str,
                  now: str) -> int:
    """Remove the manager's targets of `rep` for one period (the rep's own count again)."""
    return int(conn.execute(
        "UPDATE target SET deleted_at = %s, updated_at = %s WHERE owner = %s"
        " AND period_kind = %s AND period_label = %s AND deleted_at IS NULL"
        " AND set_by IS NOT NULL", (now, now, rep, kind.value, label)).rowcount)


def targets_of(conn: psycopg.Connection[Any], rep: str, kind: PeriodKind,
               label: str) -> list[ServerTarget]:
    """The live targets of `rep` for one period: the manager's and the rep's own."""
    return [ServerTarget(Kpi(str(kpi)), Decimal(int(str(value))).scaleb(-_SCALE),
                         None if set_by is None else str(set_by))
            for kpi, value, set_by in conn.execute(
                "SELECT kpi, value, set_by FROM target WHERE owner = %s AND period_kind = %s"
                " AND period_label = %s AND deleted_at IS NULL ORDER BY set_by NULLS LAST, kpi",
                (rep, kind.value, label))]
