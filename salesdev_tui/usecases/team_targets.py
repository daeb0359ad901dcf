"""Targets the manager sets per rep and period (issue 19.3): `salesdev team target`.

They are written on the team server (server/team_targets.py) and reach the rep's laptop by
the next sync, where they replace the rep's own targets for that period; the rep's own
stay for every period the manager left empty (`domain.targets.resolve_targets`). The same
checks as the rep's own target form: the period's form, each value's limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.enums import Kpi
from salesdev_tui.server.roles import TeamRole

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    import psycopg

    from salesdev_tui.domain.periods import Period
    from salesdev_tui.server.team_targets import ServerTarget


@dataclass
class TeamTargets:
    rep: str
    period: Period
    written: int  # rows set or cleared
    targets: list[ServerTarget]  # the rep's live targets of the period afterwards


def _period(text: str, zone: ZoneInfo) -> Period:
    from salesdev_tui.domain.periods import parse_period
    from salesdev_tui.server.handover import Refused

    try:
        return parse_period(text, zone)
    except ValueError as exc:
        raise Refused(f"--period: {exc}") from None


def parse_values(texts: dict[Kpi, str], currency: str) -> dict[Kpi, Decimal]:
    """The values as typed (a success rate as "25%" or "25", money in the currency), each
    within its indicator's limits, as the rep's own target form reads them; Refused names
    the option."""
    from salesdev_tui.domain.money import parse_amount
    from salesdev_tui.domain.targets import percent_as_fraction, target_problem
    from salesdev_tui.server.handover import Refused

    values: dict[Kpi, Decimal] = {}
    for kpi, text in texts.items():
        option = "--" + kpi.value.replace("_", "-")
        typed = percent_as_fraction(text) if kpi is Kpi.SUCCESS_RATE else text
        try:
            value = typed if isinstance(typed, Decimal) else parse_amount(
                typed, places=4, below=Decimal(10**13), currency=currency)
        except ValueError as exc:
            raise Refused(f"{option}: {exc}") from None
        problem = target_problem(kpi, value)
        if problem:
            raise Refused(f"{option}: {problem}")
        values[kpi] = value
    return values


def set_team_targets(conn: psycopg.Connection[Any], role: TeamRole, user: str, *, rep: str,
                     period: str, zone: ZoneInfo, currency: str,
                     texts: dict[Kpi, str] | None = None, clear: bool = False) -> TeamTargets:
    """Set (or with `clear`, remove) the manager's targets of `rep` for `period`, the values
    as typed; with no values and no clear, only read them. Commits; all or nothing."""

    from salesdev_tui.models.stored import to_db_timestamp
    from salesdev_tui.server.handover import check_rep, manager_write
    from salesdev_tui.server.team_targets import clear_targets, set_targets, targets_of
    from salesdev_tui.usecases.handover import require_manager

    require_manager(role, user)
    found = _period(period, zone)
    values = parse_values(texts or {}, currency)
    now = to_db_timestamp(datetime.now(UTC))
    written = 0
    with manager_write(conn):
        check_rep(conn, rep, "REP")
        if clear:
            written = clear_targets(conn, rep, found.kind, found.label, now)
        elif values:
            written = set_targets(conn, rep, found.kind, found.label, values, now)
        targets = targets_of(conn, rep, found.kind, found.label)
    return TeamTargets(rep, found, written, targets)
