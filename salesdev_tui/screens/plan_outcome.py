"""Log what happened in a planned contact: done, missed or cancelled, and the next step."""

from __future__ import annotations

import uuid
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from salesdev_tui.i18n import _
from salesdev_tui.screens.base import DbModal


class PlanOutcomeScreen(DbModal[bool]):
    """Returns True when an outcome was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="outcome-save", priority=True,
                tooltip=_("Save the outcome")),
        Binding("escape", "cancel", _("Cancel"), id="outcome-cancel"),
    ]

    def __init__(self, plan_id: uuid.UUID) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Log the contact's outcome"), classes="dialog-title")
            yield Label("", id="outcome-plan", classes="muted")
            with RadioSet(id="outcome-status"):
                yield RadioButton(_("Done"), value=True, id="status-done")
                yield RadioButton(_("Missed"), id="status-missed")
                yield RadioButton(_("Cancelled"), id="status-cancelled")
            yield Label(_("What happened"))
            yield Input(id="outcome-text", placeholder=_("Talked to Jane; interested in…"))
            yield Label(_("Next step"))
            yield Input(id="outcome-next", placeholder=_("Send the catalogue by Friday"))
            yield Label("", id="outcome-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="outcome-save")
                yield Button(_("Cancel (esc)"), id="outcome-cancel")

    def on_mount(self) -> None:
        self.query_one("#outcome-text", Input).focus()
        self.run_db(lambda store: store.get_plan(self.plan_id), self._show_plan)

    def _show_plan(self, plan: object) -> None:
        from salesdev_tui.models import ContactPlan

        assert isinstance(plan, ContactPlan)
        zone = self.sales_app.settings.zone
        when = plan.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        agenda = (plan.agenda or "").replace("\n", " ")
        self.query_one("#outcome-plan", Label).update(Text(f"{when} · {plan.method} · {agenda}"))

    def _status(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return "done"
        return pressed.id.removeprefix("status-")

    @on(Button.Pressed, "#outcome-save")
    def action_save(self) -> None:
        from salesdev_tui.services.validation import InvalidInput, PlanOutcomeInput, validate

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
        self.run_db(lambda store: store.log_outcome(self.plan_id, outcome), self._saved,
                    group="save")

    def _saved(self, _plan: object) -> None:
        self.sales_app.changed()
        self.notify(_("Outcome saved."))
        self.dismiss(True)

    @on(Button.Pressed, "#outcome-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
