"""The team sync's state as the TUI's footer says it (issue 18.3): when the laptop last
synced, how many changed records wait to be sent, how many conflicts wait for the rep, and
"offline" when the last attempt could not reach the server. Pure: `now` is passed in.

Short on purpose: it shares the footer's one line with the keys, at 80 columns too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from salesdev_tui.i18n import _

__all__ = ["STAMP_FIELDS", "SyncPhase", "SyncView", "age_text", "conflict_time_text",
           "conflict_value_text", "footer_text"]


#: Fields salesdev stamps itself on every edit ("updated at", the customer's "last
#: activity"): two devices' edits of one record always disagree on them, and the later stamp
#: is right by definition. Their conflicts are kept (nothing is overwritten unseen) but
#: accepted on arrival: no rep has a decision to make about them.
STAMP_FIELDS = frozenset({"updated_at", "last_activity_at"})


class SyncPhase(StrEnum):
    """Where the background sync stands."""

    WAITING = "waiting"  # not tried yet since the app started
    SYNCING = "syncing"
    SYNCED = "synced"  # the last attempt finished
    OFFLINE = "offline"  # the server could not be reached (normal on the road)
    SIGN_IN = "sign_in"  # the server wants a password and none is kept here
    NOT_JOINED = "not_joined"  # a team is configured, but this database never joined it
    BUSY = "busy"  # the database was busy (a long import): the next attempt goes on
    FAILED = "failed"  # anything else: the next attempt tries again


@dataclass(frozen=True)
class SyncView:
    phase: SyncPhase = SyncPhase.WAITING
    last_sync: datetime | None = None
    pending: int = 0
    """Changed records waiting to be sent (the outbox)."""
    conflicts: int = 0
    """Open conflicts: fields two devices changed at once, for the rep to look at."""
    problem: str = ""
    """Why the last attempt failed, in words (the palette's "Sync now" shows it)."""


def age_text(last: datetime, now: datetime) -> str:
    """How long ago `last` was, roughly: "just now", "3 min ago", "2 h ago", "4 d ago"."""
    minutes = int((now - last).total_seconds() // 60)
    if minutes < 1:  # a clock a little behind the server's counts as now, too
        return _("just now")
    if minutes < 60:
        return _("{count} min ago").format(count=minutes)
    if minutes < 24 * 60:
        return _("{count} h ago").format(count=minutes // 60)
    return _("{count} d ago").format(count=minutes // (24 * 60))


def footer_text(view: SyncView, now: datetime, *, compact: bool = False) -> str:
    """The footer's words for `view` (the counts only when not zero). `compact`, for a
    narrow terminal, leaves the keys room: "3 min ago ↑2 ⚠1" (the tooltip says it whole)."""
    if view.phase is SyncPhase.NOT_JOINED:
        return _("not in the team: salesdev team join")
    if view.phase is SyncPhase.SIGN_IN:
        return _("sign in: salesdev team join")
    head = {
        SyncPhase.SYNCING: _("syncing…"),
        SyncPhase.OFFLINE: _("offline"),
        SyncPhase.BUSY: _("sync waits"),
        SyncPhase.FAILED: _("sync failed"),
    }.get(view.phase)
    if head is None and view.last_sync is not None:
        age = age_text(view.last_sync, now)
        head = age if compact else _("synced {age}").format(age=age)
    if head is None:
        head = _("not synced yet")
    if compact:
        return " ".join([head,
                         *([f"↑{view.pending}"] if view.pending else []),
                         *([f"⚠{view.conflicts}"] if view.conflicts else [])])
    parts = [head]
    if view.pending:
        parts.append(_("to send {count}").format(count=view.pending))
    if view.conflicts:
        parts.append(_("conflicts {count}").format(count=view.conflicts))
    return " · ".join(parts)


def conflict_value_text(value: str | None, zone: ZoneInfo) -> str:
    """A conflict's kept or lost value as the rep reads it: times in the zone, yes/no,
    "(empty)" for no value. Values are kept as text (server/exchange.as_text); a time
    without an offset is a stored one, in UTC like every time salesdev keeps."""
    if value is None or value == "":
        return _("(empty)")
    if value in ("True", "False"):
        return _("yes") if value == "True" else _("no")
    if len(value) >= 16 and value[4:5] == "-" and value[10:11] in (" ", "T"):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return value


def conflict_time_text(noted_at: str, zone: ZoneInfo) -> str:
    """When the conflict was noted, short: "11-16 14:30" in the zone."""
    try:
        moment = datetime.fromisoformat(noted_at)
    except ValueError:
        return noted_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%m-%d %H:%M")
