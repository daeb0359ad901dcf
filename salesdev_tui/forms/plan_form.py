"""Plan a contact (policy III.3), or edit and reschedule one: how, when, with whom, and why.

The contact person is picked from the customer's contacts, which arrive from a worker after
the form is on screen; a person asked for before then (an edited plan's, or the one carried
over from the previous contact) is chosen as soon as they are there. Editing a plan offers
ctrl+o to log its outcome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input, Label, Select

from salesdev_tui.domain.validation import ContactPlanInput
from salesdev_tui.forms.record_form import FieldSpec, RecordForm, enum_choices
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import ContactMethod, PlanStatus

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import ContactPlan
    from salesdev_tui.store.combined import Store


@dataclass(frozen=True)
class PlanContext:
    """What the form shows besides the fields: whose plan, the people to pick, the plan."""

    customer_name: str
    contacts: list[tuple[str, str]]
    """(label, contact id) of the customer's contacts, the primary one first."""
    plan: ContactPlan | None


def load_plan_context(
    store: Store, customer_id: uuid.UUID | None, plan_id: uuid.UUID | None
) -> PlanContext:
    """Runs in a worker."""
    plan = store.plans.get_plan(plan_id) if plan_id is not None else None
    owner = plan.customer_id if plan is not None else customer_id
    if owner is None:
        raise ValueError(_("A plan needs a customer."))
    customer = store.customers.get_customer(owner)
    contacts = [
        (c.name + (f" ({c.role})" if c.role else ""),
         str(c.id)) for c in store.customers.contacts_of(owner)
    ]
    return PlanContext(customer.name, contacts, plan)


class PlanFormScreen(RecordForm):
    """`PlanFormScreen(customer_id, None)` plans a contact; with a plan id it edits one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "log_outcome", N_("Log outcome"), id="plan-log-outcome",
                priority=True, tooltip=N_("Log what happened in this contact")),
    ]

    FORM_TITLE: ClassVar[str] = "Plan a contact"

    def __init__(
        self,
        customer_id: uuid.UUID | None,
        record_id: uuid.UUID | None = None,
        *,
        initial: dict[str, object] | None = None,
        focus: str = "",
    ) -> None:
        values = dict(initial or {})
        # Held back from the Select until the contacts are loaded (it refuses unknown values).
        self._contact_given = "contact_id" in values
        wanted = values.pop("contact_id", None)
        self._wanted_contact: str | None = None if wanted is None else str(wanted)
        if record_id is None:
            values.setdefault("method", ContactMethod.PHONE)
        super().__init__(customer_id, record_id, initial=values)
        self.focus_field = focus
        self.context: PlanContext | None = None

    # -- the RecordForm hooks -------------------------------------------------------------

    def input_model(self) -> type[InputModel]:
        return ContactPlanInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("method", _("How"), "choice", enum_choices(ContactMethod), required=True),
            FieldSpec("scheduled_at", _("When"), "when", required=True),
            FieldSpec("contact_id", _("With"), "choice", placeholder=_("No one in particular")),
            FieldSpec("agenda", _("Agenda: what to say, ask or bring"), "multiline"),
        ]

    def title_text(self) -> str:
        if self.record_id is None:
            return _("Plan a contact")
        return _("Edit or reschedule a planned contact")

    def load(self, store: Store) -> dict[str, object]:
        assert self.record_id is not None
        plan = store.plans.get_plan(self.record_id)
        return {
            "method": plan.method,
            "scheduled_at": plan.scheduled_at,
            "contact_id": plan.contact_id,
            "agenda": plan.agenda,
        }

    def save(self, store: Store, data: Any) -> object:
        assert isinstance(data, ContactPlanInput)
        if self.record_id is not None:
            return store.plans.update_plan(self.record_id, data)
        if self.customer_id is None:
            raise ValueError(_("A plan needs a customer."))
        return store.plans.plan_contact(self.customer_id, data)

    # -- building -------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Runs before RecordForm.on_mount (Textual calls each class's handler, subclass first).
        title = self.query_one(".dialog-title", Label)
        self.query_one(".record-form").mount(
            Label("", id="plan-context", classes="muted"), after=title
        )
        if self.record_id is not None:
            self.query_one(".dialog-buttons").mount(
                Button(_("Log outcome (ctrl+o)"), id="plan-log"), before="#form-cancel"
            )
        self.run_db(
            lambda store: load_plan_context(store, self.customer_id, self.record_id),
            self._context_loaded,
            group="plan-context",
        )
        if self.focus_field:
            self.call_after_refresh(self._focus_field)

    def _focus_field(self) -> None:
        self.query_one(f"#f-{self.focus_field}").focus()
        self._select_focus_field()

    def _select_focus_field(self) -> None:
        """The field the form opened on has its text selected, so typing replaces it (a
        reschedule types a new time). The plan's values may arrive after the focus (they
        load in a worker), and setting a value moves the cursor to its end: select again."""
        if not self.focus_field:
            return
        for field in self.query(f"#f-{self.focus_field}").results(Input):
            if field.has_focus:
                field.select_all()

    def _context_loaded(self, context: PlanContext) -> None:
        self.context = context
        if self.customer_id is None and context.plan is not None:
            self.customer_id = context.plan.customer_id
        select: Select[str] = self.query_one("#f-contact_id", Select)
        select.set_options([(Text(label), value) for label, value in context.contacts])
        if not self._contact_given and self.record_id is None and context.contacts:
            self._wanted_contact = context.contacts[0][1]  # the primary contact
        self._show_contact()
        self.query_one("#plan-context", Label).update(self._context_text(context))

    def _fill(self, values: dict[str, object]) -> None:
        values = dict(values)
        if "contact_id" in values:
            wanted = values.pop("contact_id")
            self._contact_given = True
            self._wanted_contact = None if wanted is None else str(wanted)
            self._show_contact()
        super()._fill(values)
        self._select_focus_field()

    def _show_contact(self) -> None:
        """Select the wanted contact once the options are there; it is not a change."""
        if self.context is None:
            return
        select: Select[str] = self.query_one("#f-contact_id", Select)
        known = {value for _label, value in self.context.contacts}
        if self._wanted_contact in known:
            select.value = self._wanted_contact
        else:
            select.clear()
        if self._loaded:
            self._loaded["contact_id"] = self._raw_texts()["contact_id"]

    def _context_text(self, context: PlanContext) -> Text:
        text = Text(context.customer_name, style="bold")
        plan = context.plan
        if plan is None:
            return text
        zone = self.sales_app.settings.zone
        text.append("   ·   ")
        text.append(_(plan.status.value))
        if plan.status == PlanStatus.DONE and plan.done_at is not None:
            text.append(" " + plan.done_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
        if plan.outcome:
            text.append("   ·   " + plan.outcome.replace("\n", " ")[:60])
        if plan.status in (PlanStatus.MISSED, PlanStatus.CANCELLED):
            text.append("   ·   " + _("a new time opens it again"), style="italic")
        return text

    # -- logging the outcome --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_outcome":
            return self.record_id is not None
        return True

    @on(Button.Pressed, "#plan-log")
    def action_log_outcome(self) -> None:
        from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen

        if self.record_id is None:
            return
        if self.is_dirty():
            self.notify(_("Save the changes first (ctrl+s), or undo them."),
                        severity="warning")
            return
        app, plan_id = self.app, self.record_id
        self.dismiss(False)
        app.push_screen(PlanOutcomeScreen(plan_id))
