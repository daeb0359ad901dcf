"""The full lead form: every field of the policy, completion, duplicate warnings, batch mode.

Tab order follows the eye: where the lead came from (source, detail) on the top line, then
the business card (company, person, phone, e-mail, address) down the left column, then the
classification down the right column, then needs and notes. Batch mode (ctrl+b) is for a
pile of business cards from one trade show: ctrl+s saves, keeps the source and its detail,
clears the rest and puts the cursor back in Company.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from salesdev_tui.domain.dedupe import asks_before_saving
from salesdev_tui.domain.quickadd import QuickLead
from salesdev_tui.domain.validation import LeadDraft, LeadInvalid
from salesdev_tui.i18n import N_, _, enum_label
from salesdev_tui.models.enums import Source
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.domain.dedupe import DuplicateMatch
    from salesdev_tui.store.combined import Store
from salesdev_tui.forms.lead_dialog import (
    BATCH_KEPT,
    CARD_FIELDS,
    CLASS_FIELDS,
    NOTE_FIELDS,
    SELECTS,
    SOURCE_FIELDS,
    LeadDialog,
    Value,
    field_labels,
    form_lead,
    source_detail_label,
)


class LeadFormScreen(LeadDialog):
    """Every field of a new lead, with completion, duplicate warnings and batch mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="lead-form-save", priority=True,
                tooltip=N_("Save the lead (from any field)")),
        Binding("ctrl+s", "save_next", N_("Save and next"), id="lead-form-save-next",
                priority=True,
                tooltip=N_("Save, keep the source and its detail, clear the rest")),
        Binding("ctrl+b", "toggle_batch", N_("Batch mode"), id="lead-form-batch",
                priority=True,
                tooltip=N_("Many cards from one trade show: save and next keeps the source")),
        Binding("ctrl+o", "open_duplicate", N_("Open existing"), id="lead-form-open-duplicate",
                priority=True, tooltip=N_("Open the existing customer instead of adding this")),
        Binding("ctrl+r", "restore_failed", N_("Bring back unsaved card"),
                id="lead-form-restore-failed", priority=True,
                tooltip=N_("Put a card whose save failed back into the form")),
        Binding("escape", "close", N_("Close"), id="lead-form-close",
                tooltip=N_("Close the form (asks before discarding typed text)")),
    ]

    def __init__(self, prefill: QuickLead | None = None, *, extra_note: str | None = None) -> None:
        super().__init__()
        self.prefill = prefill
        self.extra_note = extra_note
        self.batch_mode = False
        self.batch_saved = 0
        #: Batch cards whose background save failed while the rep typed the next one.
        self.failed_cards: list[dict[str, Value]] = []
        self._baseline: dict[str, Value] = {}

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        labels = field_labels()
        with Vertical(classes="dialog lead-form"):
            with Horizontal(classes="lead-form-head"):
                yield Label(_("New lead"), classes="dialog-title")
                yield Label("", id="lead-batch", classes="lead-batch")
            yield Static("", id="lead-duplicates", classes="lead-duplicates -hidden")
            with VerticalScroll(id="lead-form-body", classes="lead-editable"):
                with Horizontal(classes="lead-row"):
                    for field in SOURCE_FIELDS:
                        with Vertical(classes="lead-column"):
                            yield from self._field(field, labels[field])
                with Horizontal(classes="lead-row"):
                    with Vertical(classes="lead-column"):
                        for field in CARD_FIELDS:
                            yield from self._field(field, labels[field])
                    with Vertical(classes="lead-column"):
                        for field in CLASS_FIELDS:
                            yield from self._field(field, labels[field])
                with Horizontal(classes="lead-row"):
                    for field in NOTE_FIELDS:
                        with Vertical(classes="lead-column lead-note"):
                            yield Label(labels[field], classes="lead-label")
                            yield TextArea(id=field, compact=True, classes="lead-textarea")
                            yield Static("", id=f"{field}-error", classes="field-error -hidden")
            yield Static("", id="lead-status", classes="lead-status -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="lead-save", compact=True)
                yield Button(_("Batch mode (ctrl+b)"), id="lead-batch-button", compact=True)
                yield Button(_("Close (esc)"), id="lead-close", compact=True)
        yield KeyFooter()

    def _field(self, field: str, label: str) -> ComposeResult:
        with Vertical(classes="lead-field"):
            with Horizontal(classes="lead-field-line"):
                yield Label(label, id=f"{field}-label", classes="lead-label")
                enum = SELECTS.get(field)
                if enum is not None:
                    options = [(enum_label(member), member) for member in enum]
                    yield Select[StrEnum](options, prompt="—", compact=True, id=field)
                else:
                    yield Input(id=field, compact=True, placeholder=_placeholder(field))
            yield Static("", id=f"{field}-error", classes="field-error lead-field-error -hidden")

    def on_mount(self) -> None:
        if self.prefill is not None:
            self._fill(self.prefill)
            self._baseline = {}  # carried over from the quick line: not yet saved
        else:
            self._baseline = self._values()
        self._show_batch()
        self.query_one("#company", Input).focus()
        # Completions load once the store is open, and again after every save.
        self.watch(self.app, "data_version", self._load_completions)

    def _load_completions(self) -> None:
        if self.sales_app.store is None:
            return
        self.run_db(lambda store: store.leads.completions("industry"), self._industries,
                    group="lead-completions-industry", failed=lambda _exc: True)
        self._load_detail_completions()

    def _fill(self, lead: QuickLead) -> None:
        texts = {
            "company": lead.company, "contact_name": lead.contact_name, "phone": lead.phone,
            "email": lead.email, "source_detail": lead.source_detail,
            "industry": lead.industry,
        }
        for field, value in texts.items():
            self.query_one(f"#{field}", Input).value = value or ""
        notes = "\n".join(n for n in (lead.notes, self.extra_note) if n)
        self.query_one("#notes", TextArea).text = notes
        if lead.source is not None:
            self._select("source").value = lead.source
            self.query_one("#source_detail-label", Label).update(
                source_detail_label(lead.source)
            )
        if lead.potential is not None:
            self._select("potential").value = lead.potential

    def _select(self, field: str) -> Select[StrEnum]:
        return self.query_one(f"#{field}", Select)

    # -- reading and clearing -------------------------------------------------------------

    def _values(self) -> dict[str, Value]:
        values: dict[str, Value] = {}
        for field in (*SOURCE_FIELDS, *CARD_FIELDS, *CLASS_FIELDS):
            if field in SELECTS:
                chosen = self._select(field).value
                values[field] = chosen if isinstance(chosen, StrEnum) else None
            else:
                values[field] = self.query_one(f"#{field}", Input).value
        for field in NOTE_FIELDS:
            values[field] = self.query_one(f"#{field}", TextArea).text
        return values

    def is_dirty(self) -> bool:
        now = self._values()
        return any((now[k] or "") != (self._baseline.get(k) or "") for k in now)

    def _clear_for_next(self) -> None:
        for field in (*CARD_FIELDS, *CLASS_FIELDS):
            if field in BATCH_KEPT:
                continue  # the batch's context, until the rep changes it
            if field in SELECTS:
                self._select(field).clear()
            else:
                self.query_one(f"#{field}", Input).value = ""
        for field in NOTE_FIELDS:
            self.query_one(f"#{field}", TextArea).text = ""
        self._show_problems({})
        self.clear_duplicates()
        self._baseline = self._values()
        # At once, not via focus() (queued behind keys already read): the next card's keys
        # go to Company even when they arrive right behind ctrl+s.
        self.set_focus(self.query_one("#company", Input))

    # -- completion -----------------------------------------------------------------------

    def _industries(self, values: list[str]) -> None:
        self.query_one("#industry", Input).suggester = SuggestFromList(
            values, case_sensitive=False
        )

    def _load_detail_completions(self) -> None:
        if self.sales_app.store is None:
            return
        source = self._values()["source"]
        field = source.value if isinstance(source, Source) else "source_detail"
        self.run_db(lambda store: store.leads.completions(field), self._details,
                    group="lead-completions-detail", failed=lambda _exc: True)

    def _details(self, values: list[str]) -> None:
        self.query_one("#source_detail", Input).suggester = SuggestFromList(
            values, case_sensitive=False
        )

    @on(Select.Changed, "#source")
    def _source_changed(self, event: Select.Changed) -> None:
        source = event.value if isinstance(event.value, Source) else None
        self.query_one("#source_detail-label", Label).update(source_detail_label(source))
        self._load_detail_completions()

    # -- duplicates -----------------------------------------------------------------------

    @on(Input.Changed, "#company, #email, #phone")
    def _key_field_changed(self) -> None:
        self.schedule_duplicate_check(
            self.query_one("#company", Input).value,
            self.query_one("#email", Input).value,
            self.query_one("#phone", Input).value,
        )

    # -- batch mode -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return not self.batch_mode
        if action == "save_next":
            return self.batch_mode
        if action == "restore_failed":
            return bool(self.failed_cards)
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#lead-batch-button")
    def action_toggle_batch(self) -> None:
        self.batch_mode = not self.batch_mode
        self.batch_saved = 0
        self._show_batch()
        if not self.batch_mode:
            return
        source = self._select("source")
        if not isinstance(source.value, Source):
            source.value = Source.TRADE_SHOW  # batch mode is for trade shows
        detail = self.query_one("#source_detail", Input)
        if not detail.value.strip():
            detail.focus()

    def _show_batch(self) -> None:
        label = self.query_one("#lead-batch", Label)
        button = self.query_one("#lead-save", Button)
        self.set_class(self.batch_mode, "-batch")
        self.refresh_bindings()
        if not self.batch_mode:
            label.update(_("ctrl+b: batch mode for a pile of business cards"))
            button.label = _("Save (ctrl+s)")
            return
        label.update(
            _("Batch mode · {count} saved in this batch · source kept").format(
                count=self.batch_saved
            )
        )
        button.label = _("Save and next (ctrl+s)")

    # -- saving ---------------------------------------------------------------------------

    @on(Button.Pressed, "#lead-save")
    def action_save(self) -> None:
        if self.saving:
            return
        values = self._values()
        try:
            draft = form_lead(values, region=self.sales_app.settings.phone_region)
        except LeadInvalid as exc:
            self._show_problems(exc.problems)
            self.show_status(_("Not saved: please correct the marked fields."))
            return
        self._show_problems({})
        if not self.batch_mode:
            self.save_checked(draft)
            return
        # Save and next at once: the card clears now and the save runs behind the rep's
        # typing. (Disabling the form until it was saved dropped the keys of the next card
        # typed meanwhile: a fast typist lost half a company name.) So batch mode asks about
        # the duplicates the warning already found, without a lookup of its own.
        name = str(values["company"] or "")
        strong = [m for m in self.duplicates if asks_before_saving(name, m)]
        if strong:
            self.ask_duplicate(draft, strong, lambda: self._save_and_next(draft, values),
                               lambda match: self._save_and_next(draft, values, into=match))
            return
        self._save_and_next(draft, values)

    def _save_and_next(
        self, draft: LeadDraft, values: dict[str, Value], into: DuplicateMatch | None = None
    ) -> None:
        """Save in the background (or add the contact to `into`) and clear for the next card."""
        contact = draft.contact
        work: Callable[[Store], object] | None = None
        message = None
        if into is not None and contact is not None:
            customer_id = into.customer_id

            def work(store: Store) -> object:
                return store.contacts.add_contact(customer_id, contact)

            message = _("Added {contact} to {name}").format(contact=contact.name,
                                                           name=into.customer_name)
        if self.save_in_background(draft, values, work=work, saved_message=message):
            self.show_status("")
            self._clear_for_next()

    def action_save_next(self) -> None:
        self.action_save()

    def after_save(self, name: str) -> None:
        if not self.batch_mode:
            self.dismiss(None)
            return
        self.batch_saved += 1
        self._show_batch()

    def background_failed(self, typed: dict[str, Value], message: str) -> None:
        if not self.is_dirty():
            self._restore(typed)  # nothing typed since: the card comes straight back
            self.show_status(message)
            return
        self.failed_cards.append(typed)
        self.show_status(_("{message} {company} is kept aside: {key} brings it back into the "
                           "form.").format(message=message, company=typed.get("company") or "",
                                           key=self._key_for("restore_failed")))
        self.refresh_bindings()

    def action_restore_failed(self) -> None:
        if not self.failed_cards:
            return
        if self.is_dirty():
            self.notify(_("Save or clear this card first: the kept-aside one would replace it."),
                        severity="warning")
            return
        self._restore(self.failed_cards.pop(0))
        self.show_status("")
        self.refresh_bindings()

    def _restore(self, typed: dict[str, Value]) -> None:
        for field, value in typed.items():
            if field in SELECTS:
                if isinstance(value, StrEnum):
                    self._select(field).value = value
                else:
                    self._select(field).clear()
            elif field in NOTE_FIELDS:
                self.query_one(f"#{field}", TextArea).text = str(value or "")
            else:
                self.query_one(f"#{field}", Input).value = str(value or "")
        self.set_focus(self.query_one("#company", Input))

    def _show_problems(self, problems: Mapping[str, str]) -> None:
        labels = field_labels()
        for field in labels:
            error = self.query_one(f"#{field}-error", Static)
            message = problems.get(field, "")
            error.update(Text(message))
            error.set_class(not message, "-hidden")
            self.query_one(f"#{field}").set_class(bool(message), "-invalid")
        first = next((f for f in labels if f in problems), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    @on(Button.Pressed, "#lead-close")
    def _close_pressed(self) -> None:
        self.action_close()


def _placeholder(field: str) -> str:
    return {
        "company": _("Acme Trading Co., Ltd."),
        "contact_name": _("Jane Wu"),
        "phone": _("0912 345 678"),
        "email": _("jane@acme.tw"),
        "industry": _("→ completes"),
        "source_detail": _("→ completes"),
    }.get(field, "")
