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
from salesdev_tui.domain.visible import json_visible, visible
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
    """New customers, success rate, revenue and profit, satisfaction, commission; each
    against its target with pace; the source breakdown and the open pipeline."""
    from salesdev_tui.domain.periods import parse_period, period_containing
    from salesdev_tui.models.enums import PeriodKind

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
    from salesdev_tui.domain.periods import local_date
    from salesdev_tui.store.quick_today import read_scorecard_view

    today = local_date(datetime.now(UTC), zone)
    # On a plain connection when the file allows it (the same report and SQL, without
    # loading SQLAlchemy and SQLModel: issue 15.8), else through the store.
    view = st.read_plainly(lambda path: read_scorecard_view(path, chosen, settings, today))
    if view is None:
        from salesdev_tui.store.reports import scorecard_view

        store = st.open_store()
        try:
            view = guard_storage(lambda: scorecard_view(store, chosen, settings, today))
        finally:
            store.db.close()
    if as_json:
        # Everything the table shows (docs/json/scorecard.schema.json).
        from salesdev_tui.domain.scorecard_json import scorecard_json

        payload = scorecard_json(view, settings.currency)
        typer.echo(json_visible(json.dumps(payload, ensure_ascii=False, indent=2)))
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
                            "it; - for stdout.")),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite the --output file if it exists."))
    ] = False,
) -> None:
    """The end-of-day review: contacts done against planned, missed ones, what moved,
    what is overdue, tomorrow's plan, and the month so far against target with pace."""
    from salesdev_tui.cli.output import is_dash, refuse_existing, write_output
    from salesdev_tui.domain.periods import local_date
    from salesdev_tui.domain.review import review_json
    from salesdev_tui.domain.review_render import render_markdown, render_text
    from salesdev_tui.domain.when import parse_day
    from salesdev_tui.paths import expand
    from salesdev_tui.store.quick_reads import read_day_review

    if output is not None and not is_dash(output):
        refuse_existing(expand(output), replace)  # before the work, not after it
    st = state(ctx)
    settings = st.settings()
    zone = settings.zone
    now = datetime.now(UTC)
    today = local_date(now, zone)
    from salesdev_tui.domain.periods import FIRST_YEAR, LAST_YEAR

    try:
        chosen = parse_day(day, today, past=True) if day is not None else today
    except ValueError as exc:
        fail(_("--date: {problem}").format(problem=exc), Exit.INVALID)
    if not FIRST_YEAR <= chosen.year <= LAST_YEAR:
        fail(_("--date: {day} is out of range: choose a day in the years {first} to "
               "{last}.").format(day=chosen.isoformat(), first=FIRST_YEAR, last=LAST_YEAR),
             Exit.INVALID)
    # On a plain connection when the file allows it (the same report and SQL, without
    # loading SQLAlchemy and SQLModel: issue 15.8), else through the store.
    result = st.read_plainly(lambda path: read_day_review(path, chosen, settings, now))
    if result is None:
        from salesdev_tui.store.reports import day_review

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
    # Stored text reaches the terminal: control characters are shown, not obeyed.
    written = write_output(output, text, replace=replace, shown=(
        json_visible if output_format is ReportFormat.JSON
        else lambda t: visible(t, multiline=True)))
    if written is not None:
        typer.echo(visible(_("Wrote {path}.").format(path=written)))
