"""Market research (policy III.1): notes by industry or region, and the customers they found.

`a` adds a note, enter edits the highlighted one, `l` links a customer to it (the customer's
source becomes "research" if it had none; the link is in the customer's history).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import DataTable, Header, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.store.research import ResearchRow


def render_note(row: ResearchRow) -> Text:
    """The highlighted note in full, as literal text (never markup)."""
    note = row.note
    text = Text()
    text.append(note.title, style="bold")
    place = " · ".join(p for p in (note.industry, note.region) if p)
    if place:
        text.append(f"   {place}", style="dim")
    for label, value in ((_("Trends"), note.trends),
                         (_("Competitors seen"), note.competitors_seen),
                         (_("Leads found"), note.leads_found)):
        # The colon goes through the catalogue with the label: Chinese writes "：".
        text.append("\n" + _("{label}: ").format(label=label), style="bold")
        text.append(value or "—")
    text.append("\n" + _("Customers from this research: "), style="bold")
    text.append(", ".join(c.name for c in row.customers) or _("none linked yet (l links one)"))
    return text


class ResearchTable(DataTable[Text]):
    """The notes; enter edits the highlighted one."""

    # Replaces DataTable's hidden enter, so the footer says what enter does here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Edit"), id="research-edit",
                tooltip=N_("Edit the highlighted note (ctrl+d there deletes it)")),
    ]


class ResearchScreen(DbScreen):
    """Research notes, newest first, with the highlighted one in full below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="research-back"),
        Binding("a", "add", N_("Add note"), id="research-add",
                tooltip=N_("Write a new market research note")),
        Binding("l", "link", N_("Link customer"), id="research-link",
                tooltip=N_("Link a customer found through the highlighted note")),
    ]

    rows: var[list[ResearchRow]] = var(list)
    """The notes shown, newest first."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Market research"), id="research-title", classes="section-title")
        yield Static(Text(_("No research notes yet: a adds one.")), id="research-empty",
                     classes="muted -hidden")
        yield ResearchTable(id="research-table", cursor_type="row")
        yield Static(Text(""), id="research-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Market research")
        self.query_one(ResearchTable).add_columns(
            _("noted"), _("title"), _("industry"), _("region"), _("customers")
        )
        self.watch(self.app, "data_version", self._reload)

    def _reload(self, version: int) -> None:
        if version == 0:
            return
        self.run_db(lambda store: store.research.research_notes(), self._loaded, group="research")

    def _loaded(self, rows: list[ResearchRow]) -> None:
        self.rows = rows

    def watch_rows(self, rows: list[ResearchRow]) -> None:
        table = self.query_one(ResearchTable)
        keep = self._highlighted_id()
        table.clear()
        for row in rows:
            note = row.note
            table.add_row(
                Text(note.noted_on.isoformat()), Text(note.title), Text(note.industry or ""),
                Text(note.region or ""), Text(str(len(row.customers))), key=note.id.hex,
            )
        if keep is not None and keep.hex in {r.note.id.hex for r in rows}:
            table.move_cursor(row=table.get_row_index(keep.hex))
        self.query_one("#research-empty").set_class(bool(rows), "-hidden")
        table.set_class(not rows, "-hidden")
        self._show_detail()

    def _highlighted_id(self) -> uuid.UUID | None:
        table = self.query_one(ResearchTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return uuid.UUID(key) if key else None

    def _highlighted(self) -> ResearchRow | None:
        note_id = self._highlighted_id()
        return next((r for r in self.rows if r.note.id == note_id), None)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self._highlighted()
        self.query_one("#research-detail", Static).update(
            render_note(row) if row is not None else Text("")
        )

    # -- actions --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add(self) -> None:
        from salesdev_tui.forms.research_form import ResearchNoteFormScreen

        self.app.push_screen(ResearchNoteFormScreen(None, None))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from salesdev_tui.forms.research_form import ResearchNoteFormScreen

        note_id = self._highlighted_id()
        if note_id is None:
            self.notify(_("No note to edit: a adds one."), severity="warning")
            return
        self.app.push_screen(ResearchNoteFormScreen(None, note_id))

    def action_link(self) -> None:
        from salesdev_tui.dialogs.customer_pick import CustomerPickScreen

        row = self._highlighted()
        if row is None:
            self.notify(_("Highlight a research note first."), severity="warning")
            return
        note_id, title = row.note.id, row.note.title

        def picked(customer_id: uuid.UUID | None) -> None:
            if customer_id is None:
                return
            self.run_db(lambda store: store.research.link_research_note(customer_id, note_id),
                        lambda customer: self._linked(customer, title), group="research-link")

        self.app.push_screen(
            CustomerPickScreen(_("Link a customer to: {title}").format(title=title)), picked
        )

    def _linked(self, customer: Customer, title: str) -> None:
        self.sales_app.changed()
        self.notify(_("{customer} is linked to the research note {title}.").format(
            customer=customer.name, title=title), markup=False)
