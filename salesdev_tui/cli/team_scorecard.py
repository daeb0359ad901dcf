"""The manager's commands (issue 19.1, 19.2): `salesdev team scorecard`, `salesdev team
assess` and `salesdev team customers REP`, read on the team server; and the rep's
`salesdev team assessment`: the manager's assessments pulled to this laptop."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from salesdev_tui.cli.app import CliState, Exit, fail
from salesdev_tui.cli.team import _configured, _state, team
from salesdev_tui.domain.visible import json_visible, visible
from salesdev_tui.i18n import _

T = TypeVar("T")


class TableFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    CSV = "csv"


def _url(state: CliState) -> str:
    from salesdev_tui.server.credentials import conninfo

    settings = _configured(state)
    return str(conninfo(settings.url, settings.user, settings.sslmode))


def _on_server(call: Any) -> Any:
    """Run a manager's read; a refusal or an unreachable server is one plain line."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.team_view import TeamRefused

    try:
        return call()
    except TeamRefused as exc:
        fail(str(exc), Exit.INVALID)
    except ServerError as exc:
        fail(str(exc), Exit.STORAGE)


def _period(state: CliState, at: str | None, period: str | None) -> Any:
    from salesdev_tui.domain.team_scorecard_render import choose_period

    try:
        return choose_period(at, period, datetime.now(UTC), state.settings().zone)
    except ValueError as exc:
        fail(str(exc), Exit.INVALID)


def _today(state: CliState) -> Any:
    from salesdev_tui.domain.periods import local_date

    return local_date(datetime.now(UTC), state.settings().zone)


def _emit(text: str, output: Path | None, replace: bool) -> None:
    from salesdev_tui.cli.output import is_dash, refuse_existing, write_output
    from salesdev_tui.paths import expand

    if output is not None and not is_dash(output):
        refuse_existing(expand(output), replace)
    written = write_output(output, text, replace=replace,
                           shown=lambda t: visible(t, multiline=True))
    if written is not None:
        typer.echo(_("Written to {path}").format(path=written))


@team.command("scorecard")
def team_scorecard_command(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option(help=_(
        "month, quarter or year (default: what --at names)."))] = None,
    at: Annotated[str | None, typer.Option(help=_(
        "Which period: 2026-11, 2026-Q4 or 2026 (default: this month)."))] = None,
    sort: Annotated[str, typer.Option(help=_(
        "Sort by rep or a figure: new_customers, prospects_contacted, success_rate,"
        " revenue, profit, satisfaction, commission."))] = "revenue",
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help=_("text, md (Markdown) or csv."))] = TableFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_(
        "Write to this file (created 0600); - for stdout."))] = None,
    replace: Annotated[bool, typer.Option("--replace", help=_(
        "Overwrite the --output file if it exists."))] = False,
) -> None:
    """The manager's team scorecard: each rep's indicators, commission and pace, and the
    team's, read on the team server (the same figures as each rep's own scorecard)."""
    from salesdev_tui.domain.team_scorecard import SORTABLE, sorted_rows
    from salesdev_tui.domain.team_scorecard_render import team_csv, team_json, team_markdown
    from salesdev_tui.usecases.team_view import team_scorecard

    state = _state(ctx)
    if sort not in SORTABLE:
        fail(_("--sort: '{value}' is not one of {names}.").format(
            value=sort, names=", ".join(SORTABLE)), Exit.INVALID)
    chosen = _period(state, at, period)
    url, settings = _url(state), state.settings()
    card = _on_server(lambda: team_scorecard(url, settings, chosen, _today(state)))
    rows = sorted_rows(card.reps, sort)
    if as_json:
        _emit(json_visible(json.dumps(team_json(card, rows), ensure_ascii=False, indent=2))
              + "\n", output, replace)
    elif output_format is TableFormat.CSV:
        _emit(team_csv(card, rows), output, replace)
    elif output_format is TableFormat.MD:
        _emit(team_markdown(card, rows, settings.currency), output, replace)
    else:
        _print_table(card, rows, settings.currency)


