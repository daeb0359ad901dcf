"""The manager's assessments of this rep, as pulled by the sync (laptop table `assessment`,
schema version 9). Read only here: the manager writes them on the team server."""

from __future__ import annotations

from typing import Any

from salesdev_tui.models.stored import from_db_timestamp


def assessments_here(conn: Any) -> list[dict[str, Any]]:
    """Every live assessment on this laptop, the newest period first."""
    rows = conn.exec_driver_sql(
        "SELECT period_kind, period_label, talk_notes, improvement_plan, assessed_by,"
        " assessed_at FROM assessment WHERE deleted_at IS NULL"
        " ORDER BY period_label DESC, assessed_at DESC").fetchall()
    keys = ("period_kind", "period_label", "talk_notes", "improvement_plan", "assessed_by",
            "assessed_at")
    found = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["assessed_at"] = from_db_timestamp(str(item["assessed_at"]))
        found.append(item)
    return found
