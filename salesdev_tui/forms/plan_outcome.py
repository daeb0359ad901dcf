"""Log what happened in a planned contact: done, missed or cancelled, and the next step.

The dialog opens on the outcome: `d`, `m` or `c` (or 1, 2, 3; or the arrows and Enter)
chooses it and moves on to "What happened", so a done call is `d`, the text, Enter. A bare
Enter before any choice chooses nothing and says so (issue 14.12: it must not log "done").

After a done or missed contact the dialog turns into a one-key prompt: `p` plans the next
contact (same way, same person, the next step as its agenda), enter or escape closes. So a
customer is never left without a next contact by accident.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, RadioSet

from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PlanStatus
from salesdev_tui.screens.base import DbModal
from salesdev_tui.widgets.marked_radio import MarkedRadioButton

if TYPE_CHECKING:
    from salesdev_tui.models.tables import ContactPlan
    from salesdev_tui.store.combined import Store
    from salesdev_tui.usecases.stage_flow import MoveDone, OutcomeLogged


class OutcomeChoice(RadioSet):
    """The outcome's radio set: a letter or digit chooses; Enter chooses only what the
    arrows moved to (Textual's RadioSet would choose the first, "done", on a bare Enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,1", "choose(0)", N_("Done"), id="outcome-choose-done", show=False),
        Binding("m,2", "choose(1)", N_("Missed"), id="outcome-choose-missed", show=False),
        Binding("c,3", "choose(2)", N_("Cancelled"), id="outcome-choose-cancelled",
                show=False),
    ]

    class Unchosen(Message):
        """Enter or space came before any choice."""

    moved = False
    """True once the arrows moved the highlight: Enter then chooses what it is on."""

    def action_choose(self, index: int) -> None:
        self._selected = index
        self.moved = True
        self.action_toggle_button()

    def action_next_button(self) -> None:
        if self.is_mounted and self.has_focus:
            self.moved = True
        super().action_next_button()

    def action_previous_button(self) -> None:
        self.moved = True
        super().action_previous_button()

    def action_toggle_button(self) -> None:
        if self.pressed_button is None and not self.moved:
            self.post_message(self.Unchosen())
            return
        super().action_toggle_button()


