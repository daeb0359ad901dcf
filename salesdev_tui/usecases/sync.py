"""`salesdev sync` and the TUI's background sync: push this laptop's changes to the team
server, then pull what changed there that this person may see.

Incremental both ways (the change log, the pull cursor), idempotent (a repeated push
changes nothing, a repeated pull writes the same values) and resumable: every step commits
on both sides before the next, so a sync killed at any point is finished by the next one
with nothing lost or doubled (tests/server/test_sync.py kills it at each step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.db import Database

#: Rows per push transaction.
PUSH_BATCH = 500


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: list[str] = field(default_factory=list)
    cursor: int = 0
    dropped: int = 0  # local rows removed: handed over to another rep


def synced_table_names() -> list[str]:
    """The tables whose changes this laptop logs and pushes (not the pull-only ones)."""
    from salesdev_tui.server.exchange import table_shapes

    return [table.name for table in table_shapes() if not table.pull_only]


def join(db: Database) -> None:
    """Start logging this laptop's changes; everything already here is sent by the first
    sync (logged as inserted)."""
    from salesdev_tui.db.sync_log import install_change_log
    from salesdev_tui.store.sync_local import device_id, is_joined, log_every_row, state

    with db.write() as session:
        conn = session.connection()
        first = not is_joined(conn) or state(conn, "hlc") is None
        install_change_log(conn, synced_table_names())
        device_id(conn)
        if first:
            log_every_row(conn, synced_table_names())


def sync(db: Database, url: str, *, stop_after: str | None = None) -> SyncReport:
    """One sync. `stop_after` names a step after which to stop as if killed (the tests'
    kill points): "push-server" (server committed, outbox not cleared), "pull-page" (one
    page applied, cursor not saved)."""
    import psycopg

    from salesdev_tui.db.sync_log import install_change_log
    from salesdev_tui.server.connect import team_connect
    from salesdev_tui.server.pull import changed_conflicts, changed_rows, gone_rows, horizon
    from salesdev_tui.server.push import push
    from salesdev_tui.store.sync_local import (
        apply_pulled,
        clear_sent,
        device_id,
        drop_gone,
        pending_changes,
        save_conflicts,
        set_state,
        state,
    )

    report = SyncReport()
    server, _role = team_connect(url)
    with server:
        with db.write() as session:  # a migration may have added columns since last time
            conn = session.connection()
            install_change_log(conn, synced_table_names())
            device = device_id(conn)
        while True:
            with db.read() as session:
                changes, sent = pending_changes(session.connection(), PUSH_BATCH)
            if not sent:
                break
            result = push(server, device, changes)
            server.commit()
            report.pushed += result.rows_written
            report.conflicts += result.conflicts
            report.refused += result.refused
            if stop_after == "push-server":
                return report
            with db.write() as session:
                clear_sent(session.connection(), sent)
        _send_resolutions(db, server)
        server.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with db.read() as session:
            since = int(state(session.connection(), "cursor") or 0)
        until = horizon(server)
        for _table, rows in changed_rows(server, since, until):
            with db.write() as session:
                touched, changed = apply_pulled(session.connection(), rows)
                _refresh(session, touched)
            report.pulled += changed
            if stop_after == "pull-page":
                server.rollback()
                return report
        conflicts = changed_conflicts(server, since, until)
        gone = gone_rows(server, since, until)
        with db.write() as session:
            report.dropped = drop_gone(session.connection(), gone)
            save_conflicts(session.connection(), conflicts)
            set_state(session.connection(), "cursor", str(until))
            set_state(session.connection(), "last_sync", _now_text())
        server.commit()
        report.cursor = until
    return report


def _send_resolutions(db: Database, server: Any) -> None:
    """Conflicts the rep accepted or restored here: resolved for every device."""
    import uuid

    from salesdev_tui.store.sync_local import mark_resolutions_sent, unsent_resolutions

    with db.read() as session:
        resolved = unsent_resolutions(session.connection())
    for conflict_id, at, resolution in resolved:
        server.execute("UPDATE sync_conflict SET resolved_at = %s, resolution = %s"
                       " WHERE id = %s AND resolved_at IS NULL",
                       (at, resolution, uuid.UUID(hex=conflict_id)))
    server.commit()
    with db.write() as session:
        mark_resolutions_sent(session.connection(), [r[0] for r in resolved])


def resolve(db: Database, conflict_id: str, *, restore: bool) -> bool:
    """Accept a conflict's kept value or restore its lost one (sent by the next sync)."""
    from salesdev_tui.store.sync_local import resolve_conflict

    with db.write() as session:
        return resolve_conflict(session.connection(), conflict_id, restore=restore,
                                at=_now_text())


def _now_text() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SyncStatus:
    joined: bool
    last_sync: str | None
    pending: int
    conflicts: int


def status(db: Database) -> SyncStatus:
    """What the footer and `salesdev team status` show (cheap: counts of small tables)."""
    from salesdev_tui.store.sync_local import is_joined, open_conflicts, pending_count, state

    with db.read() as session:
        conn = session.connection()
        if not is_joined(conn):
            return SyncStatus(False, None, 0, 0)
        return SyncStatus(True, state(conn, "last_sync"), pending_count(conn),
                          len(open_conflicts(conn)))


def _refresh(session: Any, touched: set[str]) -> None:
    import uuid

    from salesdev_tui.store.customers import CustomerStore

    if touched:
        CustomerStore.refresh_customer_facts(session, {uuid.UUID(hex=t) for t in touched})
