"""Editing a customer's own information (policy IV: true, accurate, complete, kept current).

Every changed field is logged (`StoreBase._log_changes`: who, when, old -> new). The derived
`name_key` (the duplicate finder's comparison key) follows the name on every write path that
goes through `RecordStore.apply` or `CustomerStore.update_customer`, and is never logged: it
is not information the rep typed.
"""

from __future__ import annotations

from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.models.tables import Customer


def customer_changes(row: Customer, changes: dict[str, object]) -> dict[str, object]:
    """`changes` to write to the customer `row`: `name_key` follows a new name (set on `row`),
    and is never taken from a caller."""
    changes = dict(changes)
    changes.pop("name_key", None)  # derived below, never taken from a caller
    name = changes.get("name")
    if isinstance(name, str) and name != row.name:
        row.name_key = company_key(name)
    return changes
