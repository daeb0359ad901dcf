"""Record a satisfaction survey: a score of 1 to 5, a comment, when and how (policy V).

Every survey counts in the scorecard's satisfaction figure of the month it was taken.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec, enum_choices
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import SurveyMethod

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record


class SurveyFormScreen(SimpleRecordForm):
    """`SurveyFormScreen(customer_id, record_id)`: record_id None records a new survey."""

    def title_text(self) -> str:
        return _("Record a survey") if self.record_id is None else _("Edit survey")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import Survey

        return Survey

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import SurveyInput

        return SurveyInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("score", _("Score (1 = very unhappy … 5 = very happy)"), kind="number",
                      required=True, placeholder=_("1 to 5")),
            FieldSpec("taken_at", FIELD_LABELS["taken_at"], kind="when", required=True),
            FieldSpec("method", _("How it was collected"), kind="choice",
                      choices=enum_choices(SurveyMethod)),
            FieldSpec("comment", FIELD_LABELS["comment"], kind="multiline"),
        ]

    def starting_values(self, now: datetime, today: date) -> dict[str, object]:
        return {"taken_at": now}
