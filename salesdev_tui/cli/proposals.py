"""`salesdev proposal ID --format md|html [--out FILE]`: a proposal the customer can read."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from salesdev_tui.cli.app import cli, guard_storage, resolve, state
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _


class ExportFormat(StrEnum):
    MD = "md"
    HTML = "html"


@cli.command()
def proposal(
    ctx: typer.Context,
    proposal_id: Annotated[
        str, typer.Argument(metavar="ID", help=_("Proposal id or unique id prefix."))
    ],
    format_: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", case_sensitive=False,
                     help=_("md (Markdown) or html (one self-contained page).")),
    ] = ExportFormat.HTML,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o",
                     help=_("Write to this file (mode 0600) instead of stdout; - for stdout."),
                     show_default=False),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite FILE if it exists."))
    ] = False,
) -> None:
    """Export a proposal for the customer (never the rep's private notes)."""
    from salesdev_tui.cli.output import is_dash, refuse_existing, write_output
    from salesdev_tui.domain.periods import local_date
    from salesdev_tui.domain.proposal_export import to_html, to_markdown, view_for
    from salesdev_tui.models.tables import Proposal
    from salesdev_tui.paths import expand

    if out is not None and not is_dash(out):
        refuse_existing(expand(out), replace)  # before the work, not after it
    st = state(ctx)
    settings = st.settings()
    store = st.open_store()
    try:
        pid = resolve(lambda: store.resolve_id(Proposal, proposal_id))
        found = guard_storage(lambda: store.proposals.proposal_with_lines(pid))
        today = local_date(store.now(), settings.zone)
    finally:
        store.db.close()
    view = view_for(found, settings, today)
    text = to_markdown(view) if format_ is ExportFormat.MD else to_html(view)
    # On a terminal the text is shown, never obeyed.
    written = write_output(out, text, replace=replace,
                           shown=lambda t: visible(t, multiline=True))
    if written is not None:
        typer.echo(visible(_("Wrote {path}").format(path=written)), err=True)
