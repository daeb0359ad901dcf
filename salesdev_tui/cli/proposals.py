"""`salesdev proposal ID --format md|html [--out FILE]`: a proposal the customer can read."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, resolve, state
from salesdev_tui.i18n import _
from salesdev_tui.services.visible import visible


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
        typer.Option("--out", "-o", help=_("Write to this file (mode 0600) instead of stdout."),
                     show_default=False),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite FILE if it exists."))
    ] = False,
) -> None:
    """Export a proposal for the customer (never the rep's private notes)."""
    from salesdev_tui.models.tables import Proposal
    from salesdev_tui.services.periods import local_date
    from salesdev_tui.services.proposal_export import customer_view, to_html, to_markdown

    st = state(ctx)
    settings = st.settings()
    store = st.open_store()
    try:
        pid = resolve(lambda: store.resolve_id(Proposal, proposal_id))
        found = guard_storage(lambda: store.proposals.proposal_with_lines(pid))
        today = local_date(store.now(), settings.zone)
    finally:
        store.db.close()
    view = customer_view(
        found.proposal,
        found.lines,
        found.customer_name,
        today=today,
        zone=settings.zone,
        currency=settings.currency,
        rep_name=settings.rep_name,
        company=str(getattr(settings, "company", "") or ""),
    )
    text = to_markdown(view) if format_ is ExportFormat.MD else to_html(view)
    if out is None:
        typer.echo(visible(text, multiline=True), nl=False)  # shown, never obeyed
        return
    from salesdev_tui.usecases.private_files import write_private_text

    try:
        written = write_private_text(out, text, replace=replace)
    except FileExistsError:
        fail(_("{path} exists; give --replace to overwrite it.").format(path=out), Exit.INVALID)
    except OSError as exc:
        fail(_("Cannot write {path}: {problem}").format(path=out, problem=exc.strerror or exc),
             Exit.STORAGE)
    typer.echo(visible(_("Wrote {path}").format(path=written)), err=True)
