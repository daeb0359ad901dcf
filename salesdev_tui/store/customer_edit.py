"""Editing a customer's own information (policy IV: true, accurate, complete, kept current).

Every changed field is logged through `RecordStore._apply` (who, when, old -> new). The
derived `name_key` (the duplicate finder's comparison key) follows the name on every write
path that goes through `_apply`, and is never logged: it is not information the rep typed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session

from salesdev_tui.models import Customer, Record
from salesdev_tui.services.dedupe import company_key
from salesdev_tui.store.records import RecordStore


class CustomerEditStore(RecordStore):
    def update_customer(self, customer_id: uuid.UUID, data: Any) -> Customer:
        """Apply a validated `CustomerInput` to the customer, logging each changed field.

        Only the fields the input was given are applied (`exclude_unset`): a form that does
        not show a field (the research note link, say) leaves it as it is.
        """
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Customer, customer_id)
            self._apply(session, row, data.model_dump(exclude_unset=True), now)
            return row

    def _apply(self, session: Session, row: Record, changes: dict[str, object],
               now: datetime) -> None:
        if isinstance(row, Customer):
            changes = dict(changes)
            changes.pop("name_key", None)  # derived below, never taken from a caller
            name = changes.get("name")
            if isinstance(name, str) and name != row.name:
                row.name_key = company_key(name)
        super()._apply(session, row, changes, now)
