"""What the proposal editor does with the saved proposal: status, a new version, the export.

These act on what is stored, so they ask for a save first when something typed is not saved.
Status moves are confirmed first: each one freezes the offer or is final.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from salesdev_tui.forms.proposal_actions import ProposalActions
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ProposalStatus

if TYPE_CHECKING:
    from salesdev_tui.models.views import ProposalWithLines
    from salesdev_tui.store.combined import Store


class ProposalStatusActions(ProposalActions):
    """Status keys, `v` (new version), `x` (export), escape (back) and the palette."""

    def action_set_status(self, status: str) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen
        from salesdev_tui.domain.proposals import ALLOWED_MOVES

        proposal_id = self._saved_id()
        if proposal_id is None or self.proposal is None:
            return
        current, target = self.proposal.status, ProposalStatus(status)
        if target not in ALLOWED_MOVES[current]:
            self.notify(_("A {current} proposal cannot become {target}.").format(
                current=_(current.value), target=_(target.value)), severity="warning")
            return
        questions = {
            ProposalStatus.PRESENTED: _("It is then frozen as the customer saw it; later "
                                        "changes go into a new version."),
            ProposalStatus.ACCEPTED: _("The customer agreed to this offer. This is final."),
            ProposalStatus.REJECTED: _("The customer turned this offer down. This is final; "
                                       "you can still make a new version from it."),
        }

        def written(found: ProposalWithLines) -> None:
            self._written(_("Marked {status}.").format(status=_(target.value)), found)
            if target is ProposalStatus.ACCEPTED:
                from salesdev_tui.screens.next_steps import offer_minutes

                offer_minutes(self, self.customer_id)  # the next step, one key away

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_db(
                    lambda store: _status_then_load(store, proposal_id, target),
                    written, failed=self._refused, group="proposal-status",
                )

        self.app.push_screen(
            ConfirmScreen(_("Mark version {n} {status}?").format(
                n=self.proposal.version, status=_(target.value)), questions[target],
                yes_label=_("Mark {status}").format(status=_(target.value)),
                # Accepted and rejected are final: there "No" has the focus.
                yes_is_default=target is ProposalStatus.PRESENTED),
            answered,
        )

    def action_new_version(self) -> None:
        proposal_id = self._saved_id()
        if proposal_id is None or self.proposal is None:
            return
        old = self.proposal.version

        def made(found: ProposalWithLines) -> None:
            self._written(_("Version {new} is a new draft, copied from version {old}.").format(
                new=found.proposal.version, old=old), found)

        self.run_db(lambda store: store.proposals.proposal_with_lines(
            store.proposals.new_version_from(
            proposal_id).id), made, failed=self._refused, group="proposal-version")

    def action_export(self) -> None:
        from salesdev_tui.dialogs.choice import ChoiceScreen
        from salesdev_tui.dialogs.proposal_export_dialog import ExportKind, ProposalExportScreen
        from salesdev_tui.domain.proposal_export import export_file_name

        proposal_id = self._saved_id()
        if proposal_id is None or self.proposal is None:
            return
        version, name = self.proposal.version, self.customer_name

        def chosen(index: int | None) -> None:
            if index is None:
                return
            kind: ExportKind = "md" if index == 0 else "html"
            path = "~/" + export_file_name(name, version, kind)
            self.app.push_screen(ProposalExportScreen(proposal_id, kind, path))

        self.app.push_screen(
            ChoiceScreen(_("Export version {n} for the customer as").format(n=version),
                         [_("Markdown (.md)"), _("HTML (.html; print it to PDF from a browser)")]),
            chosen,
        )

    def action_back(self) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        if not self.is_dirty():
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(_("Discard what you typed?"), _("The proposal has unsaved changes."),
                          yes_label=_("Discard"), no_label=_("Keep editing")),
            answered,
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers while the editor is shown (any field focused)."""
        yield SystemCommand(_("Save the proposal"), _("Terms and lines in one go"),
                            self.action_save)
        yield SystemCommand(_("Add a line item"), _("And edit it"), self.action_add_line)
        for status in ("presented", "accepted", "rejected"):
            yield SystemCommand(_("Mark the proposal {status}").format(status=_(status)),
                                _("Asks first"), partial(self.action_set_status, status))
        yield SystemCommand(_("New version of the proposal"), _("A draft copy to revise"),
                            self.action_new_version)
        yield SystemCommand(_("Export the proposal"), _("Markdown or HTML, for the customer"),
                            self.action_export)


def _status_then_load(
    store: Store, proposal_id: uuid.UUID, status: ProposalStatus
) -> ProposalWithLines:
    store.proposals.set_proposal_status(proposal_id, status)
    return store.proposals.proposal_with_lines(proposal_id)
