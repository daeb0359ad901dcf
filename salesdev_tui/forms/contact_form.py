"""Add or edit a contact person of a customer; ctrl+d deletes one (policy IV).

Saved through the generic record path, so every change is in the customer's history. The
store keeps exactly one primary contact per customer: ticking "Primary contact" here makes
the others step down, and deleting the primary hands the role to the next contact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec, RecordForm
from salesdev_tui.i18n import N_, _

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.store.combined import Store


class ContactFormScreen(RecordForm):
    """`ContactFormScreen(customer_id, record_id)`: record_id None adds a contact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: inside an Input, ctrl+d would otherwise delete the next character.
        Binding("ctrl+d", "delete", N_("Delete"), id="contact-delete", priority=True,
                tooltip=N_("Delete this contact person (asks first)")),
    ]

    def title_text(self) -> str:
        if self.record_id is None:
            return _("Add a contact person")
        return _("Edit contact person (ctrl+d deletes it)")

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import ContactInput

        return ContactInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("name", FIELD_LABELS["name"], required=True,
                      placeholder=_("Jane Wu")),
            FieldSpec("role", FIELD_LABELS["role"], placeholder=_("Purchasing manager")),
            FieldSpec("phone", FIELD_LABELS["phone"], placeholder=_("02 2345 6789 ext 12")),
            FieldSpec("mobile", FIELD_LABELS["mobile"], placeholder=_("0912 345 678")),
            FieldSpec("email", FIELD_LABELS["email"], placeholder=_("jane@example.com")),
            FieldSpec("is_primary", FIELD_LABELS["is_primary"], kind="flag"),
            FieldSpec("notes", FIELD_LABELS["notes"], kind="multiline"),
        ]

    def load(self, store: Store) -> dict[str, object]:
        from salesdev_tui.models.tables import Contact

        assert self.record_id is not None
        contact = store.records.get_record(Contact, self.record_id)
        return {spec.name: getattr(contact, spec.name) for spec in self.fields()}

    def save(self, store: Store, data: Any) -> object:
        from salesdev_tui.models.tables import Contact

        if self.record_id is None:
            assert self.customer_id is not None
            return store.records.add_record(Contact, self.customer_id, data)
        return store.records.update_record(Contact, self.record_id, data)

    # -- deleting -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete" and self.record_id is None:
            return None  # nothing to delete while adding: shown disabled, key passes on
        return True

    def action_delete(self) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        if self.record_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete()

        self.app.push_screen(
            ConfirmScreen(
                _("Delete this contact person?"),
                _("The contact is marked deleted and stays in the history. If it is the "
                  "primary contact, the next contact becomes primary."),
                yes_label=_("Delete"),
                no_label=_("Keep"),
            ),
            answered,
        )

    def _delete(self) -> None:
        from salesdev_tui.models.tables import Contact

        record_id = self.record_id
        assert record_id is not None
        self.run_db(lambda store: store.records.delete_record(Contact, record_id), self._deleted,
                    group="contact-delete")

    def _deleted(self, _result: None) -> None:
        self.sales_app.changed()
        self.notify(_("Contact deleted."), markup=False)
        self.dismiss(True)
