"""A customer's page: the header, stage moves by key, and a tab per step of the policy.

About 400 lines, kept whole: the bindings and actions of one screen. Its header
(widgets/customer_header.py), tabs (widgets/customer_tabs.py), merge (customer_merge.py)
and deletion (dialogs/delete_customer.py) live apart already.
"""
# Over 400 lines on purpose: the page's header, tabs and stage keys drive one customer's view.

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.reactive import var
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs

from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import Stage
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.store.customer_file import CustomerFile
from salesdev_tui.textual_patches.mode_stacks import in_a_stack
from salesdev_tui.widgets.customer_header import render_header
from salesdev_tui.widgets.customer_tabs import Editor, Tab, customer_tabs
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.theme_colours import Colours

_TAB_KEYS = "1234567890h"

if TYPE_CHECKING:
    from salesdev_tui.usecases.stage_flow import MoveDone


def open_page(app: App[Any], customer_id: uuid.UUID) -> None:
    """Show `customer_id`'s page on top of the current screen.

    Composing a page (eleven tabs, some sixty widgets) and styling it was half of the time
    a page took to open, so each mode keeps the page it first made and refills it. A page
    already in the stack (a customer opened from another's page) means a new one.
    """
    name = f"customer-page-{app.current_mode}"
    if not app.is_screen_installed(name):
        page = CustomerPageScreen(customer_id)
        app.install_screen(page, name)
        app.push_screen(page)
        return
    kept = app.get_screen(name)
    assert isinstance(kept, CustomerPageScreen)
    if in_a_stack(app, kept):
        app.push_screen(CustomerPageScreen(customer_id))
    else:
        kept.open_filled(customer_id)


class CustomerPageScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="page-back"),
        Binding("right_square_bracket", "stage_forward", N_("Next stage"), id="stage-forward",
                tooltip=N_("Move to the next stage (the gates are checked)")),
        Binding("left_square_bracket", "stage_back", N_("Stage back"), id="stage-back",
                tooltip=N_("Move back one stage (recorded in the history)")),
        Binding("L", "stage_lost", N_("Lost"), id="stage-lost",
                tooltip=N_("Mark as lost, with a reason")),
        Binding("a", "add", N_("Add"), id="page-add",
                tooltip=N_("Add a record to the tab shown (a contact, a plan, a need, …)")),
        Binding("e", "edit", N_("Edit"), id="page-edit",
                tooltip=N_("Edit the customer's information (every change is kept in History)")),
        # Not in the footer: a rare, destructive action (Help and the palette list it), and
        # the footer keeps room for the daily keys.
        Binding("ctrl+d", "delete_customer", N_("Delete"), id="customer-delete", show=False,
                tooltip=N_("Delete the customer (can be undone), or purge them for good")),
        # Before the undo of a deletion: a stage move just made is the one to take back.
        Binding("ctrl+z", "undo_stage", N_("Undo move"), id="stage-undo",
                tooltip=N_("Take back the stage move just made")),
        Binding("ctrl+z", "undo_delete", N_("Undo delete"), id="customer-undelete",
                tooltip=N_("Bring the customer just deleted back, with their records")),
        *[
            Binding(key, f"tab({index})", show=False, id=f"page-tab-{index}")
            for index, key in enumerate(_TAB_KEYS)
        ],
    ]

    file: var[CustomerFile | None] = var(None)
    """Everything recorded about the customer; None while loading."""

    deleted: var[bool] = var(False)
    """True once the customer was deleted from this page (the page stays, to offer undo)."""

    def __init__(self, customer_id: uuid.UUID) -> None:
        super().__init__()
        self.customer_id = customer_id
        #: The customer merged into this one from this page, while ctrl+z can undo it.
        self.merged_other: uuid.UUID | None = None
        #: The stage move made without a dialog, while ctrl+z can take it back.
        self.last_move: MoveDone | None = None
        self.tabs = customer_tabs(self.sales_app.settings.rep_name)
        # The page's widgets by tab, kept: a DOM query per tab cost ~2 ms, 40 ms a refill.
        self._header = Static(Text(_("Loading…")), id="customer-header")
        self._tabbed = TabbedContent(id="customer-tabs")
        self._panes = {tab.id: TabPane(f"{_TAB_KEYS[i]} {tab.title}", id=f"tab-{tab.id}")
                       for i, tab in enumerate(self.tabs)}
        self._notes = {tab.id: Static(Text(tab.empty), classes="muted tab-empty")
                       for tab in self.tabs}
        self._tables: dict[str, DataTable[Text]] = {}
        #: The tab whose table takes the focus once shown (a digit key asked for it).
        self._focus_table_of: str | None = None
        #: The row of the record last opened in an editor: the cursor goes back to it.
        self._edited_key: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield self._header
        # Only the first tab's table now; each other one when its tab is first shown. Eleven
        # DataTables took ~35 ms each to mount and style: ~330 ms before the page showed.
        with self._tabbed:
            for index, tab in enumerate(self.tabs):
                with self._panes[tab.id]:
                    yield self._notes[tab.id]
                    if index == 0:
                        yield self._new_table(tab)
        yield KeyFooter()

    def _new_table(self, tab: Tab) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(id=f"table-{tab.id}", cursor_type="row")
        table.add_columns(*tab.columns)
        self._tables[tab.id] = table
        return table

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._reload)

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = self._current_tab()
        if tab.id not in self._tables:
            await self._panes[tab.id].mount(self._new_table(tab))
            if self.file is not None:
                self._fill(tab, self.file)
        if self._focus_table_of == tab.id:
            self._focus_table_of = None
            self.call_after_refresh(self._focus_table, tab.id)

    def _focus_table(self, tab_id: str) -> None:
        """The focus in the tab's table, so arrows and enter reach its rows at once (issue
        21.5); an empty tab keeps it on the tabs (its note says what to add)."""
        table = self._tables.get(tab_id)
        # Only on the page in front: a dialog opened meanwhile keeps the focus it has.
        if table is not None and table.row_count and table.display and self.is_current:
            table.focus()

    def open_filled(self, customer_id: uuid.UUID) -> None:
        """Read `customer_id`'s file, then show this kept page with it: one layout and one
        paint, not a "Loading…" page first and a second pass when the rows come."""

        def loaded(file: CustomerFile) -> None:
            if in_a_stack(self.app, self):
                return  # shown already (enter pressed twice): the first read won
            self._show_customer(file)
            self.app.push_screen(self)

        self.run_db(lambda store: store.files.customer_file(customer_id), loaded,
                    group="customer-page")

    def _show_customer(self, file: CustomerFile) -> None:
        """This page as a new one would show `file`: its first tab, nothing of the last."""
        self.customer_id = file.customer.id
        self._edited_key = None
        self.last_move = None
        self.set_reactive(CustomerPageScreen.deleted, False)
        self.remove_class("-deleted")
        self._tabbed.active = f"tab-{self.tabs[0].id}"
        # Where a new page's auto focus lands; left alone when it is there already (a focus
        # move restyles the eleven tabs: ~5 ms).
        tabs = self._tabbed.query_one(Tabs)
        if self.focused is not tabs:
            self.set_focus(tabs)
        self.file = file

    def _reload(self, version: int) -> None:
        if version == 0 or self.deleted:
            return  # a deleted customer's page keeps what it showed, for the undo
        if not in_a_stack(self.app, self):
            return  # kept for the next visit, not shown: nothing to refresh
        self._load()

    def _load(self) -> None:
        self.run_db(lambda store: store.files.customer_file(self.customer_id), self._loaded,
                    group="customer-page")

    def _loaded(self, file: CustomerFile) -> None:
        self.file = file

    def watch_file(self, file: CustomerFile | None) -> None:
        if file is None:
            return
        settings = self.sales_app.settings
        self._header.update(render_header(file, settings.currency, Colours.of(self.app)))
        self.sub_title = file.customer.name
        for tab in self.tabs:
            self._fill(tab, file)

    def _fill(self, tab: Tab, file: CustomerFile) -> None:
        """Show `tab`'s rows (a tab not shown yet only gets its empty-or-not note)."""
        rows = tab.rows(file, self.sales_app.settings.zone)
        table = self._tables.get(tab.id)
        if table is not None:
            # The row the rep was on (or edited last) stays under the cursor: a reload after
            # a form closes must not throw it back to the first row (issue 21.5).
            keep = self._edited_key
            if table.row_count and (keep is None or keep not in table.rows):
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            table.clear()
            for key, cells in rows:
                # Literal text, control characters made visible (stored text may be older
                # than the write rules, or hand-edited).
                table.add_row(*(Text(visible(cell, multiline=True)) for cell in cells), key=key)
            index = next((i for i, (key, _cells) in enumerate(rows) if key == keep), None)
            if index is not None:
                table.move_cursor(row=index, animate=False)
            table.set_class(not rows, "-hidden")
        self._notes[tab.id].set_class(bool(rows), "-hidden")

    def palette_commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers while this page is shown."""
        # The palette renders titles as markup: the rep's text is escaped.
        name = escape(self.file.customer.name) if self.file else _("this customer")
        yield SystemCommand(_("Next stage: {name}").format(name=name),
                            _("Move forward through the gates"), self.action_stage_forward)
        yield SystemCommand(_("Stage back: {name}").format(name=name),
                            _("Move back one stage"), self.action_stage_back)
        yield SystemCommand(_("Mark lost: {name}").format(name=name),
                            _("With a reason"), self.action_stage_lost)
        yield SystemCommand(_("Edit: {name}").format(name=name),
                            _("The customer's information; changes go to History"),
                            self.action_edit)
        yield SystemCommand(_("Delete or purge: {name}").format(name=name),
                            _("Delete (can be undone), or purge for good"),
                            self.action_delete_customer)
        yield SystemCommand(_("Merge with…: {name}").format(name=name),
                            _("Move another customer's records into this one (can be undone)"),
                            self.action_merge)
        if self.merged_other is not None:
            yield SystemCommand(_("Undo merge: {name}").format(name=name),
                                _("The merged customer comes back with its records"),
                                self.action_undo_delete)
        for index, tab in enumerate(self.tabs):
            yield SystemCommand(_("Show {tab}").format(tab=tab.title),
                                _("Tab of the customer's page"),
                                partial(self.action_tab, index))

    # -- actions --------------------------------------------------------------------------

    def _current_tab(self) -> Tab:
        active = self._tabbed.active.removeprefix("tab-")
        return next(tab for tab in self.tabs if tab.id == active)

    def _open_editor(self, editor: Editor, record_id: uuid.UUID | None) -> None:
        if record_id is not None:
            key = record_id.hex
            self._edited_key = f"{editor.kind}:{key}" if editor.kind else key
        self.app.push_screen(editor.opens(self.customer_id, record_id))

    def action_add(self) -> None:
        tab = self._current_tab()
        if not tab.editors:
            self.notify(_("Nothing to add here."), severity="warning")
            return
        if len(tab.editors) == 1:
            self._open_editor(tab.editors[0], None)
            return
        from salesdev_tui.dialogs.choice import ChoiceScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self._open_editor(tab.editors[index], None)

        self.app.push_screen(
            ChoiceScreen(_("Add to {tab}").format(tab=tab.title),
                         [editor.label for editor in tab.editors]),
            chosen,
        )

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        tab = next((t for t in self.tabs if f"table-{t.id}" == event.data_table.id), None)
        if tab is None or key is None or not tab.editors:
            return
        kind, _sep, hex_id = key.rpartition(":")
        editor = next((e for e in tab.editors if e.kind == kind), None)
        if editor is not None:
            self._open_editor(editor, uuid.UUID(hex_id))

    def action_edit(self) -> None:
        from salesdev_tui.forms.customer_form import CustomerFormScreen

        self.app.push_screen(CustomerFormScreen(self.customer_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, index: int) -> None:
        if 0 <= index < len(self.tabs):
            tab_id = self.tabs[index].id
            if self._tabbed.active == f"tab-{tab_id}":
                self._focus_table(tab_id)  # shown already: no TabActivated comes
                return
            self._focus_table_of = tab_id
            self._tabbed.active = f"tab-{tab_id}"

    def _move(self, target: Stage | None) -> None:
        """Move at once when every gate passes (a toast, ctrl+z undoes it); otherwise the
        dialog, with the verdict and the reason box (issue 21.2)."""
        from salesdev_tui.dialogs.stage_move import StageMoveScreen
        from salesdev_tui.usecases.stage_flow import move_if_clear

        if self.file is None or target is None:
            return
        customer = self.file.customer
        self.last_move = None  # an older move is no longer the one ctrl+z would mean

        def tried(done: MoveDone | None) -> None:
            if done is None:
                self.app.push_screen(
                    StageMoveScreen(customer.id, customer.name, customer.stage, target)
                )
                return
            self.last_move = done
            self.sales_app.changed()
            self.refresh_bindings()
            self.notify(_("{name} is now at {stage}. ctrl+z undoes it.").format(
                name=done.name, stage=_(target.value)), markup=False)

        self.run_db(lambda store: move_if_clear(store, customer.id, target), tried,
                    group="stage-move")

    def action_undo_stage(self) -> None:
        from salesdev_tui.usecases.stage_flow import undo_move

        done = self.last_move
        if done is None:
            return
        self.last_move = None
        self.refresh_bindings()

        def undone(_move: object) -> None:
            self.sales_app.changed()
            self.notify(_("Back at {stage}.").format(stage=_(done.from_stage.value)))

        self.run_db(lambda store: undo_move(store, done), undone, group="stage-move")

    def action_stage_forward(self) -> None:
        from salesdev_tui.domain.stages import next_stage

        if self.file is None:
            return
        stage = self.file.customer.stage
        if stage == Stage.LOST:
            self._move(Stage.PROSPECT)  # reopening a lost customer starts over
            return
        target = next_stage(stage)
        if target is None:
            self.notify(_("Won is the last stage."), severity="warning")
        self._move(target)

    def action_stage_back(self) -> None:
        from salesdev_tui.domain.stages import previous_stage

        if self.file is None:
            return
        target = previous_stage(self.file.customer.stage)
        if target is None:
            self.notify(_("Nothing before this stage."), severity="warning")
        self._move(target)

    def action_stage_lost(self) -> None:
        self._move(Stage.LOST)

    # -- deleting -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_delete":
            return self.deleted or self.merged_other is not None
        if action == "undo_stage":
            return self.last_move is not None and not self.deleted
        # The customer is gone: nothing to change on this page.
        return not self.deleted or action in ("back", "tab", "restore")

    def watch_deleted(self, deleted: bool) -> None:
        self.set_class(deleted, "-deleted")
        self.refresh_bindings()
        if deleted and self.file is not None:
            header = render_header(self.file, self.sales_app.settings.currency,
                                   Colours.of(self.app))
            header.append("\n")
            header.append(_(" Deleted: ctrl+z brings it back; escape goes back. "),
                          style="bold reverse")
            self._header.update(header)
        elif self.file is not None:
            self.watch_file(self.file)

    def action_delete_customer(self) -> None:
        from salesdev_tui.dialogs.choice import ChoiceScreen
        from salesdev_tui.dialogs.delete_customer import PURGE, deletion_options

        if self.file is None:
            return
        name = self.file.customer.name

        def chosen(index: int | None) -> None:
            if index == PURGE:
                self._ask_purge(name)
            elif index is not None:
                self.run_db(lambda store: store.deletion.delete_customer(self.customer_id),
                            lambda _customer: self._deleted(name))

        self.app.push_screen(ChoiceScreen(_("Delete {name}").format(name=name),
                                          deletion_options()), chosen)

    def _deleted(self, name: str) -> None:
        self.deleted = True
        self.sales_app.changed()
        self.notify(_("Deleted {name}. Press ctrl+z to undo, or later use “Restore deleted "
                      "customer…” in the command palette (ctrl+p).").format(name=name),
                    markup=False, timeout=12)

    def action_merge(self) -> None:
        from salesdev_tui.screens.customer_merge import ask_merge

        if self.file is not None:
            ask_merge(self, self.file.customer, self._merged)

    def _merged(self, other_id: uuid.UUID | None) -> None:
        self.merged_other = other_id
        self.refresh_bindings()

    def action_undo_delete(self) -> None:
        if self.merged_other is not None and not self.deleted:
            from salesdev_tui.screens.customer_merge import undo_merge

            # ctrl+z undoes the last merge as it undoes a deletion
            undo_merge(self, self.merged_other, self._merged)
            return
        if not self.deleted:
            return
        self.run_db(lambda store: store.deletion.undelete_customer(self.customer_id),
                    self._undeleted)

    def _undeleted(self, _customer: object) -> None:
        self.deleted = False
        self.sales_app.changed()
        self.notify(_("Restored."), markup=False)

    def action_restore(self) -> None:
        from salesdev_tui.dialogs.delete_customer import ask_restore

        ask_restore(self, self.sales_app.open_customer)

    def _ask_purge(self, name: str) -> None:
        from salesdev_tui.dialogs.delete_customer import PurgeConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.notify(_("Purging {name}…").format(name=name), markup=False)
                self.run_db(lambda store: store.deletion.purge_customer(self.customer_id),
                            lambda outcome: self._purged(name, outcome.total, outcome.pending))

        self.app.push_screen(PurgeConfirmScreen(name), confirmed)

    def _purged(self, name: str, rows: int, pending: bool = False) -> None:
        if self.is_current:
            self.app.pop_screen()
        # This page must not reload a customer that is gone (no watcher: it may be gone too).
        self.set_reactive(CustomerPageScreen.deleted, True)
        self.sales_app.changed()
        if pending:
            self.notify(_("Purge of {name} pending: {rows} rows are deleted, but salesdev open "
                          "elsewhere still reads them, so the file keeps their text until it "
                          "closes. The purge finishes when salesdev next opens or closes the "
                          "database.").format(name=name, rows=rows),
                        severity="warning", markup=False, timeout=30)
            return
        self.notify(_("Purged {name}: {rows} rows removed from the database for good. Backups "
                      "taken before still hold them.").format(name=name, rows=rows),
                    markup=False, timeout=15)
