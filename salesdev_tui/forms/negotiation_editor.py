"""Negotiation minutes (policy III.6): who met when, the points, next steps, private notes.

The points are a draft until ctrl+s, which saves the header and every point in one
transaction. On the points list: a / g / o add key information, a point agreed or a point
still open; enter or e edits; d deletes; space ticks a point resolved; c carries an agreed
point into a clause of the customer's open contract (saving the minutes first).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from salesdev_tui.domain.validation import (
    InvalidInput,
    NegotiationInput,
    NegotiationPointInput,
    validate,
)
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PointKind
from salesdev_tui.screens.base import DbModal, storage_message
from salesdev_tui.store.negotiations import Minutes, PointDraft
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.minutes_points import PointTable

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Contract, Customer
    from salesdev_tui.store.combined import Store

_HEADER = ("held_at", "our_attendees", "their_attendees", "next_steps", "strategy_notes")


@dataclass(frozen=True)
class _Loaded:
    customer: Customer
    minutes: Minutes | None
    contract: Contract | None


def _point_key(draft: PointDraft) -> tuple[object, ...]:
    return (draft.id, draft.data.kind, draft.data.text, draft.data.resolved)


class NegotiationScreen(DbModal[bool]):
    """Writes or edits one set of minutes; dismisses True when saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="minutes-save", priority=True,
                tooltip=N_("Save the minutes and all their points")),
        Binding("escape", "cancel", N_("Close"), id="minutes-cancel",
                tooltip=N_("Close; asks first if something is not saved")),
    ]

    def __init__(self, customer_id: uuid.UUID, record_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.record_id = record_id
        self.contract: Contract | None = None
        self._proposal_id: uuid.UUID | None = None
        self._saved: tuple[tuple[str, ...], tuple[tuple[object, ...], ...]] = ((), ())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog minutes-editor"):
            yield Label(_("Negotiation minutes"), id="minutes-title", classes="dialog-title")
            with Horizontal(classes="minutes-row"):
                yield Label(_("Held on"), classes="minutes-label")
                yield Input(id="held_at", compact=True,
                            placeholder=_("2026-12-01 14:30, today 10, yesterday 15"))
            yield Label("", id="e-held_at", classes="field-error -hidden")
            with Horizontal(classes="minutes-row"):
                yield Label(_("Our side"), classes="minutes-label")
                yield Input(id="our_attendees", compact=True, placeholder=_("Who attended"))
                yield Label(_("Their side"), classes="minutes-label")
                yield Input(id="their_attendees", compact=True, placeholder=_("Who attended"))
            yield Label("", id="e-attendees", classes="field-error -hidden")
            yield Label(
                _("Points · a key info · g agreed · o open · enter edit · d delete · "
                  "space resolved · c into contract"),
                classes="minutes-points-title",
            )
            yield Static(_("No points yet: tab here, then press a, g or o."),
                         id="points-empty", classes="muted")
            yield PointTable(id="minutes-points", cursor_type="row")
            yield Label(_("Next steps"), classes="minutes-section")
            yield TextArea(id="next_steps", soft_wrap=True, tab_behavior="focus",
                           compact=True, classes="minutes-area")
            yield Label(_("PRIVATE · strategy notes: never exported for the customer"),
                        classes="minutes-section minutes-private-label")
            yield TextArea(id="strategy_notes", soft_wrap=True, tab_behavior="focus",
                           compact=True, classes="minutes-area minutes-private")
            yield Label("", id="minutes-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="minutes-save",
                             compact=True)
                yield Button(_("Close (esc)"), id="minutes-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.record_id is None:
            from salesdev_tui.domain.when import format_when

            app = self.sales_app
            self.query_one("#held_at", Input).value = format_when(app.clock(), app.settings.zone)
        self.watch(self.query_one(PointTable), "points", self._points_changed)
        self._saved = self._snapshot()
        # New minutes start at the date; saved ones at their points (tick, add, carry).
        start = "#held_at" if self.record_id is None else "#minutes-points"
        self.query_one(start).focus()
        self.run_db(self._load, self._loaded, group="minutes-load")

    def _load(self, store: Store) -> _Loaded:
        minutes = None
        if self.record_id is not None:
            minutes = store.negotiations.minutes_with_points(self.record_id)
        return _Loaded(store.customers.get_customer(self.customer_id), minutes,
                       store.contracts.open_contract(self.customer_id))

    def _loaded(self, loaded: _Loaded) -> None:
        self.contract = loaded.contract
        title = self.query_one("#minutes-title", Label)
        title.update(Text(_("Negotiation minutes · {name}").format(name=loaded.customer.name)))
        if loaded.minutes is not None:
            self._show_minutes(loaded.minutes)

    def _show_minutes(self, minutes: Minutes) -> None:
        from salesdev_tui.domain.when import format_when

        row = minutes.negotiation
        self.record_id = row.id
        self._proposal_id = row.proposal_id
        self.query_one("#held_at", Input).value = format_when(
            row.held_at, self.sales_app.settings.zone
        )
        for name in ("our_attendees", "their_attendees"):
            self.query_one(f"#{name}", Input).value = getattr(row, name) or ""
        for name in ("next_steps", "strategy_notes"):
            self.query_one(f"#{name}", TextArea).text = getattr(row, name) or ""
        self.query_one(PointTable).points = tuple(
            # Stored points were checked when written: no second validation on the UI thread.
            PointDraft(
                NegotiationPointInput.model_construct(kind=p.kind, text=p.text,
                                                      resolved=p.resolved),
                p.id,
            )
            for p in minutes.points
        )
        self._saved = self._snapshot()

    # -- the draft ------------------------------------------------------------------------

    @property
    def points(self) -> tuple[PointDraft, ...]:
        return self.query_one(PointTable).points

    def _points_changed(self, points: tuple[PointDraft, ...]) -> None:
        self.query_one("#points-empty").set_class(bool(points), "-hidden")

    def _texts(self) -> tuple[str, ...]:
        inputs = tuple(self.query_one(f"#{n}", Input).value for n in _HEADER[:3])
        return inputs + tuple(self.query_one(f"#{n}", TextArea).text for n in _HEADER[3:])

    def _snapshot(self) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
        return self._texts(), tuple(_point_key(p) for p in self.points)

    def is_dirty(self) -> bool:
        return self._snapshot() != self._saved

    # -- saving ---------------------------------------------------------------------------

    def _header(self) -> NegotiationInput | None:
        """The checked header, or None after showing what is wrong at its field."""
        from salesdev_tui.domain.when import parse_when

        app = self.sales_app
        held, ours, theirs, steps, notes = self._texts()
        problems: dict[str, str] = {}
        data: dict[str, object] = {"proposal_id": self._proposal_id, "our_attendees": ours,
                                   "their_attendees": theirs, "next_steps": steps,
                                   "strategy_notes": notes}
        try:
            data["held_at"] = parse_when(held, app.clock(), app.settings.zone)
        except ValueError as exc:
            problems["held_at"] = _("Held on: {problem}").format(problem=exc)
        header = None
        try:
            header = validate(NegotiationInput, data)
        except InvalidInput as exc:
            problems = {**exc.by_field(), **problems}
        self._show_problems(problems)
        return None if problems else header

    def _show_problems(self, problems: dict[str, str]) -> None:
        attendees = problems.get("our_attendees") or problems.get("their_attendees")
        general = [m for f, m in problems.items()
                   if f not in ("held_at", "our_attendees", "their_attendees")]
        for widget_id, message in (("#e-held_at", problems.get("held_at")),
                                   ("#e-attendees", attendees),
                                   ("#minutes-error", "\n".join(general) or None)):
            label = self.query_one(widget_id, Label)
            label.update(Text(message or ""))
            label.set_class(not message, "-hidden")
        if "held_at" in problems:
            self.query_one("#held_at", Input).focus()

    def _failed(self, exc: BaseException) -> bool:
        from salesdev_tui.domain.contracts import ContractRefused

        if isinstance(exc, ContractRefused | InvalidInput | LookupError):
            message = str(exc)
        else:
            message = storage_message(exc) or _("Not saved: {problem}. Your input is kept.").format(
                problem=exc
            )
        self._show_problems({"": message})
        self.notify(message, severity="error", markup=False)
        return True

    @on(Button.Pressed, "#minutes-save")
    def action_save(self) -> None:
        header = self._header()
        if header is None:
            return
        points, record_id = self.points, self.record_id

        def done(minutes: Minutes) -> None:
            self._show_minutes(minutes)
            self.sales_app.changed()
            self.notify(_("Minutes saved."), markup=False)
            self.dismiss(True)

        self.run_db(
            lambda store: store.negotiations.save_minutes(self.customer_id, header, points,
                                             negotiation_id=record_id),
            done, failed=self._failed, group="minutes-save",
        )

    def action_carry_point(self) -> None:
        from salesdev_tui.dialogs.choice import ChoiceScreen
        from salesdev_tui.domain.contracts import CLAUSES, clause_label

        index = self.query_one(PointTable).highlighted()
        if index is None:
            return
        if self.points[index].data.kind != PointKind.AGREED:
            self.notify(_("Only a point agreed can be carried into a contract clause."),
                        severity="warning")
            return
        if self.contract is None:
            self.notify(_("This customer has no open contract yet: draft one on the "
                          "Contract tab first."), severity="warning")
            return
        contract = self.contract

        def chosen(choice: int | None) -> None:
            if choice is not None:
                self._carry(index, contract.id, CLAUSES[choice])

        number = contract.number or _("(no number yet)")
        self.app.push_screen(
            ChoiceScreen(_("Carry into which clause of contract {number}?").format(number=number),
                         [clause_label(clause) for clause in CLAUSES]),
            chosen,
        )

    def _carry(self, index: int, contract_id: uuid.UUID, clause: str) -> None:
        """Save the minutes when they changed (the point needs its id), then carry it."""
        from salesdev_tui.domain.contracts import clause_label

        header = None
        if self.is_dirty() or self.points[index].id is None:
            header = self._header()
            if header is None:
                return
        points, record_id = self.points, self.record_id

        def call(store: Store) -> tuple[Minutes | None, Contract]:
            minutes = None
            point_id = points[index].id
            if header is not None:
                minutes = store.negotiations.save_minutes(self.customer_id, header, points,
                                             negotiation_id=record_id)
                point_id = minutes.points[index].id
            assert point_id is not None
            return minutes, store.contracts.carry_point_into_clause(point_id, contract_id, clause)

        def done(result: tuple[Minutes | None, Contract]) -> None:
            minutes, contract = result
            if minutes is not None:
                self._show_minutes(minutes)
            self.contract = contract
            self.sales_app.changed()
            self.notify(_("Carried into “{clause}” of contract {number}.").format(
                clause=clause_label(clause), number=contract.number or "—"), markup=False)

        self.run_db(call, done, failed=self._failed, group="minutes-save")

    @on(Button.Pressed, "#minutes-cancel")
    def action_cancel(self) -> None:
        from salesdev_tui.dialogs.discard import close_asking

        close_asking(self, self.is_dirty(), _("The minutes have unsaved changes."))
