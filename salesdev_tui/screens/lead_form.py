"""The full lead form: every field of the policy, completion, duplicate warnings, batch mode.

Tab order follows the eye: where the lead came from (source, detail) on the top line, then
the business card (company, person, phone, e-mail, address) down the left column, then the
classification down the right column, then needs and notes. Batch mode (ctrl+b) is for a
pile of business cards from one trade show: ctrl+s saves, keeps the source and its detail,
clears the rest and puts the cursor back in Company.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from salesdev_tui.i18n import _, enum_label
from salesdev_tui.models.enums import CompanySize, Potential, PurchasingPower, Source
from salesdev_tui.screens.base import DbModal, storage_message
from salesdev_tui.services.dedupe import asks_before_saving
from salesdev_tui.services.quickadd import QuickLead
from salesdev_tui.services.text_rules import normalize_phone, phone_problem
from salesdev_tui.services.validation import LeadDraft, LeadInvalid, check_lead
from salesdev_tui.usecases.leads import add_lead, lead_duplicates
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.services.dedupe import DuplicateMatch
    from salesdev_tui.store.combined import Store

#: Seconds of quiet typing before the duplicate lookup runs.
DUPLICATE_DELAY = 0.3

#: Text fields: widget id -> label. Order is the tab order within each group.
_SOURCE_FIELDS = ("source", "source_detail")
_CARD_FIELDS = ("company", "contact_name", "phone", "email", "address")
_CLASS_FIELDS = ("industry", "size", "potential", "purchasing_power")
_NOTE_FIELDS = ("needs_preferences", "notes")
_SELECTS: dict[str, type[StrEnum]] = {
    "source": Source,
    "size": CompanySize,
    "potential": Potential,
    "purchasing_power": PurchasingPower,
}
#: Kept by "save and next" in batch mode; everything else is cleared.
BATCH_KEPT = frozenset({"source", "source_detail"})

Value = str | StrEnum | None


def _labels() -> dict[str, str]:
    return {
        "source": _("Source"),
        "source_detail": _("Source detail"),
        "company": _("Company"),
        "contact_name": _("Contact person"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "address": _("Address"),
        "industry": _("Industry"),
        "size": _("Size"),
        "potential": _("Potential"),
        "purchasing_power": _("Purchasing power"),
        "needs_preferences": _("Needs and preferences"),
        "notes": _("Notes"),
    }


def source_detail_label(source: Source | None) -> str:
    """What the detail of a source is called: the trade show, the referrer."""
    if source is Source.TRADE_SHOW:
        return _("Which trade show")
    if source is Source.REFERRAL:
        return _("Referred by")
    return _("Source detail")


# --- checking a lead --------------------------------------------------------------------------


def form_lead(values: Mapping[str, Value], *, region: str) -> LeadDraft:
    """The form's fields, checked by the one lead rule every face uses (`check_lead`)."""
    customer_fields = ("source", "source_detail", "industry", "size", "potential",
                       "needs_preferences", "purchasing_power", "address", "notes")
    customer = {"name": values.get("company"), **{f: values.get(f) for f in customer_fields}}
    contact = {"name": values.get("contact_name"), "phone": values.get("phone"),
               "email": values.get("email")}
    return check_lead(customer, contact, region=region)


def phone_key(phone: str, region: str) -> str | None:
    """The normalised phone used to find duplicates, or None while it is not a phone yet."""
    if not phone.strip() or phone_problem(phone) is not None:
        return None
    return normalize_phone(phone, region) or None


def save_failure_message(exc: BaseException) -> str:
    """The plain message for a failed save (storage problems say what to do next)."""
    message = storage_message(exc)
    if message is not None:
        return message
    return _("Not saved: {problem}. Your input is kept.").format(problem=exc)


# --- what both lead dialogs share -------------------------------------------------------------


