"""`salesdev merge KEEP OTHER` and `salesdev unmerge OTHER`: two customers that are one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, resolve, state
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.store.merge import MergeOutcome


def _moved_text(outcome: MergeOutcome) -> str:
    if not outcome.moved:
        return _("no records")
    return ", ".join(f"{count} {table}" for table, count in sorted(outcome.moved.items()))


@cli.command()
def merge(
    ctx: typer.Context,
    keep_id: Annotated[str, typer.Argument(metavar="KEEP_ID", help=_("The customer to keep."))],
    other_id: Annotated[
        str, typer.Argument(metavar="OTHER_ID", help=_("The customer merged into it."))
    ],
) -> None:
    """Merge OTHER into KEEP: every record moves to KEEP, OTHER is deleted (undo: unmerge)."""
    from salesdev_tui.domain.dedupe import MergeRefused
    from salesdev_tui.models.tables import Customer

    store = state(ctx).open_store()
    try:
        keep = resolve(lambda: store.resolve_id(Customer, keep_id))
        other = resolve(lambda: store.resolve_id(Customer, other_id))
        try:
            outcome = guard_storage(lambda: store.deletion.merge_customers(keep, other))
        except MergeRefused as exc:
            fail(str(exc), Exit.INVALID)
    finally:
        store.db.close()
    typer.echo(_("Merged {other} ({other_id}) into {keep} ({keep_id}): moved {moved}.").format(
        other=outcome.other_name, other_id=outcome.other_id.hex[:8], keep=outcome.kept_name,
        keep_id=outcome.kept_id.hex[:8], moved=_moved_text(outcome)))
    typer.echo(_("Undo with: salesdev unmerge {other_id}").format(
        other_id=outcome.other_id.hex[:8]))


@cli.command()
def unmerge(
    ctx: typer.Context,
    other_id: Annotated[
        str, typer.Argument(metavar="OTHER_ID", help=_("The customer that was merged away."))
    ],
) -> None:
    """Undo a merge: OTHER comes back with the records it had."""
    from salesdev_tui.domain.dedupe import MergeRefused

    store = state(ctx).open_store()
    try:
        other = resolve(lambda: store.deletion.resolve_merged_id(other_id))
        try:
            outcome = guard_storage(lambda: store.deletion.unmerge_customer(other))
        except MergeRefused as exc:
            fail(str(exc), Exit.INVALID)
    finally:
        store.db.close()
    typer.echo(_("Restored {other} ({other_id}) from {keep}: moved back {moved}.").format(
        other=outcome.other_name, other_id=outcome.other_id.hex[:8], keep=outcome.kept_name,
        moved=_moved_text(outcome)))
