"""The SQL of Today's "idle customers" rule, shared by the index that serves it and the read.

Free of SQLAlchemy, like `models.revisit_rule`: `store.today_queries` runs at start-up
before SQLAlchemy is imported, and `models.tables` declares `ix_customer_idle` from the
same text. SQLite uses a partial index only when the query's WHERE implies the index's,
which it checks term by term: both take the term from here.
"""

from __future__ import annotations

from salesdev_tui.models.enums import OPEN_STAGES

#: Customers still being developed (not won; lost is no stage of the path). `|| ''` keeps
#: SQLite from choosing the stage index for the IN and sorting every open customer.
IDLE_STAGE_TERM = "(stage || '') IN ({})".format(
    ", ".join(f"'{stage.value}'" for stage in sorted(OPEN_STAGES))
)

#: The customers the idle read walks in activity order: live and open.
IDLE_INDEX_WHERE = f"deleted_at IS NULL AND {IDLE_STAGE_TERM}"
