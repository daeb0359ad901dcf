"""The SQL of the open pipeline's rule, shared by the index that serves it and the reads.

Free of SQLAlchemy, like `models.idle_rule`: `store.scorecard_read` also runs on a plain
`sqlite3` connection before SQLAlchemy is imported (`salesdev scorecard`, issue 15.8), and
`models.tables` declares `ix_customer_pipeline` from the same text (SQLite uses a partial
index only when the query's WHERE implies the index's).
"""

from __future__ import annotations


def pipeline_rule(row: str = "") -> str:
    """The condition on a customer's columns, each prefixed with `row` ("NEW." in the
    triggers of `db.kpi_summary`, which keep the pipeline's sums by stage)."""
    return (f"{row}deleted_at IS NULL AND {row}pipeline_value IS NOT NULL"
            f" AND {row}stage NOT IN ('won', 'lost')")


#: Customers counted in the open pipeline (`ix_customer_pipeline`, `pipeline_by_stage`).
PIPELINE_INDEX_WHERE = pipeline_rule()
