"""What the laptop knows of a contract's review on a team (issue 19.5): the stamp of the
verdict as last pulled from the server, and the contract's changes not synced yet.

The rule that reads them is `domain.legal_approval.team_approval_problem`; the tables are
the sync's (`db/sync_log.py`), present only once the laptop joined a team.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from salesdev_tui.store.sync_local import is_joined


def on_team(conn: Any) -> bool:
    """Whether this laptop syncs with a team server (legal's verdict is the server's)."""
    return bool(is_joined(conn))


def review_evidence(conn: Any, contract_id: uuid.UUID) -> tuple[str | None, frozenset[str]]:
    """(who stamped the verdict as last pulled, the contract's fields changed here since
    the last sync). Call only when `on_team`."""
    row_id = contract_id.hex
    found = conn.exec_driver_sql(
        "SELECT field_hlc FROM sync_row WHERE table_name = 'contract' AND row_id = ?",
        (row_id,)).fetchone()
    stamp = dict(json.loads(found[0])).get("legal_review") if found else None
    stamped_by = str(stamp[1]) if stamp and len(stamp) > 1 else None
    unsynced = frozenset(str(name) for (name,) in conn.exec_driver_sql(
        "SELECT field FROM sync_outbox WHERE table_name = 'contract' AND row_id = ?",
        (row_id,)))
    return stamped_by, unsynced
