"""Planned contacts as an iCalendar (.ics) file, for the rep's own calendar. Pure: `now` is
passed in, nothing is read or written.

Each plan is one VEVENT whose UID is the plan's id, so importing a newer export updates the
same events instead of adding copies (DTSTAMP, the export time, tells which is newer). Start
times carry the rep's zone as a TZID with its VTIMEZONE, so a calendar in another zone still
shows the right moment.

An entry may also carry (`models.views.CalendarItem` does): its `status` (a cancelled plan is
`STATUS:CANCELLED`, so the event an earlier export added is called off; an open one
`STATUS:CONFIRMED`), the `customer_address` (the `LOCATION` of a visit: where to drive), and
the contact's `contact_phone` / `contact_mobile` (in the description, to call from the
event).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ContactMethod, PlanStatus

__all__ = ["PRODID", "CalendarEntry", "plan_summary", "plans_to_ics", "upcoming_window"]

PRODID = "-//salesdev//salesdev//EN"

#: How long a calendar blocks for each way of contacting (the plan itself has no end).
_LENGTH: dict[ContactMethod, timedelta] = {
    ContactMethod.PHONE: timedelta(minutes=30),
    ContactMethod.EMAIL: timedelta(minutes=15),
    ContactMethod.VISIT: timedelta(hours=1),
    ContactMethod.MEETING: timedelta(hours=1),
    ContactMethod.OTHER: timedelta(minutes=30),
}

# Looked up at call time, so the summaries follow the language set when exporting.
_VERB: dict[ContactMethod, Callable[[], str]] = {
    ContactMethod.PHONE: lambda: _("Call {customer}"),
    ContactMethod.EMAIL: lambda: _("E-mail {customer}"),
    ContactMethod.VISIT: lambda: _("Visit {customer}"),
    ContactMethod.MEETING: lambda: _("Meet {customer}"),
    ContactMethod.OTHER: lambda: _("Contact {customer}"),
}


class CalendarEntry(Protocol):
    """What a planned contact needs to become an event (the store's `AgendaItem` fits)."""

    @property
    def plan_id(self) -> uuid.UUID: ...
    @property
    def customer_name(self) -> str: ...
    @property
    def method(self) -> ContactMethod: ...
    @property
    def scheduled_at(self) -> datetime: ...
    @property
    def agenda(self) -> str | None: ...
    @property
    def contact_name(self) -> str | None: ...


def plan_summary(entry: CalendarEntry) -> str:
    """ "Call Acme Trading (Jane Wu)": what to do, with whom."""
    summary = _VERB[entry.method]().format(customer=entry.customer_name)
    if entry.contact_name:
        summary = _("{summary} ({contact})").format(summary=summary, contact=entry.contact_name)
    return summary


def _description(entry: CalendarEntry) -> str:
    """The agenda, then how to reach the contact person."""
    parts = [entry.agenda.strip()] if entry.agenda and entry.agenda.strip() else []
    reach = []
    phone = getattr(entry, "contact_phone", None)
    mobile = getattr(entry, "contact_mobile", None)
    if phone:
        reach.append(_("Phone: {number}").format(number=phone))
    if mobile:
        reach.append(_("Mobile: {number}").format(number=mobile))
    if reach:
        who = entry.contact_name or _("Contact")
        parts.append(_("{who}: {numbers}").format(who=who, numbers=" · ".join(reach)))
    return "\n".join(parts)


def plans_to_ics(items: Iterable[CalendarEntry], zone: ZoneInfo, now: datetime) -> bytes:
    """An RFC 5545 calendar with one event per planned contact, times in `zone`."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("salesdev: planned contacts"))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    days: list[datetime] = []
    for entry in items:
        start = entry.scheduled_at.astimezone(zone)
        end = start + _LENGTH.get(entry.method, timedelta(minutes=30))
        event = Event()
        event.add("uid", str(entry.plan_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", plan_summary(entry))
        description = _description(entry)
        if description:
            event.add("description", description)
        address = getattr(entry, "customer_address", None)
        if entry.method is ContactMethod.VISIT and address and address.strip():
            # One line: calendars show LOCATION in a single field and hand it to the maps app.
            event.add("location", ", ".join(p.strip() for p in address.splitlines() if p.strip()))
        cancelled = getattr(entry, "status", PlanStatus.PLANNED) is PlanStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
        days += [start, end]
    if days:
        # VTIMEZONE rules only for the span the events need: a short, exact definition.
        calendar.add_missing_timezones(
            first_date=min(days).date() - timedelta(days=1),
            last_date=max(days).date() + timedelta(days=2),
        )
    return bytes(calendar.to_ical())


def upcoming_window(now: datetime, zone: ZoneInfo, days: int) -> tuple[datetime, datetime]:
    """UTC bounds of "upcoming": from the start of today to the end of the `days`-th day on.

    Today counts whole, so a contact planned for this morning is still in the export.
    """
    from salesdev_tui.domain.periods import day_bounds, local_date

    today = local_date(now, zone)
    return day_bounds(today, zone)[0], day_bounds(today + timedelta(days=days), zone)[1]