def _print_table(card: Any, rows: list[Any], currency: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from salesdev_tui.cli.output import console
    from salesdev_tui.domain.locale_format import format_period
    from salesdev_tui.domain.team_scorecard_render import headers, row_cells

    table = Table(title=_("Team scorecard {period} (amounts in {currency})").format(
        period=format_period(card.period), currency=currency))
    for index, head in enumerate(headers()):
        table.add_column(head, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row_cells(row, currency)))
    table.add_row(*(Text(cell, style="bold") for cell in row_cells(card.team, currency,
                                                                    team=True)))
    console().print(table)


@team.command("assess")
def assess_command(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(help=_(
        "Which period: 2026-11, 2026-Q4 or 2026 (default: this month)."))] = None,
    period: Annotated[str | None, typer.Option(help=_(
        "month, quarter or year (default: what --at names)."))] = None,
    rep: Annotated[str | None, typer.Option(help=_(
        "Record the talk for this rep (with --notes and --plan)."))] = None,
    notes: Annotated[str | None, typer.Option(help=_("The performance talk's notes."))] = None,
    plan: Annotated[str | None, typer.Option(help=_("The improvement plan."))] = None,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help=_("text, md (Markdown) or csv."))] = TableFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_(
        "Write to this file (created 0600); - for stdout."))] = None,
    replace: Annotated[bool, typer.Option("--replace", help=_(
        "Overwrite the --output file if it exists."))] = False,
) -> None:
    """The month-end assessment: each rep against target, below-target flags and periods in
    a row, the talk's notes and the improvement plan (stored on the server, synced to the
    rep); --format md or csv for the department's file."""
    from salesdev_tui.domain.assessment import sheet_csv, sheet_markdown
    from salesdev_tui.usecases.team_view import (
        assessment_sheet,
        clean_assessment,
        record_assessment,
    )

    state = _state(ctx)
    chosen = _period(state, at, period)
    url, settings = _url(state), state.settings()
    if rep is not None:
        if notes is None and plan is None:
            fail(_("--rep: give --notes, --plan or both to record the talk."), Exit.USAGE)
        try:
            clean_assessment(notes, plan)
        except ValueError as exc:
            fail(str(exc), Exit.INVALID)
        _on_server(lambda: record_assessment(url, rep, chosen, talk_notes=notes,
                                             improvement_plan=plan, now=datetime.now(UTC)))
        typer.echo(_("Recorded the talk with {rep} for {period}; the rep sees it after the"
                     " next sync.").format(rep=rep, period=chosen.label))
        return
    sheet = _on_server(lambda: assessment_sheet(url, settings, chosen, _today(state)))
    if output_format is TableFormat.CSV:
        _emit(sheet_csv(chosen, sheet.lines), output, replace)
    else:  # Markdown reads as plain text on a terminal too
        _emit(sheet_markdown(chosen, sheet.lines, settings.currency), output, replace)


@team.command("customers")
def customers_command(
    ctx: typer.Context,
    rep: Annotated[str, typer.Argument(help=_("The rep's login name."))],
) -> None:
    """A rep's customers, read only (the manager's drill-down)."""
    from salesdev_tui.usecases.team_view import customers_of

    state = _state(ctx)
    url, zone = _url(state), state.settings().zone
    found = _on_server(lambda: customers_of(url, rep))
    if not found:
        typer.echo(_("{rep} has no customers on the team server.").format(rep=rep))
    for customer in found:
        signed = (customer.first_signed_at.astimezone(zone).strftime("%Y-%m-%d")
                  if customer.first_signed_at else "—")
        typer.echo(visible(f"{customer.name}  {_(customer.stage)}  {signed}"))


@team.command("assessment")
def my_assessment_command(ctx: typer.Context) -> None:
    """The manager's assessments of you (brought by `salesdev sync`)."""
    from salesdev_tui.usecases.team_view import my_assessments

    state = _state(ctx)
    store = state.open_store()
    try:
        found = my_assessments(store.db)
    finally:
        store.db.close()
    if not found:
        typer.echo(_("No assessment yet (they arrive with `salesdev sync`)."))
    zone = state.settings().zone
    for item in found:
        typer.echo(visible(_("{period}: assessed by {name} on {when}").format(
            period=item["period_label"], name=item["assessed_by"],
            when=item["assessed_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M"))))
        typer.echo(visible(_("  Talk notes: {text}").format(text=item["talk_notes"] or "—"),
                           multiline=True))
        typer.echo(visible(_("  Improvement plan: {text}").format(
            text=item["improvement_plan"] or "—"), multiline=True))
