"""Add or edit a market research note: industry or region, trends, competitors, leads (III.1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record
    from salesdev_tui.store.combined import Store


class ResearchNoteFormScreen(SimpleRecordForm):
    """`ResearchNoteFormScreen(None, record_id)`: a note belongs to no customer."""

    PAST_DAYS: ClassVar[frozenset[str]] = frozenset({"noted_on"})

    def title_text(self) -> str:
        return _("New research note") if self.record_id is None else _("Edit research note")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import ResearchNote

        return ResearchNote

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import ResearchNoteInput

        return ResearchNoteInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", FIELD_LABELS["title"], required=True,
                      placeholder=_("Machine tools, central Taiwan, 2026")),
            FieldSpec("noted_on", FIELD_LABELS["noted_on"], kind="day", required=True),
            FieldSpec("industry", FIELD_LABELS["industry"]),
            FieldSpec("region", FIELD_LABELS["region"]),
            FieldSpec("trends", _("Market trends"), kind="multiline"),
            FieldSpec("competitors_seen", FIELD_LABELS["competitors_seen"], kind="multiline"),
            FieldSpec("leads_found", FIELD_LABELS["leads_found"], kind="multiline"),
        ]

    def starting_values(self, now: datetime, today: date) -> dict[str, object]:
        return {"noted_on": today}

    def save(self, store: Store, data: Any) -> object:
        if self.record_id is None:
            return store.research.add_research_note(data)
        return store.research.update_research_note(self.record_id, data)
