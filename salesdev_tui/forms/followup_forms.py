"""Kick-off and follow-up after signing (policy III.8): milestones and progress reports.

A milestone (or the kick-off record) has a title, a due day, a done tick and a quality note;
ticking done stamps the time. Both kinds of record link to the customer's signed contract
automatically when there is one. Overdue milestones show on Today.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import MilestoneKind

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record
    from salesdev_tui.store.combined import Store


def milestone_kind_choices() -> tuple[tuple[str, str], ...]:
    return ((_("kick-off meeting"), MilestoneKind.KICKOFF.value),
            (_("milestone"), MilestoneKind.MILESTONE.value))


class MilestoneFormScreen(SimpleRecordForm):
    """`MilestoneFormScreen(customer_id, record_id)`: record_id None adds one.

    A new record starts as the kick-off while the customer has none.
    """

    def __init__(self, customer_id: uuid.UUID | None, record_id: uuid.UUID | None = None) -> None:
        super().__init__(customer_id, record_id)
        self._done = False
        """The done tick, taken out of the data (the input model has no such field)."""

    def title_text(self) -> str:
        return _("Add a milestone") if self.record_id is None else _("Edit milestone")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import Milestone

        return Milestone

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import MilestoneInput

        return MilestoneInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", FIELD_LABELS["title"], required=True,
                      placeholder=_("Kick-off meeting, first delivery, acceptance test, …")),
            FieldSpec("kind", FIELD_LABELS["kind"], kind="choice",
                      choices=milestone_kind_choices(), placeholder=_("milestone (the default)")),
            FieldSpec("due_on", FIELD_LABELS["due_on"], kind="day"),
            FieldSpec("done", _("Done"), kind="flag"),
            FieldSpec("quality_note", _("Quality note (the contract's standard, as met)"),
                      kind="multiline"),
        ]

    def on_mount(self) -> None:
        if self.record_id is None:
            self.run_db(self._kickoff_default, self._defaults_loaded, group="form-defaults")

    def _kickoff_default(self, store: Store) -> dict[str, object]:
        assert self.customer_id is not None
        if store.followup.has_kickoff(self.customer_id):
            return {}
        return {"kind": MilestoneKind.KICKOFF, "title": _("Kick-off meeting")}

    def _defaults_loaded(self, values: dict[str, object]) -> None:
        if values and not self.is_dirty():  # never overwrite what the rep began to type
            self._fill_loaded(values)

    def load(self, store: Store) -> dict[str, object]:
        from salesdev_tui.models.tables import Milestone

        assert self.record_id is not None
        row = store.records.get_record(Milestone, self.record_id)
        values = super().load(store)
        values["done"] = row.done_at is not None
        return values

    def collect(self) -> tuple[dict[str, object], dict[str, str]]:
        data, problems = super().collect()
        self._done = bool(data.pop("done", False))
        return data, problems

    def save(self, store: Store, data: Any) -> object:
        assert self.customer_id is not None
        return store.followup.save_milestone(self.customer_id, self.record_id, data,
                                             done=self._done)


class ProgressReportFormScreen(SimpleRecordForm):
    """`ProgressReportFormScreen(customer_id, record_id)`: a report sent to the customer."""

    def title_text(self) -> str:
        if self.record_id is None:
            return _("Record a progress report")
        return _("Edit progress report")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import ProgressReport

        return ProgressReport

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import ProgressReportInput

        return ProgressReportInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("summary", FIELD_LABELS["summary"], kind="multiline", required=True),
            FieldSpec("channel", FIELD_LABELS["channel"],
                      placeholder=_("e-mail, phone, visit, meeting, …")),
            FieldSpec("sent_at", FIELD_LABELS["sent_at"], kind="when", required=True),
        ]

    def starting_values(self, now: datetime, today: date) -> dict[str, object]:
        return {"sent_at": now}

    def save(self, store: Store, data: Any) -> object:
        assert self.customer_id is not None
        return store.followup.save_progress_report(self.customer_id, self.record_id, data)
