"""Note a need, pain point, concern or requirement of a customer (policy III.4).

Priority, and where known the budget, the decision maker and the timeline. The customer's
page lists the notes newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec, enum_choices
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import NeedKind, Priority

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record
    from salesdev_tui.store.combined import Store


class NeedsNoteFormScreen(SimpleRecordForm):
    """`NeedsNoteFormScreen(customer_id, record_id)`: record_id None notes a new need."""

    def title_text(self) -> str:
        return _("Note a need") if self.record_id is None else _("Edit needs note")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import NeedsNote

        return NeedsNote

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import NeedsNoteInput

        return NeedsNoteInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("text", _("Need, pain point or concern"), kind="multiline",
                      required=True),
            FieldSpec("kind", FIELD_LABELS["kind"], kind="choice",
                      choices=enum_choices(NeedKind), placeholder=_("need (the default)")),
            FieldSpec("priority", FIELD_LABELS["priority"], kind="choice",
                      choices=enum_choices(Priority), placeholder=_("medium (the default)")),
            FieldSpec("budget", FIELD_LABELS["budget"], kind="money"),
            FieldSpec("decision_maker", FIELD_LABELS["decision_maker"],
                      placeholder=_("who decides: name, role")),
            FieldSpec("timeline", FIELD_LABELS["timeline"],
                      placeholder=_("by Q2, before the trade show, …")),
        ]

    def add_extra(self, store: Store) -> dict[str, object]:
        # The store's clock, not the table's default (the real time): tests fix "now".
        return {"noted_at": store.now()}