class LeadDialog(DbModal[None]):
    """Duplicate warnings while typing, saving with plain failure messages, asking on close.

    Subclasses compose a `#lead-duplicates` and a `#lead-status` Static, call
    `schedule_duplicate_check` when the company, e-mail or phone change, `start_save` with a checked
    draft, and implement `after_save` and `is_dirty`. Widgets of class `lead-editable` are
    disabled while a save runs.
    """

    #: How many possible duplicates are named at most.
    DUPLICATE_LIMIT = 5

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[DuplicateMatch] = []
        self.saving = False
        #: Batch-mode saves still running (`save_in_background`).
        self.background_saves = 0
        self._dup_key: tuple[str, str, str | None] | None = None
        self._dup_timer: Timer | None = None
        self._focus_before_save: Widget | None = None

    # -- duplicates -----------------------------------------------------------------------

    def schedule_duplicate_check(self, name: str, email: str, phone: str) -> None:
        """Look for existing customers like this lead once typing pauses."""
        key = (name.strip(), email.strip(), phone_key(phone, self.sales_app.settings.phone_region))
        if key == self._dup_key:
            return
        self._dup_key = key
        if self._dup_timer is not None:
            self._dup_timer.stop()
        if not any(key):
            self._show_duplicates(key, [])
            return
        self._dup_timer = self.set_timer(DUPLICATE_DELAY, self._look_up_duplicates)

    def _look_up_duplicates(self) -> None:
        key = self._dup_key
        if key is None or self.sales_app.store is None:
            return
        name, email, phone = key
        self.run_db(
            lambda store: store.leads.find_duplicates(
                name=name or None, email=email or None, phone_normalized=phone,
                limit=self.DUPLICATE_LIMIT,
            ),
            lambda matches: self._show_duplicates(key, matches),
            failed=lambda _exc: True,  # a failed lookup only means no warning
            group="lead-duplicates",
        )

    def _show_duplicates(
        self, key: tuple[str, str, str | None], matches: list[DuplicateMatch]
    ) -> None:
        if key != self._dup_key or not self.is_attached:
            return  # the rep typed on; a newer lookup is coming
        self.duplicates = list(matches)
        panel = self.query_one("#lead-duplicates", Static)
        panel.update(self._duplicates_text())
        panel.set_class(not matches, "-hidden")
        self.refresh_bindings()

    def clear_duplicates(self) -> None:
        self._dup_key = ("", "", None)
        if self._dup_timer is not None:
            self._dup_timer.stop()
        self._show_duplicates(self._dup_key, [])

    def _duplicates_text(self) -> Text:
        text = Text()
        for match in self.duplicates:
            who = f" · {match.contact_name}" if match.contact_name else ""
            text.append(_("Possible duplicate") + ": ", style="bold")
            text.append(match.customer_name, style="bold")
            text.append(f" ({_(match.stage.value)}) — {match.reason_text}{who}\n")
        if self.duplicates:
            text.append(
                _("{key} opens {name} instead of adding a new lead.").format(
                    key=self._key_for("open_duplicate"), name=self.duplicates[0].customer_name
                )
            )
        return text

    def _key_for(self, action: str) -> str:
        for active in self.active_bindings.values():
            if active.binding.action == action:
                return self.app.get_key_display(active.binding)
        return action

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_duplicate":
            return bool(self.duplicates)
        return True

    def action_open_duplicate(self) -> None:
        if not self.duplicates or self.saving:
            return
        self._open_existing(self.duplicates[0].customer_id)

    def _open_existing(self, customer_id: uuid.UUID) -> None:
        app = self.sales_app
        self.dismiss(None)
        app.open_customer(customer_id)

    # -- asking before saving a duplicate (14.14) ------------------------------------------

    def save_checked(self, draft: LeadDraft) -> None:
        """Look for customers this lead may be; ask when there are any, else save.

        The fields are disabled during the lookup (as during a save), so the draft saved is
        what was on screen when the rep pressed save.
        """
        if self.saving or self.sales_app.store is None:
            self.start_save(draft)  # says why it cannot save now
            return
        self.saving = True
        self._focus_before_save = self.focused
        self._set_editable(False)

        def found(matches: list[DuplicateMatch]) -> None:
            self.saving = False
            if not self.is_attached:
                return
            self._set_editable(True)
            if matches:
                self.ask_duplicate(draft, matches, lambda: self.start_save(draft))
            else:
                self.start_save(draft)

        def failed(_exc: BaseException) -> bool:
            found([])  # the save itself reports a storage problem plainly
            return True

        self.run_db(lambda store: lead_duplicates(store, draft),
                    found, failed=failed, group="lead-save-check")

    def ask_duplicate(
        self,
        draft: LeadDraft,
        matches: list[DuplicateMatch],
        save_anyway: Callable[[], None],
        add_contact: Callable[[DuplicateMatch], None] | None = None,
    ) -> None:
        """Open the existing customer, add the lead's contact to it (`add_contact`, by default
        `add_contact_to`), or `save_anyway`."""
        from salesdev_tui.screens.duplicate_choice import DuplicateChoice, DuplicateChoiceScreen

        match = matches[0]

        def answered(choice: DuplicateChoice | None) -> None:
            if choice is DuplicateChoice.OPEN:
                self._open_existing(match.customer_id)
            elif choice is DuplicateChoice.ADD_CONTACT and draft.contact is not None:
                if add_contact is not None:
                    add_contact(match)
                else:
                    self.add_contact_to(match, draft)
            elif choice is DuplicateChoice.SAVE_ANYWAY:
                save_anyway()
            else:
                self.show_status(_("Not saved: {name} may already be this customer.").format(
                    name=match.customer_name))

        contact_name = draft.contact.name if draft.contact is not None else None
        self.app.push_screen(DuplicateChoiceScreen(matches, contact_name), answered)

    def add_contact_to(self, match: DuplicateMatch, draft: LeadDraft) -> None:
        """Add the lead's contact person to the existing customer instead of a new customer."""
        contact = draft.contact
        if contact is None:
            return
        self.start_save(draft, work=lambda store: store.contacts.add_contact(match.customer_id,
                                                                             contact),
                        saved_message=_("Added {contact} to {name}").format(
                            contact=contact.name, name=match.customer_name))

    # -- saving ---------------------------------------------------------------------------

    def start_save(
        self,
        draft: LeadDraft,
        *,
        work: Callable[[Store], object] | None = None,
        saved_message: str | None = None,
    ) -> None:
        """Save in a worker; `after_save` on success, a plain message on failure.

        The fields (`.lead-editable`) are disabled meanwhile, so nothing typed during a slow
        save (a locked database waits 5 s) is cleared afterwards or saved twice. `work`
        replaces the default `add_lead` (adding the contact to an existing customer), and
        `saved_message` the "Saved NAME" notification.
        """
        if self.saving:
            return
        if self.sales_app.store is None:
            self.show_status(self.sales_app.store_error or _("The database is still opening…"))
            return
        self.saving = True
        self._focus_before_save = self.focused
        self._set_editable(False)
        self.show_status(_("Saving…"), error=False)
        self.run_db(
            work or (lambda store: add_lead(store, draft, allow_duplicate=True)),
            lambda row: self._saved(row, saved_message),
            failed=self._save_failed,
            group="lead-save",
            exclusive=False,
        )

    def save_in_background(
        self,
        draft: LeadDraft,
        typed: dict[str, Value],
        *,
        work: Callable[[Store], object] | None = None,
        saved_message: str | None = None,
    ) -> bool:
        """Save while the rep types the next card (batch mode): nothing is disabled, so no
        key is lost. `typed` is what the form held; `background_failed` gets it back if
        the save fails. False (and nothing started) while the database is not open."""
        if self.sales_app.store is None:
            self.show_status(self.sales_app.store_error or _("The database is still opening…"))
            return False
        self.background_saves += 1

        def failed(exc: BaseException) -> bool:
            self.background_saves -= 1
            message = save_failure_message(exc)
            self.notify(message, title=_("Not saved"), severity="error", timeout=12,
                        markup=False)
            if self.is_attached:
                self.background_failed(typed, message)
            return True

        def saved(customer: object) -> None:
            self.background_saves -= 1
            self.sales_app.changed()
            name = str(getattr(customer, "name", ""))
            self.notify(saved_message or _("Saved {name}").format(name=name), markup=False)
            if self.is_attached:
                self.after_save(name)

        self.run_db(work or (lambda store: add_lead(store, draft, allow_duplicate=True)),
                    saved, failed=failed, group="lead-save", exclusive=False)
        return True

    def background_failed(self, typed: dict[str, Value], message: str) -> None:
        """A background save failed: give the rep `typed` back (subclasses)."""

    def _set_editable(self, editable: bool) -> None:
        for widget in self.query(".lead-editable"):
            widget.disabled = not editable
        if editable and self._focus_before_save is not None:
            self.set_focus(self._focus_before_save)

    def _saved(self, customer: object, message: str | None = None) -> None:
        self.saving = False
        self.sales_app.changed()
        name = str(getattr(customer, "name", ""))
        self.notify(message or _("Saved {name}").format(name=name), markup=False)
        if self.is_attached:
            self._set_editable(True)
            self.show_status("")
            self.after_save(name)

    def _save_failed(self, exc: BaseException) -> bool:
        self.saving = False
        message = save_failure_message(exc)
        if self.is_attached:
            self._set_editable(True)
            self.show_status(message)
        self.notify(message, title=_("Not saved"), severity="error", timeout=12, markup=False)
        return True

    def after_save(self, name: str) -> None:
        """Called on the UI thread after a successful save."""

    def show_status(self, message: str, *, error: bool = True) -> None:
        status = self.query_one("#lead-status", Static)
        status.update(Text(message))
        status.set_class(not message, "-hidden")
        status.set_class(error, "field-error")

    # -- leaving --------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        """True when closing would lose typed text."""
        return False

    def action_close(self) -> None:
        if self.saving or self.background_saves:
            self.notify(_("Still saving… one moment."))
            return
        if not self.is_dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        from salesdev_tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                _("Discard this lead?"),
                _("What you typed has not been saved."),
                yes_label=_("Discard"),
                no_label=_("Keep editing"),
            ),
            answered,
        )


