"""What each tab of a customer's page lists: columns and how a record fills them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import partial
from zoneinfo import ZoneInfo

from salesdev_tui.domain.history_view import login_name, shown_actor, shown_time_text
from salesdev_tui.domain.proposals import current_version, proposal_total, status_label
from salesdev_tui.domain.validation import field_label
from salesdev_tui.forms import record_editors as editors
from salesdev_tui.i18n import _
from salesdev_tui.models import enums
from salesdev_tui.models.tables import Contract, FieldEdit
from salesdev_tui.store.customer_file import CustomerFile

Row = tuple[str, list[str]]


@dataclass(frozen=True)
class Editor:
    """A screen that adds or edits one kind of record, opened by `opens(customer_id,
    record_id)` (record_id None to add)."""

    label: str
    opens: editors.EditorOpener
    kind: str = ""
    """Which rows it edits, when a tab lists several kinds (row keys are "kind:hex")."""


@dataclass(frozen=True)
class Tab:
    id: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[CustomerFile, ZoneInfo], list[Row]]
    empty: str
    editors: tuple[Editor, ...] = ()


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _one_line(text: str | None, width: int = 60) -> str:
    flat = (text or "").replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def _contacts(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (c.id.hex,
         [c.name, c.role or "", c.phone or "", c.mobile or "", c.email or "",
          "✓" if c.is_primary else ""])
        for c in f.contacts
    ]


def _plans(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (p.id.hex, [_when(p.scheduled_at, zone), _(p.method.value), _(p.status.value),
                    _one_line(p.agenda, 40), _one_line(p.outcome, 40)])
        for p in f.plans
    ]


def _needs(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (n.id.hex, [_when(n.noted_at, zone), _(n.kind.value), _(n.priority.value),
                    _one_line(n.text), _money(n.budget)])
        for n in f.needs
    ]


def _proposals(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    current = current_version(f.proposals)
    return [
        (p.id.hex, [f"v{p.version}", p.title, status_label(p, current),
                    _money(proposal_total(f.proposal_lines.get(p.id, []))), _day(p.valid_until)])
        for p in f.proposals
    ]


def _negotiations(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    rows: list[Row] = []
    for n in f.negotiations:
        points = f.points.get(n.id, [])
        agreed = sum(1 for p in points if p.kind.value == "agreed")
        open_ = sum(1 for p in points if p.kind.value == "open" and not p.resolved)
        rows.append((n.id.hex, [_when(n.held_at, zone), _one_line(n.their_attendees, 30),
                                str(agreed), str(open_), _one_line(n.next_steps, 40)]))
    return rows


def _legal(c: Contract, zone: ZoneInfo) -> str:
    """The verdict with who gave it and on which day (issue 14.10)."""
    from salesdev_tui.domain.legal_approval import approved_by

    day = c.legal_reviewed_at.astimezone(zone).date().isoformat() if c.legal_reviewed_at else None
    return approved_by(c.legal_review, c.legal_reviewer, day)


def _contracts(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    from salesdev_tui.models.tables import CONTRACT_CLAUSES

    rows: list[Row] = []
    for c in f.contracts:
        filled = sum(1 for clause in CONTRACT_CLAUSES if (getattr(c, clause) or "").strip())
        rows.append((c.id.hex, [c.number or "", _money(c.value), _money(c.cost),
                                f"{filled}/6", _legal(c, zone), _when(c.signed_at, zone)]))
    return rows


def _follow_up(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    rows: list[Row] = [
        (f"milestone:{m.id.hex}",
         [_(m.kind.value), m.title, _day(m.due_on), _when(m.done_at, zone)])
        for m in f.milestones
    ]
    rows += [
        (f"report:{r.id.hex}",
         [_("report"), _one_line(r.summary, 40), r.channel or "", _when(r.sent_at, zone)])
        for r in f.progress_reports
    ]
    return rows


def _surveys(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (s.id.hex, [_when(s.taken_at, zone), str(s.score), _(s.method.value) if s.method else "",
                    _one_line(s.comment)])
        for s in f.surveys
    ]


def _credit(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (c.id.hex, [_day(c.checked_on), c.rating.value, c.source or "", _money(c.credit_limit),
                    _one_line(c.notes, 40)])
        for c in f.credit_checks
    ]


def _competitors(f: CustomerFile, zone: ZoneInfo) -> list[Row]:
    return [
        (c.id.hex, [c.competitor, _one_line(c.offer, 30), _one_line(c.strengths, 30),
                    _one_line(c.weaknesses, 30)])
        for c in f.competitor_notes
    ]


#: Fields whose stored value is a vocabulary word ("trade_show"): the history shows it as the
#: rest of the UI names it ("trade show", translated), not as stored.
_VOCABULARY_FIELDS = frozenset({
    "stage", "source", "potential", "size", "purchasing_power", "method", "status", "kind",
    "priority", "legal_review", "rating", "period_kind", "kpi",
})
_VOCABULARY = frozenset(
    member.value
    for vocabulary in vars(enums).values()
    if isinstance(vocabulary, type) and issubclass(vocabulary, StrEnum)
    and vocabulary is not StrEnum
    for member in vocabulary
)


def _history_value(value: str | None, zone: ZoneInfo, field: str = "") -> str:
    if value is None or not value.strip():
        return "—"
    if field in _VOCABULARY_FIELDS and value in _VOCABULARY:
        return _(value.replace("_", " "))
    # A stored time is ISO UTC text: shown as the rep's local time (issue 14.18).
    value = shown_time_text(value, zone)
    return {"True": _("yes"), "False": _("no")}.get(value, _one_line(value, 24))


def _history_record(edit: FieldEdit, contact_names: dict[uuid.UUID, str]) -> str:
    """Which record changed: "customer", "contact: Jane Wu", "needs note", …"""
    what = _(edit.entity.replace("_", " "))
    name = contact_names.get(edit.entity_id) if edit.entity == "contact" else None
    return _("{record}: {name}").format(record=what, name=_one_line(name, 24)) if name else what


def _history_change(edit: FieldEdit, zone: ZoneInfo) -> str:
    if edit.field == "deleted_at":
        return _("deleted") if edit.new_value else _("restored")
    return _("{field}: {old} → {new}").format(
        field=field_label(edit.field), old=_history_value(edit.old_value, zone, edit.field),
        new=_history_value(edit.new_value, zone, edit.field),
    )


def _history(f: CustomerFile, zone: ZoneInfo, rep_name: str = "") -> list[Row]:
    """Stage moves and every edit of the customer's information: when, who, what, change.

    Who is the rep by name (`services.history_view.shown_actor`), times local."""
    login = login_name()
    rows: list[tuple[datetime, Row]] = []
    for s in f.stage_changes:
        change = f"{_(s.from_stage.value) if s.from_stage else '—'} → {_(s.to_stage.value)}"
        cells = [_when(s.changed_at, zone), "", _("stage"), change, _one_line(s.reason, 50)]
        rows.append((s.changed_at, (f"stage:{s.id.hex}", cells)))
    contact_names = {c.id: c.name for c in f.contacts}
    for e in f.field_edits:
        cells = [_when(e.edited_at, zone), shown_actor(e.edited_by, rep_name, login),
                 _history_record(e, contact_names), _history_change(e, zone), ""]
        rows.append((e.edited_at, (f"edit:{e.id.hex}", cells)))
    return [row for _at, row in sorted(rows, key=lambda pair: pair[0])]


def customer_tabs(rep_name: str = "") -> tuple[Tab, ...]:
    """The tabs in the policy's order; built on call so the labels follow the language.

    `rep_name` (config) names the rep in the history's "who"."""
    return (
        Tab("contacts", _("Contacts"), (_("name"), _("role"), _("phone"), _("mobile"),
                                        _("e-mail"), _("primary")), _contacts,
            _("No contact people yet."),
            (Editor(_("Add contact person"), editors.contact_form),)),
        Tab("plans", _("Plans"), (_("when"), _("how"), _("status"), _("agenda"), _("outcome")),
            _plans, _("No contact planned yet."),
            (Editor(_("Plan a contact"), editors.plan_form),)),
        Tab("needs", _("Needs"), (_("noted"), _("kind"), _("priority"), _("need"), _("budget")),
            _needs, _("No needs noted yet."),
            (Editor(_("Note a need"), editors.needs_form),)),
        Tab("proposals", _("Proposals"), (_("ver."), _("title"), _("status"), _("total"),
                                          _("valid until")), _proposals, _("No proposal yet."),
            (Editor(_("New proposal"), editors.proposal_editor),)),
        Tab("negotiations", _("Minutes"), (_("held"), _("their side"), _("agreed"), _("open"),
                                           _("next steps")), _negotiations,
            _("No negotiation minutes yet."),
            (Editor(_("Write minutes"), editors.negotiation_editor),)),
        Tab("contract", _("Contract"), (_("number"), _("value"), _("cost"), _("clauses"),
                                        _("legal review"), _("signed")), _contracts,
            _("No contract yet."),
            (Editor(_("Draft the contract"), editors.contract_editor),)),
        Tab("follow-up", _("Follow-up"), (_("kind"), _("what"), _("due / channel"), _("done")),
            _follow_up, _("No follow-up yet (after signing)."),
            (Editor(_("Add a milestone or the kick-off"),
                    editors.milestone_form, "milestone"),
             Editor(_("Record a progress report"),
                    editors.progress_report_form, "report"))),
        Tab("satisfaction", _("Satisfaction"), (_("taken"), _("score"), _("how"), _("comment")),
            _surveys, _("No survey yet."),
            (Editor(_("Record a survey"), editors.survey_form),)),
        Tab("credit", _("Credit"), (_("checked"), _("rating"), _("source"), _("limit"),
                                    _("notes")), _credit, _("No credit check yet."),
            (Editor(_("Record a credit check"),
                    editors.credit_form),)),
        Tab("competitors", _("Competitors"), (_("competitor"), _("offer"), _("strengths"),
                                              _("weaknesses")), _competitors,
            _("No competitor noted."),
            (Editor(_("Note a competitor"),
                    editors.competitor_form),)),
        Tab("history", _("History"), (_("when"), _("who"), _("what"), _("change"),
                                      _("reason")),
            partial(_history, rep_name=rep_name), _("No history yet.")),
    )
