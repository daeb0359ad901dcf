"""`salesdev scorecard` and `salesdev review`: the policy's assessment indicators for a
period, and the end-of-day review of a day."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.i18n import _
from salesdev_tui.services.visible import json_visible, visible


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
    """New customers, success rate, revenue and profit, satisfaction, commission; each
    against its target with pace; the source breakdown and the open pipeline."""
    from salesdev_tui.models.enums import PeriodKind
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
        if as_json:
            start, end = chosen.utc_bounds()
            figures = guard_storage(lambda: store.kpis.kpi_figures(start, end))
        else:
            from salesdev_tui.services.periods import local_date
            from salesdev_tui.store.reports import scorecard_view

            today = local_date(datetime.now(UTC), zone)
            view = guard_storage(lambda: scorecard_view(store, chosen, settings, today))
    finally:
        store.db.close()
    if as_json:
        card = build_scorecard(chosen, figures, settings.commission_rate)
        typer.echo(json_visible(json.dumps(card.to_json(), ensure_ascii=False, indent=2)))
        return
    from salesdev_tui.cli.scorecard_table import print_scorecard_view

    print_scorecard_view(view, settings.currency)


class ReportFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    JSON = "json"


@cli.command()
def review(
    ctx: typer.Context,
    day: Annotated[
        str | None,
        typer.Option("--date", help=_("The day to review: 2026-11-16, yesterday, mon, … "
                                      "(default: today).")),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help=_("text, md (Markdown) or json."))
    ] = ReportFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o",
                     help=_("Write the report to this file (created 0600) instead of printing "
                            "it; an existing file is replaced.")),
    ] = None,
) -> None:
    """The end-of-day review: contacts done against planned, missed ones, what moved,
    what is overdue, tomorrow's plan, and the month so far against target with pace."""
    from salesdev_tui.services.periods import local_date
    from salesdev_tui.services.review import review_json
    from salesdev_tui.services.review_render import render_markdown, render_text
    from salesdev_tui.services.when import parse_day
    from salesdev_tui.store.reports import day_review

    st = state(ctx)
    settings = st.settings()
    zone = settings.zone
    now = datetime.now(UTC)
    today = local_date(now, zone)
    from salesdev_tui.services.periods import FIRST_YEAR, LAST_YEAR

    try:
        chosen = parse_day(day, today, past=True) if day is not None else today
    except ValueError as exc:
        fail(_("--date: {problem}").format(problem=exc), Exit.INVALID)
    if not FIRST_YEAR <= chosen.year <= LAST_YEAR:
        fail(_("--date: {day} is out of range: choose a day in the years {first} to "
               "{last}.").format(day=chosen.isoformat(), first=FIRST_YEAR, last=LAST_YEAR),
             Exit.INVALID)
    store = st.open_store()
    try:
        result = guard_storage(lambda: day_review(store, chosen, settings, now))
    finally:
        store.db.close()
    if output_format is ReportFormat.JSON:
        text = json.dumps(review_json(result), ensure_ascii=False, indent=2) + "\n"
    elif output_format is ReportFormat.MD:
        text = render_markdown(result, zone, settings.currency, settings.rep_name)
    else:
        text = render_text(result, zone, settings.currency, settings.rep_name)
    if output is None:
        # Stored text reaches the terminal: control characters are shown, not obeyed.
        shown = (json_visible(text) if output_format is ReportFormat.JSON
                 else visible(text, multiline=True))
        typer.echo(shown, nl=False)
        return
    from salesdev_tui.paths import expand, file_path_problem
    from salesdev_tui.usecases.private_files import write_private_text

    output = expand(output)
    problem = file_path_problem(output)
    if problem is not None:
        fail(_("Cannot write {problem}").format(problem=problem), Exit.INVALID)
    try:
        written = write_private_text(output, text, replace=True)
    except OSError as exc:
        fail(_("Cannot write {path}: {why}").format(path=output, why=exc.strerror or exc),
             Exit.INVALID)
    typer.echo(visible(_("Wrote {path}.").format(path=written)))
