"""`salesdev scorecard`: the policy's assessment indicators for a period."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.i18n import _


@cli.command()
def scorecard(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option(help=_("month, quarter or year (ignored when --at says which)."))
    ] = "month",
    at: Annotated[
        str | None,
        typer.Option(help=_("Which period: 2026-11, 2026-Q4 or 2026 (default: the current one).")),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """New customers, success rate, revenue and profit, satisfaction, commission."""
    from datetime import UTC, datetime

    from salesdev_tui.models import PeriodKind
    from salesdev_tui.services.periods import parse_period, period_containing
    from salesdev_tui.services.scorecard import build_scorecard

    st = state(ctx)
    settings = st.settings()
    zone = settings.zone
    if at is not None:
        try:
            chosen = parse_period(at, zone)
        except ValueError as exc:
            fail(_("--at: {problem}").format(problem=exc), Exit.INVALID)
    else:
        try:
            kind = PeriodKind(period.strip().lower())
        except ValueError:
            fail(
                _("--period: '{value}' is not month, quarter or year.").format(value=period),
                Exit.INVALID,
            )
        chosen = period_containing(datetime.now(UTC), kind, zone)
    store = st.open_store()
    try:
        start, end = chosen.utc_bounds()
        figures = guard_storage(lambda: store.kpi_figures(start, end))
    finally:
        store.db.close()
    card = build_scorecard(chosen, figures, settings.commission_rate)
    if as_json:
        typer.echo(json.dumps(card.to_json(), ensure_ascii=False, indent=2))
        return
    from salesdev_tui.cli.render import print_scorecard

    print_scorecard(card, settings.currency)
