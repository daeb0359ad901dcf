"""Edit a customer's own information: the basic facts, needs, purchasing power (policy II, IV).

Every changed field is logged (who, when, old -> new) and shown in the page's history tab;
the name's comparison key follows the name in the store.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.validation import FIELD_LABELS, CustomerInput, field_label
from salesdev_tui.forms.record_form import FieldSpec, RecordForm, enum_choices
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import CompanySize, Potential, PurchasingPower, Source

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.store.combined import Store


class CustomerFormScreen(RecordForm):
    """`CustomerFormScreen(customer_id)`: the form always edits that customer."""

    def __init__(self, customer_id: uuid.UUID, record_id: uuid.UUID | None = None) -> None:
        # The record is the customer itself; a record id makes the base form load it.
        super().__init__(customer_id, record_id or customer_id)

    def title_text(self) -> str:
        return _("Edit customer information")

    def input_model(self) -> type[InputModel]:
        return CustomerInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("name", field_label("name", CustomerInput), required=True),
            FieldSpec("industry", FIELD_LABELS["industry"], placeholder=_("machinery")),
            FieldSpec("size", FIELD_LABELS["size"], kind="choice",
                      choices=enum_choices(CompanySize), placeholder="—"),
            FieldSpec("potential", FIELD_LABELS["potential"], kind="choice",
                      choices=enum_choices(Potential), placeholder="—"),
            FieldSpec("source", FIELD_LABELS["source"], kind="choice",
                      choices=enum_choices(Source), placeholder="—"),
            FieldSpec("source_detail", FIELD_LABELS["source_detail"],
                      placeholder=_("Computex 2026, referred by Jane Wu, …")),
            FieldSpec("needs_preferences", FIELD_LABELS["needs_preferences"],
                      kind="multiline"),
            FieldSpec("purchasing_power", FIELD_LABELS["purchasing_power"], kind="choice",
                      choices=enum_choices(PurchasingPower), placeholder="—"),
            FieldSpec("tax_id", FIELD_LABELS["tax_id"], placeholder=_("12345675")),
            FieldSpec("address", FIELD_LABELS["address"], kind="multiline"),
            FieldSpec("website", FIELD_LABELS["website"], placeholder=_("www.example.com")),
            FieldSpec("revisit_days", _("Revisit interval (days)"), kind="number",
                      placeholder=_("30")),
            FieldSpec("notes", FIELD_LABELS["notes"], kind="multiline"),
        ]

    def load(self, store: Store) -> dict[str, object]:
        assert self.customer_id is not None
        customer = store.customers.get_customer(self.customer_id)
        return {spec.name: getattr(customer, spec.name) for spec in self.fields()}

    def save(self, store: Store, data: Any) -> object:
        assert self.customer_id is not None
        # Not update_record: it applies every field of the input, and this form does not
        # show them all (the research note link stays as it is).
        return store.customers.update_customer(self.customer_id, data)
