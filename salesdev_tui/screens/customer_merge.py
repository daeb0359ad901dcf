"""Merging another customer into the one shown ("Merge with…" in the command palette): pick
the other customer, confirm, merge; ctrl+z on the page undoes it, like a deletion."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.screens.base import DbScreen
    from salesdev_tui.store.merge import MergeOutcome


def ask_merge(page: DbScreen, keep: Customer, merged: Callable[[uuid.UUID | None], None]
              ) -> None:
    """Pick the customer to merge into `keep` (the page's), confirm, then merge; `merged`
    receives the other customer's id (the page keeps it for ctrl+z)."""
    from salesdev_tui.dialogs.confirm import ConfirmScreen
    from salesdev_tui.dialogs.customer_pick import CustomerPickScreen

    def picked(other_id: uuid.UUID | None) -> None:
        if other_id is None:
            return
        if other_id == keep.id:
            page.notify(_("Pick another customer: one cannot be merged with itself."),
                        severity="warning")
            return
        page.run_db(lambda store: store.customers.get_customer(other_id).name,
                    lambda name: confirm(other_id, name), group="merge")

    def confirm(other_id: uuid.UUID, other_name: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                page.run_db(lambda store: store.deletion.merge_customers(keep.id, other_id), done,
                            failed=refused, group="merge")

        page.app.push_screen(ConfirmScreen(
            _("Merge {other} into {keep}?").format(other=other_name, keep=keep.name),
            _("Every record of {other} (contacts, plans, needs, proposals, minutes, contracts, "
              "follow-ups, surveys, credit checks, competitors, stage history) moves to {keep}, "
              "and {other} is deleted. ctrl+z on this page undoes it.").format(
                other=other_name, keep=keep.name),
            yes_label=_("Merge"), no_label=_("Cancel"),
        ), answered)

    def done(outcome: MergeOutcome) -> None:
        merged(outcome.other_id)
        page.sales_app.changed()
        page.notify(_("Merged {other} into {keep} ({count} records moved). ctrl+z undoes it.")
                    .format(other=outcome.other_name, keep=outcome.kept_name,
                            count=outcome.total), markup=False, timeout=12)

    def refused(exc: BaseException) -> bool:
        from salesdev_tui.domain.dedupe import MergeRefused

        if isinstance(exc, MergeRefused):
            page.notify(str(exc), title=_("Not merged"), severity="warning", markup=False,
                        timeout=12)
            return True
        return False  # a storage problem: the page's usual message

    page.app.push_screen(
        CustomerPickScreen(_("Merge into {name}: which customer?").format(name=keep.name)),
        picked,
    )


def undo_merge(page: DbScreen, other_id: uuid.UUID,
               merged: Callable[[uuid.UUID | None], None]) -> None:
    """Undo the merge just done on this page: the other customer comes back with its records
    (`merged(None)`: nothing left to undo)."""

    def undone(outcome: MergeOutcome) -> None:
        merged(None)
        page.sales_app.changed()
        page.notify(_("Merge undone: {other} is back with its records.").format(
            other=outcome.other_name), markup=False)

    page.run_db(lambda store: store.deletion.unmerge_customer(other_id), undone, group="merge")
