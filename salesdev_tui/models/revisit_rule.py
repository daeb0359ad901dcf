"""The SQL of Today's revisit rule, shared by the index that serves it and the read.

Free of SQLAlchemy: `store.today_queries` runs at start-up before SQLAlchemy is imported,
and `models.tables` declares `ix_customer_revisit_due` from the same text. SQLite uses an
expression index only for a query that repeats its expression and WHERE word for word, so
both sides take them from here.
"""

from __future__ import annotations

#: The day a won customer's revisit falls due, as a Julian day number: the latest done
#: contact (else the first signing) plus `revisit_days`; 0 when there is neither (due now).
#: Within a day of the exact rule (wall-clock days in the rep's zone), which
#: `today_queries.revisits_due` applies in Python.
REVISIT_DUE_KEY = (
    "coalesce(julianday(coalesce(last_contacted_at, first_signed_at)) + revisit_days, 0)"
)

#: The customers whose revisits are tracked: live, won, with a revisit interval.
REVISIT_INDEX_WHERE = "deleted_at IS NULL AND stage = 'won' AND revisit_days IS NOT NULL"
