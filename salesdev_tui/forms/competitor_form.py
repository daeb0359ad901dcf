"""Note a competitor met at a customer: their offer, strengths and weaknesses (policy VI).

The competitors view (palette: "Competitors") groups these notes across customers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record


class CompetitorNoteFormScreen(SimpleRecordForm):
    """`CompetitorNoteFormScreen(customer_id, record_id)`: record_id None notes a new one."""

    def title_text(self) -> str:
        return _("Note a competitor") if self.record_id is None else _("Edit competitor note")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import CompetitorNote

        return CompetitorNote

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import CompetitorNoteInput

        return CompetitorNoteInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("competitor", FIELD_LABELS["competitor"], required=True,
                      placeholder=_("the company's name, spelt as usual")),
            FieldSpec("offer", _("Their offer"), kind="multiline"),
            FieldSpec("strengths", FIELD_LABELS["strengths"], kind="multiline"),
            FieldSpec("weaknesses", FIELD_LABELS["weaknesses"], kind="multiline"),
        ]
