"""The SQL of the open pipeline's rule, shared by the index that serves it and the reads.

Free of SQLAlchemy, like `models.idle_rule`: `store.scorecard_read` also runs on a plain
`sqlite3` connection before SQLAlchemy is imported (`salesdev scorecard`, issue 15.8), and
`models.tables` declares `ix_customer_pipeline` from the same text (SQLite uses a partial
index only when the query's WHERE implies the index's).
"""

from __future__ import annotations

#: Customers counted in the open pipeline (`ix_customer_pipeline`, `pipeline_by_stage`).
PIPELINE_INDEX_WHERE = (
    "deleted_at IS NULL AND pipeline_value IS NOT NULL AND stage NOT IN ('won', 'lost')"
)