class PlanOutcomeScreen(DbModal[bool]):
    """Returns True when an outcome was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="outcome-save", priority=True,
                tooltip=N_("Save the outcome")),
        Binding("escape", "cancel", N_("Cancel"), id="outcome-cancel",
                tooltip=N_("Close without saving (after saving: just close)")),
        Binding("p", "plan_next", N_("Plan next"), id="outcome-plan-next",
                tooltip=N_("Plan the next contact with this customer")),
        Binding("enter", "close", N_("Close"), id="outcome-close",
                tooltip=N_("Close; no next contact planned now")),
        Binding("u", "undo_stage", N_("Undo stage"), id="outcome-undo-stage",
                tooltip=N_("Take back the automatic move to contacted")),
    ]

    def __init__(self, plan_id: uuid.UUID) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.plan: ContactPlan | None = None
        """The plan as loaded; after saving, as saved (the next plan is made from it)."""
        self.outcome_saved = False
        """True once the outcome is stored: the dialog then asks about the next contact."""
        self.advanced: MoveDone | None = None
        """The automatic stage move the outcome made, while `u` can take it back."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog plan-outcome"):
            yield Label(_("Log the contact's outcome"), classes="dialog-title")
            yield Label("", id="outcome-plan", classes="muted")
            with Vertical(id="outcome-form"):
                # Nothing chosen at first: a bare Enter must not log "done" (issue 14.12).
                with OutcomeChoice(id="outcome-status"):
                    yield MarkedRadioButton(_("d  Done"), id="status-done")
                    yield MarkedRadioButton(_("m  Missed"), id="status-missed")
                    yield MarkedRadioButton(_("c  Cancelled"), id="status-cancelled")
                yield Label(_("What happened"))
                yield Input(id="outcome-text", placeholder=_("Talked to Jane; interested in…"))
                yield Label(_("Next step"))
                yield Input(id="outcome-next", placeholder=_("Send the catalogue by Friday"))
                yield Label("", id="outcome-error", classes="field-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_("Save (ctrl+s)"), variant="primary", id="outcome-save")
                    yield Button(_("Cancel (esc)"), id="outcome-cancel")
            # Shown by `display`, not the -hidden class: a class change restyles every
            # widget under it (~20 ms for the form's radio buttons, inputs and buttons).
            prompt = Vertical(id="outcome-prompt")
            prompt.display = False
            with prompt:
                yield Label("", id="outcome-saved")
                yield Label(_("Plan the next contact now?"), classes="outcome-question")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_("p  Plan next"), variant="primary", id="outcome-plan-next")
                    yield Button(_("enter  Close"), id="outcome-close")

    def on_mount(self) -> None:
        self.query_one(OutcomeChoice).focus()
        self.run_db(self._load_plan, self._show_plan)

    def _load_plan(self, store: Store) -> tuple[ContactPlan, str]:
        plan = store.plans.get_plan(self.plan_id)
        return plan, store.customers.get_customer(plan.customer_id).name

    def _show_plan(self, loaded: tuple[ContactPlan, str]) -> None:
        # Whose contact it is first: logged from Today or the calendar, the dialog covers
        # the row, and a rep must not log the outcome against the wrong customer.
        plan, customer = loaded
        self.plan = plan
        zone = self.sales_app.settings.zone
        when = plan.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        agenda = (plan.agenda or "").replace("\n", " ").strip()
        parts = [customer, when, _(plan.method.value), agenda]
        self.query_one("#outcome-plan", Label).update(Text(" · ".join(p for p in parts if p)))

    def _status(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return ""  # none chosen: validation names the missing outcome
        return pressed.id.removeprefix("status-")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Before saving, p and enter belong to the inputs; after, ctrl+s has nothing to do.
        if action in ("plan_next", "close"):
            return self.outcome_saved
        if action == "undo_stage":
            return self.advanced is not None
        if action == "save":
            return not self.outcome_saved
        return True

    @on(OutcomeChoice.Unchosen)
    def _unchosen(self) -> None:
        self.action_save()  # names the missing outcome, as Enter in a text box does

    @on(RadioSet.Changed)
    def _chosen(self) -> None:
        if isinstance(self.focused, OutcomeChoice):
            self.query_one("#outcome-text", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a text box saves as ctrl+s does (and says what is missing)."""
        self.action_save()

    @on(Button.Pressed, "#outcome-save")
    def action_save(self) -> None:
        from salesdev_tui.domain.validation import InvalidInput, PlanOutcomeInput, validate

        if self.outcome_saved:
            return
        try:
            outcome = validate(
                PlanOutcomeInput,
                {
                    "status": self._status(),
                    "outcome": self.query_one("#outcome-text", Input).value,
                    "next_step": self.query_one("#outcome-next", Input).value,
                },
            )
        except InvalidInput as exc:
            self.query_one("#outcome-error", Label).update(Text(str(exc)))
            return
        from salesdev_tui.usecases.stage_flow import log_outcome

        self.run_db(lambda store: log_outcome(store, self.plan_id, outcome), self._saved,
                    group="save")

    def _saved(self, logged: OutcomeLogged) -> None:
        self.sales_app.changed()
        plan = logged.plan
        self.plan = plan
        self.advanced = logged.advanced
        if plan.status == PlanStatus.CANCELLED:
            self.notify(_("Outcome saved."))
            self.dismiss(True)
            return
        self.outcome_saved = True
        self.query_one("#outcome-form").display = False
        self.query_one("#outcome-prompt").display = True
        saved = _("Saved: {status}.").format(status=_(plan.status.value))
        if logged.advanced is not None:
            # The first completed contact is policy step 3: the stage follows by itself.
            saved += "\n" + _("{name} moved to contacted (automatic; u undoes it).").format(
                name=logged.advanced.name)
        self.query_one("#outcome-saved", Label).update(Text(saved))
        # Nothing focused: p and enter now reach this screen's bindings.
        self.set_focus(None)
        self.refresh_bindings()

    @on(Button.Pressed, "#outcome-plan-next")
    def action_plan_next(self) -> None:
        plan = self.plan
        if not self.outcome_saved or plan is None:
            return
        # A missed contact is tried again with the same agenda unless a next step says more.
        agenda = plan.next_step or (plan.agenda if plan.status == PlanStatus.MISSED else None)
        sales_app = self.sales_app
        self.dismiss(True)
        sales_app.plan_contact(
            plan.customer_id,
            initial={"method": plan.method, "contact_id": plan.contact_id, "agenda": agenda},
            focus="scheduled_at",
        )

    def action_undo_stage(self) -> None:
        from salesdev_tui.usecases.stage_flow import undo_move

        done = self.advanced
        if done is None:
            return
        self.advanced = None
        self.refresh_bindings()

        def undone(_move: object) -> None:
            self.sales_app.changed()
            self.query_one("#outcome-saved", Label).update(
                Text(_("Back at {stage}.").format(stage=_(done.from_stage.value))))

        self.run_db(lambda store: undo_move(store, done), undone, group="undo")

    @on(Button.Pressed, "#outcome-close")
    def action_close(self) -> None:
        self.dismiss(self.outcome_saved)

    @on(Button.Pressed, "#outcome-cancel")
    def action_cancel(self) -> None:
        self.dismiss(self.outcome_saved)
