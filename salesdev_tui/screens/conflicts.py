"""The team sync's conflicts (issue 18.4): fields changed on two devices at once.

The sync merged field by field and kept the later change of each field; the value that
lost is kept in a conflict record, so nothing is silently overwritten. Here the rep reads
each one (the customer, the record and field, the value kept and the value lost, when) and
accepts the result (`a`) or restores the lost value (`u`): `usecases.sync.resolve`, the
same as `salesdev team conflicts --accept/--restore`. The next sync tells the rep's other
devices.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Header, Label, Static

from salesdev_tui.domain.sync_state import conflict_time_text, conflict_value_text
from salesdev_tui.domain.validation import field_label
from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.sync_conflicts import ConflictRow

#: Shares of the row's width (after "when" and the cell padding) for the customer, what
#: changed, the kept and the lost value: cut to fit, the whole of each is shown below.
_SHARES = (0.26, 0.26, 0.24, 0.24)
#: Cells of "when" ("11-16 14:30") and the padding of five columns' cells.
_FIXED = 11 + 2 * 6 + 2


def record_kind(table_name: str) -> str:
    """A table as the rep calls it ("contact plan"; store.base.RECORD_KINDS lists them)."""
    return _(table_name.replace("_", " "))


def _cut(text: str, width: int) -> Text:
    """`text` on one line, cut to `width` cells (a CJK character takes two)."""
    line = Text(" ".join(text.split()))
    if line.cell_len > width:
        line.truncate(width, overflow="ellipsis")
    return line


def _what(row: ConflictRow) -> str:
    """The record and the field: "contact: Phone"."""
    return _("{record}: {field}").format(record=record_kind(row.table_name),
                                         field=field_label(row.field))


class ConflictTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Open customer"), id="conflicts-open",
                tooltip=N_("Open the customer of the highlighted conflict")),
    ]


class ConflictsScreen(DbScreen):
    """The open conflicts, oldest first; the highlighted one's values in full below."""

    DEFAULT_CSS = """
    ConflictsScreen #conflicts-help, ConflictsScreen #conflicts-empty { padding: 0 1; }
    ConflictsScreen #conflict-table { height: 1fr; }
    ConflictsScreen #conflict-detail { height: 5; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="conflicts-back"),
        Binding("a", "resolve(False)", N_("Accept"), id="conflicts-accept",
                tooltip=N_("Keep the value the sync kept; the conflict is done")),
        Binding("u", "resolve(True)", N_("Restore"), id="conflicts-restore",
                tooltip=N_("Put the lost value back (sent by the next sync)")),
    ]

    rows: var[list[ConflictRow]] = var(list)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Sync conflicts"), classes="section-title")
        yield Static(Text(_("Each field below was changed on two devices at once; the sync"
                            " kept the later change. a accepts it, u puts the lost value"
                            " back.")), id="conflicts-help", classes="muted")
        yield Static(Text(_("No conflicts: your devices agree.")), id="conflicts-empty",
                     classes="muted -hidden")
        yield ConflictTable(id="conflict-table", cursor_type="row")
        with VerticalScroll(id="conflict-detail"):
            yield Static("", id="conflict-values")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Sync conflicts")
        self._table.add_columns(_("when"), _("customer"), _("what"), _("kept value"),
                                _("lost value"))
        self.watch(self.app, "data_version", self._reload)

    @property
    def _table(self) -> ConflictTable:
        return self.query_one(ConflictTable)

    def _reload(self, version: int) -> None:
        if version == 0:
            return

        def read(store: Store) -> list[ConflictRow]:
            from salesdev_tui.usecases.sync import conflicts

            return conflicts(store.db)

        self.run_db(read, self._loaded, group="conflicts")

    def _loaded(self, rows: list[ConflictRow]) -> None:
        self.rows = rows

    def watch_rows(self, rows: list[ConflictRow]) -> None:
        table = self._table
        keep = table.cursor_row
        table.clear()
        zone = self.sales_app.settings.zone
        room = max(40, self.size.width - _FIXED)
        customer, what, kept, lost = (max(8, int(room * share)) for share in _SHARES)
        for row in rows:
            table.add_row(
                Text(conflict_time_text(row.noted_at, zone)),
                _cut(row.customer_name or "—", customer),
                _cut(_what(row), what),
                _cut(conflict_value_text(row.kept_value, zone), kept),
                _cut(conflict_value_text(row.lost_value, zone), lost),
                key=row.id,
            )
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))
        self.query_one("#conflicts-empty").set_class(bool(rows), "-hidden")
        self.query_one("#conflicts-help").set_class(not rows, "-hidden")
        self._show_values()

    def on_resize(self) -> None:
        self.watch_rows(self.rows)

    def _current(self) -> ConflictRow | None:
        index = self._table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    @on(DataTable.RowHighlighted)
    def _show_values(self) -> None:
        row = self._current()
        values = self.query_one("#conflict-values", Static)
        if row is None:
            values.update("")
            return
        zone = self.sales_app.settings.zone
        values.update(Text("\n").join([
            Text(_("{what} of {customer}").format(what=_what(row),
                                                  customer=row.customer_name or "—"),
                 style="bold"),
            Text(_("Kept (the later change): {value}").format(
                value=conflict_value_text(row.kept_value, zone))),
            Text(_("Lost: {value}").format(value=conflict_value_text(row.lost_value, zone))),
        ]))

    @on(DataTable.RowSelected)
    def _open_customer(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self._current()
        if row is not None and row.customer_id:
            self.sales_app.open_customer(uuid.UUID(hex=row.customer_id))

    # -- actions --------------------------------------------------------------------------

    def action_resolve(self, restore: bool) -> None:
        row = self._current()
        if row is None:
            return
        clock = self.sales_app.clock

        def resolve(store: Store) -> bool:
            from salesdev_tui.usecases.sync import resolve

            return resolve(store.db, row.id, restore=restore, clock=clock)

        self.run_db(resolve, lambda done: self._resolved(done, restore), group="conflicts")

    def _resolved(self, done: bool, restore: bool) -> None:
        if done:
            self.app.notify(
                _("Restored the lost value; the next sync sends it.") if restore else
                _("Accepted; the next sync tells your other devices."), markup=False)
        self.sales_app.changed()  # reload here and elsewhere; the sync sends it soon

    def action_back(self) -> None:
        self.app.pop_screen()
