"""How the edit history reads to the rep (issue 14.18): who by name, times in the zone.

The history stores values as text, times in ISO form and UTC (`store.records`), and who
made the change as the store's actor: the configured `rep_name`, or the computer's login
name when none was set (or from an older CLI that did not pass it). salesdev is one rep's
book until the team server comes: an edit made by this computer's login is the rep's, and
is shown under the rep's name once it is configured. Pure: the caller passes the zone,
the configured name and the login name.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["login_name", "shown_actor", "shown_time_text"]


def shown_actor(edited_by: str | None, rep_name: str, login: str) -> str:
    """Who made a change, as the history shows it."""
    if rep_name and (not edited_by or edited_by == login):
        return rep_name
    return edited_by or ""


def shown_time_text(value: str, zone: ZoneInfo) -> str:
    """A stored ISO time as a local "YYYY-MM-DD HH:MM"; any other text unchanged."""
    text = value.strip()
    if len(text) < 16 or text[4:5] != "-" or "T" not in text and " " not in text[10:11]:
        return value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value
    if moment.tzinfo is None:  # a plain date-time: shown as written, not shifted
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def login_name() -> str:
    """This computer's login name (what the store records when no rep name is set)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
