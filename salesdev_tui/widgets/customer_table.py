"""The customer list: a DataTable that shows one window of rows loaded from the database.

The screen owns the window (`customers`, a few pages of 100) and loads pages by keyset; the
table only shows it, and asks for more with `NearEnd` / `NearStart` when the cursor comes
close to an edge. Every cell is a `rich.text.Text`, never a markup string, so a company
called `[/]` or `[@click=app.quit]x[/]` shows exactly that; Rich measures cells by display
width, so CJK names (two cells a character) line up with the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from salesdev_tui.domain.locale_format import format_moment
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import WORST_CREDIT_RATING, Source, Stage
from salesdev_tui.widgets.marks import MarkableTable
from salesdev_tui.widgets.theme_colours import Colours

if TYPE_CHECKING:
    # Only for types: the store pulls in SQLModel, which must not load before first paint.
    from salesdev_tui.store.search import CustomerListRow

#: Ask for the next (or previous) page when the cursor is this close to an edge.
NEAR_EDGE = 20


def _stage_labels() -> dict[Stage, str]:
    return {
        Stage.PROSPECT: _("prospect"),
        Stage.CONTACTED: _("contacted"),
        Stage.NEEDS: _("needs"),
        Stage.PROPOSAL: _("proposal"),
        Stage.NEGOTIATION: _("negotiation"),
        Stage.CONTRACT: _("contract"),
        Stage.WON: _("won"),
        Stage.LOST: _("lost"),
    }


def _source_labels() -> dict[Source, str]:
    return {
        Source.TRADE_SHOW: _("trade show"),
        Source.ONLINE: _("online"),
        Source.REFERRAL: _("referral"),
        Source.RESEARCH: _("research"),
        Source.OTHER: _("other"),
    }


class CustomerTable(MarkableTable):
    """Customers of the loaded window; row keys are customer ids (marks: `MarkableTable`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # "Open customer", as on Today: a bare "Open" is also the minutes' open point
        # (未決 in Chinese), and the catalogue has one translation per English text.
        Binding("enter", "select_cursor", N_("Open customer"), id="customer-open",
                tooltip=N_("Open the highlighted customer")),
    ]

    customers: reactive[list[CustomerListRow]] = reactive(list, init=False, always_update=True)
    """The loaded window, in list order (set by the screen; never the whole list)."""
    search_id: reactive[int] = reactive(0, init=False)
    """Changed by the screen for a new search: its first rows start at the top, cursor on
    the first row. Rows of the same search keep the highlighted customer where it was."""

    #: (key, header, width in cells). Fixed widths: a long name is cut with an ellipsis
    #: instead of widening the table; 115 cells with padding, for a 120-column terminal.
    COLUMNS: ClassVar[tuple[tuple[str, str, int], ...]] = (
        ("name", N_("Name"), 26),
        ("stage", N_("Stage"), 11),
        ("potential", N_("Pot."), 4),
        ("credit", N_("Cr."), 3),
        ("industry", N_("Industry"), 12),
        ("source", N_("Source"), 10),
        ("next", N_("Next contact"), 15),
        ("last", N_("Last activity"), 13),
        ("idle", N_("Idle"), 4),
    )

    class Opened(Message):
        """Enter on a row: open this customer."""

        def __init__(self, customer_id: uuid.UUID) -> None:
            super().__init__()
            self.customer_id = customer_id

    class Highlighted(Message):
        """The cursor moved to this customer (None: the table is empty)."""

        def __init__(self, customer_id: uuid.UUID | None) -> None:
            super().__init__()
            self.customer_id = customer_id

    class NearEnd(Message):
        """The cursor is close to the last loaded row: load the page after the window."""

    class NearStart(Message):
        """The cursor is close to the first loaded row: load the page before the window."""

    def __init__(
        self, zone: ZoneInfo, *, id: str | None = None  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.zone = zone
        self._shown_search = 0
        self._stages = _stage_labels()
        self._sources = _source_labels()

    def on_mount(self) -> None:
        for key, header, width in self.COLUMNS:
            self.add_column(Text(_(header)), key=key, width=width)
        self._add(self.customers)  # rows set before the columns existed

    @property
    def highlighted_id(self) -> uuid.UUID | None:
        """The customer under the cursor."""
        if not self.row_count:
            return None
        return uuid.UUID(str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value))

    # -- cells ----------------------------------------------------------------------------

    def _when(self, moment: datetime | None, fmt: str) -> Text:
        if moment is None:
            return Text("—", style="dim")
        return Text(format_moment(moment.astimezone(self.zone), fmt))

    def _rating(self, row: CustomerListRow) -> Text:
        if row.credit_rating is None:
            return Text("—", style="dim")
        worst = row.credit_rating == WORST_CREDIT_RATING
        style = f"bold {Colours.of(self.app).error}" if worst else ""
        return Text(row.credit_rating.value, style=style)

    def cells(self, row: CustomerListRow) -> list[Text]:
        """The cells of one customer: literal text, never parsed as markup."""
        return [
            Text(row.name, no_wrap=True, overflow="ellipsis"),
            Text(self._stages[row.stage]),
            Text(row.potential.value if row.potential else ""),
            self._rating(row),
            Text(row.industry or "", no_wrap=True, overflow="ellipsis"),
            Text(self._sources[row.source] if row.source else ""),
            self._when(row.next_plan_at, "%a %m-%d %H:%M"),
            self._when(row.last_activity_at, "%Y-%m-%d"),
            Text(str(row.days_idle), justify="right"),
        ]

    # -- the window -----------------------------------------------------------------------

    def watch_customers(
        self, old: list[CustomerListRow], new: list[CustomerListRow]
    ) -> None:
        if not self.columns:
            return
        new_search = self.search_id != self._shown_search
        self._shown_search = self.search_id
        keep = None if new_search else self.highlighted_id
        if not new_search and new == old:
            return  # a reload that changed nothing: nothing to redraw
        if not new_search and old and len(new) > len(old) and new[: len(old)] == old:
            # The next page arrived: add it below, nothing else moves.
            self._add(new[len(old):])
            self.check_edges()
            return
        # Anything else (a new search, a page before, a page dropped): rebuild, keeping the
        # highlighted customer where it was on screen.
        screen_row = self.cursor_row - round(self.scroll_y)
        self.clear()
        self._add(new)
        index = next((i for i, r in enumerate(new) if r.id == keep), None)
        if index is None:
            self.move_cursor(row=0, scroll=False)
            self.call_after_refresh(self.scroll_to, y=0, animate=False)
        else:
            self.move_cursor(row=index, scroll=False)
            target = max(0, index - max(0, screen_row))
            self.call_after_refresh(self.scroll_to, y=target, animate=False)
        if not new:
            self.post_message(self.Highlighted(None))
        self.check_edges()

    def language_changed(self) -> None:
        """The language was switched (widgets.relabel): the rows' labels said again."""
        self._stages = _stage_labels()
        self._sources = _source_labels()
        if self.columns and self.customers:
            keep = self.cursor_coordinate
            self.clear()
            self._add(self.customers)
            self.cursor_coordinate = keep

    def _add(self, rows: Sequence[CustomerListRow]) -> None:
        for row in rows:
            self.add_row(*self.cells(row), key=row.id.hex)
        self.show_marks()

    def check_edges(self) -> None:
        """Ask for the page after (or before) the window when the cursor is near its edge.

        Run on every move and again whenever rows arrive: a move near the edge while a page
        was loading asked for nothing, and at the window's last row the cursor cannot move to
        ask again, so the list stalled there (issue 14.3).
        """
        if not self.row_count:
            return
        if self.cursor_row >= self.row_count - NEAR_EDGE:
            self.post_message(self.NearEnd())
        elif self.cursor_row < NEAR_EDGE:
            self.post_message(self.NearStart())

    def action_cursor_down(self) -> None:
        at_edge = self.cursor_row >= self.row_count - 1
        super().action_cursor_down()
        if at_edge:  # no move, so no RowHighlighted: ask for the next page here
            self.check_edges()

    def action_cursor_up(self) -> None:
        at_edge = self.cursor_row <= 0
        super().action_cursor_up()
        if at_edge:
            self.check_edges()

    # -- messages -------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(_row_id(event.row_key)))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != self.cursor_row or event.cursor_row >= self.row_count:
            return  # stale: the rows were rebuilt since (clear() highlights row 0 on its way)
        self.post_message(self.Highlighted(_row_id(event.row_key)))
        self.check_edges()


def _row_id(key: RowKey) -> uuid.UUID:
    return uuid.UUID(str(key.value))

