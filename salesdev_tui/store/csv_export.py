"""The rows of the spreadsheet exports: live customers, their contacts, their contact plans.

Each row is a dict keyed by the import's field keys (`services.csv_columns`), so that what
the export writes, the import reads back unchanged. Deleted records are left out (the JSON
export is the complete one).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from salesdev_tui.models.tables import Contact, ContactPlan, Customer
from salesdev_tui.store.base import StoreBase

_CUSTOMER_COLUMNS = (
    "stage", "lost_reason", "source", "source_detail", "industry", "size", "potential",
    "purchasing_power", "website", "address", "needs_preferences", "revisit_days", "notes",
    "tax_id",
)


def _t(model: type[Any]) -> sa.Table:
    table = model.__table__
    assert isinstance(table, sa.Table)
    return table


class CsvExportStore(StoreBase):
    def customers_for_export(self) -> list[dict[str, Any]]:
        """Live customers by name (case-insensitive), then id."""
        c = _t(Customer)
        stmt = (
            sa.select(c.c.id, c.c.name, *(c.c[name] for name in _CUSTOMER_COLUMNS))
            .where(c.c.deleted_at.is_(None))
            .order_by(c.c.name.collate("NOCASE"), c.c.id)
        )
        with self.db.read() as session:
            return [
                {"customer_id": row.id, "company": row.name,
                 **{name: row._mapping[name] for name in _CUSTOMER_COLUMNS}}
                for row in session.execute(stmt)
            ]

    def contacts_for_export(self) -> list[dict[str, Any]]:
        """Live contacts of live customers, by company, primary first, then name."""
        c, ct = _t(Customer), _t(Contact)
        stmt = (
            sa.select(ct, c.c.name.label("company"), c.c.address.label("company_address"),
                      c.c.website.label("company_website"),
                      c.c.tax_id.label("company_tax_id"))
            .join(c, c.c.id == ct.c.customer_id)
            .where(ct.c.deleted_at.is_(None), c.c.deleted_at.is_(None))
            .order_by(c.c.name.collate("NOCASE"), c.c.id, ct.c.is_primary.desc(),
                      ct.c.name.collate("NOCASE"), ct.c.id)
        )
        with self.db.read() as session:
            return [
                {"contact_id": row.id, "customer_id": row.customer_id, "company": row.company,
                 "contact": row.name, "role": row.role, "phone": row.phone,
                 "mobile": row.mobile, "email": row.email,
                 # Not CSV columns: the vCard's E.164 numbers.
                 "phone_normalized": row.phone_normalized,
                 "mobile_normalized": row.mobile_normalized,
                 "is_primary": row.is_primary, "contact_notes": row.notes,
                 "address": row.company_address, "website": row.company_website,
                 "tax_id": row.company_tax_id,
                 "updated_at": row.updated_at}
                for row in session.execute(stmt)
            ]

    def plans_for_export(self) -> list[dict[str, Any]]:
        """Live contact plans of live customers, by time, then id."""
        c, p = _t(Customer), _t(ContactPlan)
        ct = aliased(_t(Contact))
        stmt = (
            sa.select(p, c.c.name.label("company"), ct.c.name.label("contact_name"))
            .join(c, c.c.id == p.c.customer_id)
            .outerjoin(ct, ct.c.id == p.c.contact_id)
            .where(p.c.deleted_at.is_(None), c.c.deleted_at.is_(None))
            .order_by(p.c.scheduled_at, p.c.id)
        )
        with self.db.read() as session:
            return [
                {"plan_id": row.id, "customer_id": row.customer_id, "company": row.company,
                 "contact_id": row.contact_id, "contact": row.contact_name,
                 "method": row.method, "scheduled_at": row.scheduled_at,
                 "status": row.status, "done_at": row.done_at, "agenda": row.agenda,
                 "outcome": row.outcome, "next_step": row.next_step}
                for row in session.execute(stmt)
            ]
