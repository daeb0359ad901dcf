"""`salesdev sync` and the TUI's background sync: push this laptop's changes to the team
server, then pull what changed there that this person may see.

Incremental both ways (the change log, the pull cursor), idempotent (a repeated push
changes nothing, a repeated pull writes the same values) and resumable: every step commits
on both sides before the next, so a sync killed at any point is finished by the next one
with nothing lost or doubled (tests/server/test_sync.py kills it at each step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.server.legal_guard import ReviewRefusal
    from salesdev_tui.store.sync_conflicts import ConflictRow

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
    #: Contract reviews or signatures the server did not take (only legal reviews).
    review_refused: list[ReviewRefusal] = field(default_factory=list)
    left_for_manager: int = 0  # refused changes to handed-over customers, kept on the server


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


def sync(db: Database, url: str, *, stop_after: str | None = None,
         stop: Callable[[], bool] | None = None,
         clock: Callable[[], datetime] | None = None) -> SyncReport:
    """One sync. `stop_after` names a step after which to stop as if killed (the tests'
    kill points): "push-server" (server committed, outbox not cleared), "pull-page" (one
    page applied, cursor not saved). `stop()`, asked after each push batch and each pulled
    page, ends the sync there (the TUI quitting: the next sync goes on from that point).
    `clock` gives the time kept as the last sync (the TUI's clock)."""
    import json

    import psycopg

    from salesdev_tui.db.sync_log import install_change_log
    from salesdev_tui.domain.sync_state import STAMP_FIELDS
    from salesdev_tui.server.connect import team_connect
    from salesdev_tui.server.legal_guard import refused_reviews
    from salesdev_tui.server.pull import changed_conflicts, changed_rows, gone_rows, horizon
    from salesdev_tui.server.push import push
    from salesdev_tui.server.roles import TeamRole
    from salesdev_tui.store.sync_conflicts import accept_stamp_conflicts
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
    from salesdev_tui.usecases.handover import leave_refused_changes

    report = SyncReport()
    server, role = team_connect(url)
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
            report.review_refused += refused_reviews(server, changes)
            # In the push's transaction: a refused change to a customer handed away is
            # left for the manager before this laptop forgets it (usecases/handover.py).
            report.left_for_manager += leave_refused_changes(db, server, device, changes,
                                                             result.refused)
            server.commit()
            report.pushed += result.rows_written
            report.conflicts += result.conflicts
            report.refused += result.refused
            if stop_after == "push-server":
                return report
            with db.write() as session:
                clear_sent(session.connection(), sent)
            if stop is not None and stop():
                return report
        _send_resolutions(db, server)
        server.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with db.read() as session:
            since = int(state(session.connection(), "cursor") or 0)
        until = horizon(server)
        own_only = role is TeamRole.REP
        for _table, rows in changed_rows(server, since, until, own_only=own_only):
            with db.write() as session:
                touched, changed = apply_pulled(session.connection(), rows)
                _refresh(session, touched)
            report.pulled += changed
            if stop_after == "pull-page" or (stop is not None and stop()):
                server.rollback()
                return report
        conflicts = changed_conflicts(server, since, until)
        gone = gone_rows(server, since, until)
        with db.write() as session:
            report.dropped = drop_gone(session.connection(), gone)
            if report.dropped:
                _forget_dropped(session.connection())
            save_conflicts(session.connection(), conflicts)
            stamps = accept_stamp_conflicts(session.connection(), STAMP_FIELDS,
                                            _now_text(clock))
            set_state(session.connection(), "cursor", str(until))
            set_state(session.connection(), "last_sync", _now_text(clock))
            set_state(session.connection(), "review_refused", json.dumps(
                [item.as_json() for item in report.review_refused]))
        server.commit()
        report.cursor = until
        if stamps:  # the app's own stamps, accepted here: every device hears it now
            _send_resolutions(db, server)
    if report.dropped:
        _scrub(db)
    return report


def _forget_dropped(conn: Any) -> None:
    """In the drop's transaction: the search index lets go of the dropped customers (it
    indexes their text), and the file owes a scrub (committed with the delete)."""
    from salesdev_tui.db.scrub import mark_pending
    from salesdev_tui.db.search_index import sync_search_index

    sync_search_index(conn)
    mark_pending(conn, _now_text())


def _scrub(db: Database) -> None:
    """A handed-over customer is removed from the file, not only from its tables: deleted
    rows stay readable in freed pages and the write-ahead log until a VACUUM and a complete
    checkpoint (db/scrub.py; retried at the next open or close when a reader holds it)."""
    from salesdev_tui.db.scrub import scrub

    scrub(db.engine, db.path)


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


def resolve(db: Database, conflict_id: str, *, restore: bool,
            clock: Callable[[], datetime] | None = None) -> bool:
    """Accept a conflict's kept value or restore its lost one (sent by the next sync)."""
    from salesdev_tui.store.sync_local import resolve_conflict

    with db.write() as session:
        return resolve_conflict(session.connection(), conflict_id, restore=restore,
                                at=_now_text(clock))


def conflicts(db: Database) -> list[ConflictRow]:
    """The open conflicts as the TUI lists them: with the customer each belongs to."""
    from salesdev_tui.store.sync_conflicts import open_conflict_rows
    from salesdev_tui.store.sync_local import is_joined

    with db.read() as session:
        conn = session.connection()
        return open_conflict_rows(conn) if is_joined(conn) else []


def _now_text(clock: Callable[[], datetime] | None = None) -> str:
    from datetime import UTC

    now = clock() if clock is not None else datetime.now(UTC)
    return now.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class SyncStatus:
    joined: bool
    last_sync: str | None
    pending: int
    conflicts: int
    review_refused: list[ReviewRefusal] = field(default_factory=list)  # at the last sync


def status(db: Database) -> SyncStatus:
    """What the footer and `salesdev team status` show (cheap: counts of small tables)."""
    import json

    from salesdev_tui.server.legal_guard import ReviewRefusal
    from salesdev_tui.store.sync_local import is_joined, open_conflicts, pending_count, state

    with db.read() as session:
        conn = session.connection()
        if not is_joined(conn):
            return SyncStatus(False, None, 0, 0)
        refused = [ReviewRefusal.from_json(item)
                   for item in json.loads(state(conn, "review_refused") or "[]")]
        return SyncStatus(True, state(conn, "last_sync"), pending_count(conn),
                          len(open_conflicts(conn)), refused)


def _refresh(session: Any, touched: set[str]) -> None:
    import uuid

    from salesdev_tui.store.customers import CustomerStore

    if touched:
        CustomerStore.refresh_customer_facts(session, {uuid.UUID(hex=t) for t in touched})
