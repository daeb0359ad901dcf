"""Write and revise a proposal (policy III.5): the offer's terms above, its line items below.

Everything by keys: tab walks the fields and then the grid's cells; enter or F2 edits a cell
(tab in the cell editor saves it and edits the next one), ctrl+n adds a line, ctrl+d deletes
one, alt+up/down moves one. Nothing is written until ctrl+s, which saves the terms and every
line in one transaction. Status keys (p, A, R), a new version (v) and the export (x) act on
what is saved. Past draft a proposal is frozen as the customer saw it; only the rep's private
notes stay editable.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, Static, TextArea

from salesdev_tui.domain.validation import field_label
from salesdev_tui.forms.proposal_actions import HEADER_FIELDS, HEADER_ROWS
from salesdev_tui.forms.proposal_cells import CellInput, ProposalCells
from salesdev_tui.forms.proposal_status import ProposalStatusActions
from salesdev_tui.i18n import N_, _
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.line_grid import LineGrid
from salesdev_tui.widgets.proposal_lines import LINE_FIELDS, DraftLine, column_labels
from salesdev_tui.widgets.theme_colours import Colours

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Proposal
    from salesdev_tui.models.views import ProposalWithLines

_COLUMN_WIDTHS = (32, 24, 8, 13, 7, 15)
_STATUS = Binding.Group(N_("Status"), compact=True)


class ProposalScreen(ProposalStatusActions, ProposalCells):
    """`ProposalScreen(customer_id, None)` writes a new proposal; with an id, edits that one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="proposal-save", priority=True,
                tooltip=N_("Save the terms and every line in one go")),
        Binding("escape", "back", N_("Back"), id="proposal-back",
                tooltip=N_("Back to the customer; asks first if something is not saved")),
        Binding("ctrl+n,insert", "add_line", N_("Add line"), id="proposal-add-line",
                tooltip=N_("Add a line item and edit it")),
        Binding("p", "set_status('presented')", N_("Presented"), id="proposal-presented",
                tooltip=N_("p: mark as presented to the customer (then it is frozen)"),
                group=_STATUS),
        Binding("A", "set_status('accepted')", N_("Accepted"), id="proposal-accepted",
                tooltip=N_("A: the customer accepted this proposal"), group=_STATUS),
        Binding("R", "set_status('rejected')", N_("Rejected"), id="proposal-rejected",
                tooltip=N_("R: the customer rejected this proposal"), group=_STATUS),
        Binding("v", "new_version", N_("New version"), id="proposal-new-version",
                tooltip=N_("Copy this proposal into a new draft version")),
        Binding("x", "export", N_("Export"), id="proposal-export",
                tooltip=N_("Write a Markdown or HTML copy for the customer")),
    ]

    def __init__(self, customer_id: uuid.UUID, record_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.record_id = record_id
        self.proposal: Proposal | None = None
        self.customer_name = ""
        self.lines: list[DraftLine] = []
        self.line_problems: dict[int, dict[str, str]] = {}
        self.editing: tuple[int, int] | None = None
        self._saved: object = None

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading…")), id="proposal-status")
        with Vertical(id="proposal-head"):
            for row in HEADER_ROWS:
                tall = any(kind == "area" for _n, kind in row)
                with Horizontal(classes="proposal-row -tall" if tall else "proposal-row"):
                    for name, kind in row:
                        with Vertical(classes="proposal-field"):
                            with Horizontal(classes="proposal-field-line"):
                                yield Label(self._label(name), classes="proposal-label")
                                if kind == "area":
                                    yield TextArea(id=f"f-{name}", soft_wrap=True,
                                                   tab_behavior="focus",
                                                   highlight_cursor_line=False)
                                else:
                                    yield Input(id=f"f-{name}", placeholder=self._hint(name))
                            yield Label("", id=f"e-{name}", classes="field-error -hidden")
        yield Label(_("Lines"), classes="section-title")
        yield LineGrid(len(LINE_FIELDS), id="proposal-lines")
        with Horizontal(id="cell-editor", classes="-hidden"):
            yield Label("", id="cell-editor-label")
            yield CellInput(id="cell-input")
        yield Label("", id="cell-error", classes="field-error -hidden")
        yield Static("", id="proposal-total")
        yield Label("", id="proposal-error", classes="field-error -hidden")
        yield KeyFooter(compact=True)

    @staticmethod
    def _label(name: str) -> str:
        if name == "notes":
            return _("Notes (private)")
        return field_label(name)

    @staticmethod
    def _hint(name: str) -> str:
        return {
            "title": _("What is offered, in a few words"),
            "valid_until": _("2026-12-31, +30d"),
            "notes": _("For you only: never exported"),
        }.get(name, "")

    def on_mount(self) -> None:
        self.title = _("Proposal")
        grid = self.query_one(LineGrid)
        currency = self.sales_app.settings.currency
        for label, width in zip(column_labels(currency), _COLUMN_WIDTHS, strict=True):
            grid.add_column(label, width=width)
        self._saved = self._state()
        self.query_one("#f-title").focus()
        if self.record_id is not None:
            record_id = self.record_id
            self.run_db(lambda store: store.proposals.proposal_with_lines(record_id), self.fill,
                        group="proposal-load")
        else:
            self.run_db(lambda store: store.customers.get_customer(self.customer_id),
                        lambda customer: self._named(customer.name), group="proposal-load")
            self.render_grid()

    def _named(self, name: str) -> None:
        self.customer_name = name
        self.sub_title = name
        self._render_status()

    def fill(self, found: ProposalWithLines) -> None:
        """Show a stored proposal (after loading, saving, a status change, a new version)."""
        proposal = found.proposal
        self.proposal, self.record_id = proposal, proposal.id
        self._named(found.customer_name)
        for name in HEADER_FIELDS:
            self._set_text(name, _as_text(getattr(proposal, name)))
            self.show_problem(name, "")
        currency = self.sales_app.settings.currency
        self.lines = [DraftLine.from_row(line, currency) for line in found.lines]
        self.line_problems = {}
        self.close_editor(focus_grid=False)
        self.render_grid()
        self._render_status()
        for name in HEADER_FIELDS:
            self.query_one(f"#f-{name}").disabled = self.locked and name != "notes"
        if self.focused is None or self.focused.disabled:
            self.query_one(LineGrid).focus()
        self.refresh_bindings()
        self._saved = self._state()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Light up the focused field's label. (A `:focus-within` rule on the field does not
        # repaint the label when focus leaves: Textual restyles only the focused widget's
        # ancestors.)
        for field in self.query(".proposal-field"):
            field.set_class(field.has_focus_within, "-focus")

    # -- state ----------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Past draft the offer is frozen (the rep makes a new version to change it)."""
        return self.proposal is not None and self.proposal.status.value != "draft"

    def field_text(self, name: str) -> str:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, TextArea):
            return widget.text
        return self.query_one(f"#f-{name}", Input).value

    def _set_text(self, name: str, text: str) -> None:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, TextArea):
            widget.load_text(text)
        else:
            self.query_one(f"#f-{name}", Input).value = text

    def _state(self) -> object:
        header = tuple(self.field_text(name) for name in HEADER_FIELDS)
        lines = tuple((line.line_id, *(line.texts[f] for f in LINE_FIELDS)) for line in self.lines)
        return header, lines

    def is_dirty(self) -> bool:
        """True when something typed is not saved (a cell being edited counts)."""
        if self.editing is not None:
            row, column = self.editing
            if self.query_one(CellInput).value != self.lines[row].texts[LINE_FIELDS[column]]:
                return True
        return self._state() != self._saved

    # -- showing --------------------------------------------------------------------------

    def _render_status(self) -> None:
        from salesdev_tui.domain.when import format_when

        text = Text()
        text.append(self.customer_name or "…", style="bold")
        if self.proposal is None:
            text.append("   " + _("new proposal (saved as a draft)"), style="dim")
        else:
            p = self.proposal
            text.append("   " + _("version {n}").format(n=p.version))
            text.append("  ")
            text.append(f" {_(p.status.value)} ", style="bold reverse")
            if p.presented_at is not None:
                when = format_when(p.presented_at, self.sales_app.settings.zone)
                text.append("  " + _("presented on {when}").format(when=when), style="dim")
            if self.locked:
                text.append("\n" + _("Frozen as the customer saw it: press v for a new version "
                                     "to change the offer (your notes stay editable)."),
                            style="dim")
        self.query_one("#proposal-status", Static).update(text)

    def render_grid(self, cursor: tuple[int, int] | None = None) -> None:
        grid = self.query_one(LineGrid)
        row, column = cursor if cursor is not None else grid.cursor_coordinate
        grid.clear()
        colours = Colours.of(self.app)
        for index, line in enumerate(self.lines):
            grid.add_row(*line.cells(self.line_problems.get(index, {}), colours),
                         label=Text(str(index + 1)))
        if self.lines:
            grid.move_cursor(row=min(row, len(self.lines) - 1),
                             column=min(column, len(LINE_FIELDS)))
        self._render_total()

    def _render_total(self) -> None:
        from salesdev_tui.domain.proposal_export import money_text
        from salesdev_tui.widgets.proposal_lines import running_total

        total, bad = running_total(self.lines)
        count = sum(1 for line in self.lines if not line.is_blank())
        text = Text()
        text.append(_("Total {currency} {amount}").format(
            currency=self.sales_app.settings.currency, amount=money_text(total)), style="bold")
        text.append("   " + _("{n} lines").format(n=count), style="dim")
        if bad:
            numbers = ", ".join(str(n) for n in bad)
            text.append("   " + _("not counted until fixed: line {numbers}").format(
                numbers=numbers), style=Colours.of(self.app).error)
        self.query_one("#proposal-total", Static).update(text)

    def show_problem(self, name: str, message: str) -> None:
        self.show_message(f"#e-{name}", message)

    def show_message(self, selector: str, message: str) -> None:
        label = self.query_one(selector, Label)
        label.update(Text(message))
        label.set_class(not message, "-hidden")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