class LeadFormScreen(LeadDialog):
    """Every field of a new lead, with completion, duplicate warnings and batch mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="lead-form-save", priority=True,
                tooltip=_("Save the lead (from any field)")),
        Binding("ctrl+s", "save_next", _("Save and next"), id="lead-form-save-next",
                priority=True,
                tooltip=_("Save, keep the source and its detail, clear the rest")),
        Binding("ctrl+b", "toggle_batch", _("Batch mode"), id="lead-form-batch",
                priority=True,
                tooltip=_("Many cards from one trade show: save and next keeps the source")),
        Binding("ctrl+o", "open_duplicate", _("Open existing"), id="lead-form-open-duplicate",
                priority=True, tooltip=_("Open the existing customer instead of adding this")),
        Binding("ctrl+r", "restore_failed", _("Bring back unsaved card"),
                id="lead-form-restore-failed", priority=True,
                tooltip=_("Put a card whose save failed back into the form")),
        Binding("escape", "close", _("Close"), id="lead-form-close",
                tooltip=_("Close the form (asks before discarding typed text)")),
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
        labels = _labels()
        with Vertical(classes="dialog lead-form"):
            with Horizontal(classes="lead-form-head"):
                yield Label(_("New lead"), classes="dialog-title")
                yield Label("", id="lead-batch", classes="lead-batch")
            yield Static("", id="lead-duplicates", classes="lead-duplicates -hidden")
            with VerticalScroll(id="lead-form-body", classes="lead-editable"):
                with Horizontal(classes="lead-row"):
                    for field in _SOURCE_FIELDS:
                        with Vertical(classes="lead-column"):
                            yield from self._field(field, labels[field])
                with Horizontal(classes="lead-row"):
                    with Vertical(classes="lead-column"):
                        for field in _CARD_FIELDS:
                            yield from self._field(field, labels[field])
                    with Vertical(classes="lead-column"):
                        for field in _CLASS_FIELDS:
                            yield from self._field(field, labels[field])
                with Horizontal(classes="lead-row"):
                    for field in _NOTE_FIELDS:
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
                enum = _SELECTS.get(field)
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
        self.watch(self.sales_app, "data_version", self._load_completions)

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
        for field in (*_SOURCE_FIELDS, *_CARD_FIELDS, *_CLASS_FIELDS):
            if field in _SELECTS:
                chosen = self._select(field).value
                values[field] = chosen if isinstance(chosen, StrEnum) else None
            else:
                values[field] = self.query_one(f"#{field}", Input).value
        for field in _NOTE_FIELDS:
            values[field] = self.query_one(f"#{field}", TextArea).text
        return values

    def is_dirty(self) -> bool:
        now = self._values()
        return any((now[k] or "") != (self._baseline.get(k) or "") for k in now)

    def _clear_for_next(self) -> None:
        for field in (*_CARD_FIELDS, *_CLASS_FIELDS):
            if field in _SELECTS:
                self._select(field).clear()
            else:
                self.query_one(f"#{field}", Input).value = ""
        for field in _NOTE_FIELDS:
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
            if field in _SELECTS:
                if isinstance(value, StrEnum):
                    self._select(field).value = value
                else:
                    self._select(field).clear()
            elif field in _NOTE_FIELDS:
                self.query_one(f"#{field}", TextArea).text = str(value or "")
            else:
                self.query_one(f"#{field}", Input).value = str(value or "")
        self.set_focus(self.query_one("#company", Input))

    def _show_problems(self, problems: Mapping[str, str]) -> None:
        labels = _labels()
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
