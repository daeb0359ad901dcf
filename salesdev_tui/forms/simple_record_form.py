"""The RecordForm of a simple record: one row of one table (a need, a survey, a credit check, …).

By default the record belongs to a customer and is saved through the generic
`store.records.add_record`/`update_record`, so every edit lands in the customer's history; ctrl+d
deletes through `store.records.delete_record` (RecordForm's hook, enabled by `model()`). A subclass
names its table, input model and fields; it may give a new record starting values, add
columns when the record is first written (`add_extra`), or save another way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from salesdev_tui.forms.record_form import RecordForm

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store


class SimpleRecordForm(RecordForm):
    """`Form(customer_id, record_id)`: record_id None adds a record (to the customer)."""

    PAST_DAYS: ClassVar[frozenset[str]] = frozenset()
    """Day fields that look back: "12-01" or "mon" is the latest one, not the next."""

    def starting_values(self, now: datetime, today: date) -> dict[str, object]:
        """What a new record's fields start with (on the UI thread; no database)."""
        return {}

    def add_extra(self, store: Store) -> dict[str, object]:
        """Columns the store sets when the record is added (runs in the worker)."""
        return {}

    def on_mount(self) -> None:
        # Textual calls every class's on_mount, this one before RecordForm's (which fills
        # the fields from `initial`): so no super() call, and the values are in place in time.
        if self.record_id is None:
            now = self.sales_app.clock()
            self.initial = {**self.starting_values(now, self._today()), **self.initial}

    def _today(self) -> date:
        from salesdev_tui.domain.periods import local_date

        return local_date(self.sales_app.clock(), self.sales_app.settings.zone)

    def load(self, store: Store) -> dict[str, object]:
        model = self.model()
        assert model is not None and self.record_id is not None
        row = store.records.get_record(model, self.record_id)
        return {spec.name: getattr(row, spec.name) for spec in self.fields()
                if hasattr(row, spec.name)}

    def save(self, store: Store, data: Any) -> object:
        model = self.model()
        assert model is not None
        if self.record_id is None:
            assert self.customer_id is not None
            return store.records.add_record(model, self.customer_id, data, **self.add_extra(store))
        return store.records.update_record(model, self.record_id, data)

    def collect(self) -> tuple[dict[str, object], dict[str, str]]:
        data, problems = super().collect()
        if self.PAST_DAYS:
            from salesdev_tui.domain.when import parse_day

            texts = self._raw_texts()
            for name in self.PAST_DAYS:
                text = texts.get(name, "")
                if not text.strip() or name in problems:
                    continue
                try:
                    data[name] = parse_day(text, self._today(), past=True)
                except ValueError as exc:
                    problems[name] = str(exc)
        return data, problems
