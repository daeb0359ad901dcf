"""What the quick lead line and the full lead form share (`LeadDialog`): the duplicate
lookup as the rep types, the save in a worker that keeps what was typed on failure, and the
questions before saving (a duplicate, a lead the rules refuse).

Just over 400 lines, kept whole: the duplicate lookup, the save and its failure paths share
the dialog's state (the timer, the typed values kept on failure), and split they would
reach into each other's attributes.
"""
# Over 400 lines on purpose: the full lead form and its batch mode share every field, check and
# carried-over value.

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from salesdev_tui.domain.text_rules import normalize_phone, phone_problem
from salesdev_tui.domain.validation import LeadDraft, check_lead
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import CompanySize, Potential, PurchasingPower, Source
from salesdev_tui.screens.base import DbModal, storage_message
from salesdev_tui.usecases.leads import add_lead, lead_duplicates

if TYPE_CHECKING:
    from salesdev_tui.domain.dedupe import DuplicateMatch
    from salesdev_tui.store.combined import Store

#: Seconds of quiet typing before the duplicate lookup runs.
DUPLICATE_DELAY = 0.3

#: Text fields: widget id -> label. Order is the tab order within each group.
SOURCE_FIELDS = ("source", "source_detail")
CARD_FIELDS = ("company", "contact_name", "phone", "email", "address")
CLASS_FIELDS = ("industry", "size", "potential", "purchasing_power")
NOTE_FIELDS = ("needs_preferences", "notes")
SELECTS: dict[str, type[StrEnum]] = {
    "source": Source,
    "size": CompanySize,
    "potential": Potential,
    "purchasing_power": PurchasingPower,
}
#: Kept by "save and next" in batch mode; everything else is cleared. The same fields as
#: the quick line carries over (`services.batch_context`, issue 21.4).
BATCH_KEPT = frozenset({"source", "source_detail", "industry", "potential"})

Value = str | StrEnum | None


def field_labels() -> dict[str, str]:
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
        from salesdev_tui.dialogs.duplicate_choice import DuplicateChoice, DuplicateChoiceScreen

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

        from salesdev_tui.dialogs.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                _("Discard this lead?"),
                _("What you typed has not been saved."),
                yes_label=_("Discard"),
                no_label=_("Keep editing"),
            ),
            answered,
        )
