"""The customer list: search as you type, filters and sorting, over any number of customers.

The search box is the one source of truth: words plus `key:value` filters
(`services.customer_query`, grammar in QUERY_HELP); the filter and sort keys only write
into it. The table shows a window of a few pages; the screen loads pages by keyset cursor
as the cursor nears an edge, and forgets the pages furthest away, so 100,000 customers
never sit in the widget.
"""
# Over 400 lines on purpose: the list's search, filters, marks, sort and paging act on one
# table and one query.

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Header, Input, Label

from salesdev_tui.domain.customer_query import (
    QUERY_HELP,
    CustomerQuery,
    SortKey,
    parse_customer_query,
)
from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.customer_table import CustomerTable
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.search import CustomerListRow, CustomerPage, PageCursor

#: Rows per page, and pages kept in the table (the window).
PAGE_SIZE = 100
WINDOW_PAGES = 4
#: Wait this long after a keystroke before searching (the next keystroke cancels the wait).
DEBOUNCE_SECONDS = 0.08
#: count_customers counts up to here (store.search.COUNT_CAP; not imported: it loads SQL).
COUNT_CAP = 10_000

_SORT_ORDER = (SortKey.UPDATED, SortKey.NAME, SortKey.NEXT, SortKey.IDLE)
_SORT_TOKEN = re.compile(r"(?<!\S)(?:sort|order):\S*\s*", re.IGNORECASE)


def _sort_labels() -> dict[SortKey, str]:
    return {
        SortKey.UPDATED: _("last change"),
        SortKey.NAME: _("name"),
        SortKey.NEXT: _("next contact"),
        SortKey.IDLE: _("days idle"),
    }


class CustomersScreen(DbScreen):
    """Find, filter, sort and open customers."""

    # `/` is the app's (search, from anywhere). The filters sit behind one key, `f`: the
    # letters they had (s, r) are global keys elsewhere (issue 14.13: one key, one meaning).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", N_("Clear"), id="customers-clear",
                tooltip=N_("Clear the search box; pressed again, back to the list")),
        Binding("o", "cycle_sort", N_("Sort"), id="customers-sort",
                tooltip=N_("Sort by last change, name, next contact or days idle")),
        Binding("f", "choose_filter", N_("Filter"), id="customers-filter",
                tooltip=N_("Add a filter to the search: stage, source, potential, idle, "
                          "industry or size (or type stage:prop source:show pot:A idle:30)")),
        Binding("down", "to_table", show=False, id="customers-to-table",
                tooltip=N_("From the search box down into the list")),
        # Acting on the marked customers (or the highlighted one): the same keys as Today.
        Binding("p", "plan", N_("Plan contact"), id="customers-plan",
                tooltip=N_("Plan a contact with the marked customers (or the highlighted one)")),
        Binding("e", "reschedule", N_("Reschedule"), id="customers-reschedule",
                tooltip=N_("New times for the next contact of the marked customers")),
        Binding("m", "move", N_("Move stage"), id="customers-move",
                tooltip=N_("Move the marked customers to a stage, through the gates")),
        Binding("ctrl+a", "mark_all", N_("Mark all"), id="customers-mark-all",
                tooltip=N_("Mark every customer the search finds (again: unmark all)")),
    ]

    customers: var[list[CustomerListRow]] = var(list, always_update=True)
    """The loaded window of the list, shown by the table. Passed on even when equal: a new
    search whose rows equal the last search's must still reach the table as new, or the
    table takes the next page for the start of a search and jumps to the top."""
    query_: var[CustomerQuery] = var(CustomerQuery)
    """The search as last parsed from the box."""
    total: var[int | None] = var(None)
    """How many customers match (up to COUNT_CAP + 1); None while counting."""
    search_id: var[int] = var(0)
    """Bumped when the first page of a new search is shown (the table starts at its top)."""

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._pages: list[list[CustomerListRow]] = []
        self._starts: list[PageCursor | None] = [None]
        self._first = 0
        self._loading = False
        self._open_single = False
        """Enter was pressed in the box before its search settled: open a single match."""

    def compose(self) -> ComposeResult:
        yield Header()
        search = Input(
            placeholder=_("Search names, contacts, e-mails, phones, notes…  stage: pot: sort:"),
            id="customer-search",
            # Keys such as `s` add a filter to the end of the box: keep what is there.
            select_on_focus=False,
        )
        search.tooltip = _(QUERY_HELP)
        yield search
        yield Label("", id="customer-problems", classes="field-error -hidden")
        yield Label("", id="customer-status", classes="muted")
        yield CustomerTable(self.sales_app.settings.zone, id="customer-table").data_bind(
            CustomersScreen.customers, CustomersScreen.search_id
        )
        yield KeyFooter()

    @property
    def _search(self) -> Input:
        return self.query_one("#customer-search", Input)

    @property
    def _table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

    def on_mount(self) -> None:
        self._search.focus()
        self.watch(self.app, "data_version", self._data_changed)

    def focus_search(self, *, select: bool = False) -> None:
        """Put the cursor in the search box (the app's `/`), with its text selected if
        `select`: the next key typed replaces the last search.

        On a screen not composed yet there is no box: on_mount focuses it then.
        """
        for search in self.query("#customer-search").results(Input):
            search.focus()
            if select:
                search.select_all()

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#customer-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._open_single = False  # an Enter before this keystroke was for another search
        self._debounced()

    @work(exclusive=True, group="customers-debounce", exit_on_error=False)
    async def _debounced(self) -> None:
        # Exclusive: each keystroke cancels the previous wait, so only the last one searches.
        await asyncio.sleep(DEBOUNCE_SECONDS)
        self._search_now()

    @on(Input.Submitted, "#customer-search")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the box: a single match opens; otherwise into the list."""
        event.stop()
        settled = parse_customer_query(self._search.value) == self.query_ and not (
            self._loading or self._debouncing()
        )
        if settled:
            self._open_if_single()
        else:
            self._open_single = True  # decided when this search's first page arrives

    def _debouncing(self) -> bool:
        return any(w.group == "customers-debounce" and w.is_running for w in self.workers)

    def _open_if_single(self) -> None:
        self._open_single = False
        rows = self.customers
        if len(rows) == 1 and len(self._starts) > 1 and self._starts[1] is None:
            self.sales_app.open_customer(rows[0].id)
        else:
            self._table.focus()

    def _data_changed(self, version: int) -> None:
        if version == 0:  # the store is not open yet
            return
        if self._pages:
            self._reload_window()
        else:
            self._search_now()

    def _search_now(self) -> None:
        """Parse the box and load the first page and the count."""
        query = parse_customer_query(self._search.value)
        self.query_ = query
        self._generation += 1
        generation = self._generation
        now = self.sales_app.clock()
        self.total = None
        self._load(
            lambda store: store.search.search_customers(query, now=now, limit=PAGE_SIZE),
            partial(self._first_page, generation),
        )
        self.run_db(
            lambda store: store.search.count_customers(query, now=now),
            partial(self._counted, generation),
            group="customers-count",
            exclusive=False,
        )

    def _load(self, call: Callable[[Store], CustomerPage], done: Callable[[CustomerPage], None]
              ) -> None:
        self._loading = True
        # Not exclusive: cancelling a thread worker cannot stop SQLite mid-query, and a stale
        # result is dropped by its generation number anyway.
        self.run_db(call, done, failed=self._load_failed, group="customers-page",
                    exclusive=False)

    def _load_failed(self, exc: BaseException) -> bool:
        self._loading = False
        return False  # notified by run_db

    def _first_page(self, generation: int, page: CustomerPage) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self._loading = False
        self._pages = [page.rows]
        self._starts = [None, page.next_cursor]
        self._first = 0
        self.search_id += 1
        self._show()
        if self._open_single and not self._debouncing():
            self._open_if_single()

    def _reload_window(self) -> None:
        """Data changed: load the window again from where it starts, keeping its place."""
        query = self.query_
        start = self._starts[self._first]
        size = max(PAGE_SIZE, len(self.customers))
        self._generation += 1
        generation = self._generation
        now = self.sales_app.clock()

        def reloaded(page: CustomerPage) -> None:
            if generation != self._generation:
                return
            self._loading = False
            self._pages = [page.rows]
            self._starts = [*self._starts[: self._first + 1], page.next_cursor]
            self._show()

        self._load(
            lambda store: store.search.search_customers(query, after=start, now=now, limit=size),
            reloaded,
        )
        self.run_db(
            lambda store: store.search.count_customers(query, now=now),
            partial(self._counted, generation),
            group="customers-count",
            exclusive=False,
        )

    def _counted(self, generation: int, count: int) -> None:
        if generation == self._generation:
            self.total = count

    # -- the window -----------------------------------------------------------------------

    @on(CustomerTable.NearEnd)
    def _near_end(self, event: CustomerTable.NearEnd) -> None:
        event.stop()
        after_last = self._first + len(self._pages)
        if self._loading or after_last >= len(self._starts):
            return
        start = self._starts[after_last]
        if start is None:
            return  # the last page is loaded
        self._load_page(after_last, start, at_end=True)

    @on(CustomerTable.NearStart)
    def _near_start(self, event: CustomerTable.NearStart) -> None:
        event.stop()
        if self._loading or self._first == 0:
            return
        self._load_page(self._first - 1, self._starts[self._first - 1], at_end=False)

    def _load_page(self, number: int, start: PageCursor | None, *, at_end: bool) -> None:
        query = self.query_
        generation = self._generation
        now = self.sales_app.clock()

        def loaded(page: CustomerPage) -> None:
            if generation != self._generation:
                return
            self._loading = False
            if number + 1 == len(self._starts):
                self._starts.append(page.next_cursor)
            if at_end:
                self._pages.append(page.rows)
                if len(self._pages) > WINDOW_PAGES:
                    self._pages.pop(0)
                    self._first += 1
            else:
                self._pages.insert(0, page.rows)
                self._first -= 1
                if len(self._pages) > WINDOW_PAGES:
                    self._pages.pop()
            self._show()

        self._load(
            lambda store: store.search.search_customers(query, after=start, now=now,
                                                        limit=PAGE_SIZE),
            loaded,
        )

    def _show(self) -> None:
        self.customers = [row for page in self._pages for row in page]
        # After every page, even one that changed nothing on screen: the cursor may have
        # reached the edge while it loaded, and asked for nothing then (issue 14.3).
        self._table.check_edges()

    # -- what the screen shows ------------------------------------------------------------

    def watch_query_(self, query: CustomerQuery) -> None:
        problems = self.query_one("#customer-problems", Label)
        text = "\n".join(query.problems)
        if str(problems.content) != text:  # each update is a layout pass of the screen
            problems.update(Text(text))
            problems.set_class(not query.problems, "-hidden")
        self._status()

    def watch_total(self) -> None:
        self._status()

    def _status(self) -> None:
        total = self.total
        if total is None:
            count = _("Counting…")
        elif total > COUNT_CAP:
            count = _("{n:,}+ customers").format(n=COUNT_CAP)
        elif total == 1:
            count = _("1 customer")
        else:
            count = _("{n:,} customers").format(n=total)
        sort = _sort_labels()[self.query_.sort]
        text = _("{count} · sorted by {sort}").format(count=count, sort=sort)
        tables = self.query(CustomerTable)  # none yet while composing
        marked = len(tables.first().marked) if tables else 0
        if marked:  # instead of the sort: both fit an 80-column line only one at a time
            text = count + " · " + _("{n} marked: p plan, e reschedule, m move").format(
                n=marked)
        # A fixed-size line (tcss): its text changes without a layout pass of the screen,
        # which each keystroke's "Counting…" and count cost twice (~5 ms each at 120x40).
        self.query_one("#customer-status", Label).update(Text(text), layout=False)

    # -- actions --------------------------------------------------------------------------

    def action_to_table(self) -> None:
        self._table.focus()

    def action_escape(self) -> None:
        search = self._search
        if self._table.marked and self._table.has_focus:
            self._table.clear_marks()  # first the marks: the search stays as it was
        elif search.value:
            search.value = ""
        elif search.has_focus:
            self._table.focus()

    @on(CustomerTable.Opened)
    def _open(self, event: CustomerTable.Opened) -> None:
        event.stop()
        self.sales_app.open_customer(event.customer_id)

    # -- marked customers (issue 21.1) ----------------------------------------------------

    @on(CustomerTable.MarksChanged)
    def _marks_changed(self, event: CustomerTable.MarksChanged) -> None:
        event.stop()
        self._status()

    def _selection(self) -> list[uuid.UUID]:
        """The marked customers, in the order marked; else the highlighted one."""
        table = self._table
        if table.marked:
            return [uuid.UUID(key) for key in table.marked]
        highlighted = table.highlighted_id
        return [highlighted] if highlighted is not None else []

    def _after_bulk(self, saved: bool | None) -> None:
        if saved:
            self._acted()

    def _acted(self) -> None:
        self._table.clear_marks()

    def action_plan(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import BulkPlanScreen
        from salesdev_tui.forms.plan_form import PlanFormScreen

        ids = self._selection()
        if not ids:
            return
        if not self._table.marked:  # one customer: the full plan form
            self.app.push_screen(PlanFormScreen(ids[0], None))
            return
        self.app.push_screen(BulkPlanScreen(ids), self._after_bulk)

    def action_reschedule(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import BulkPlanScreen

        ids = self._selection()
        if ids:
            self.app.push_screen(BulkPlanScreen(ids, reschedule=True),
                                 self._after_bulk)

    def action_move(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import move_marked

        ids = self._selection()
        if ids:
            move_marked(self, ids, self._acted)

    def action_mark_all(self) -> None:
        """Mark every match of the search, also those not loaded yet (up to the limit
        of one action); pressed with all of them marked, unmark all."""
        from salesdev_tui.usecases.bulk_actions import MAX_CUSTOMERS

        table = self._table
        total = self.total
        if table.marked and total is not None and len(table.marked) >= total:
            table.clear_marks()
            return
        if total is not None and total > MAX_CUSTOMERS:
            self.notify(_("{n:,} customers match; narrow the search to {most} or fewer to "
                          "mark them all.").format(n=total, most=MAX_CUSTOMERS),
                        severity="warning")
            return
        query = self.query_
        now = self.sales_app.clock()
        self.run_db(
            lambda store: store.search.search_customers(query, now=now, limit=MAX_CUSTOMERS + 1),
            lambda page: table.mark_all(row.id.hex for row in page.rows),
            group="customers-mark-all",
        )

    def action_cycle_sort(self) -> None:
        # From the box, not from the last search: keys may come faster than the debounce.
        current = parse_customer_query(self._search.value).sort
        following = _SORT_ORDER[(_SORT_ORDER.index(current) + 1) % len(_SORT_ORDER)]
        rest = _SORT_TOKEN.sub("", self._search.value).rstrip()
        token = "" if following is SortKey.UPDATED else f"sort:{following.value}"
        self._search.value = f"{rest} {token}".strip()

    def action_choose_filter(self) -> None:
        """`f`: pick a filter; its `key:` goes into the box, to type the value after."""
        from salesdev_tui.dialogs.choice import ChoiceScreen

        filters = [
            ("stage", _("Stage (prospect … won, lost, open)")),
            ("source", _("Source (show, online, referral, research, other)")),
            ("pot", _("Potential (A, B, C; AB = A or B)")),
            ("idle", _("Idle for at least this many days")),
            ("industry", _("Industry contains")),
            ("size", _("Size (micro … enterprise)")),
        ]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.action_filter(filters[index][0])

        self.app.push_screen(ChoiceScreen(_("Filter by"), [label for _k, label in filters]),
                             chosen)

    def action_filter(self, key: str) -> None:
        """Add `key:` to the search box and put the cursor after it, to type the value."""
        search = self._search
        text = search.value.rstrip()
        search.value = f"{text} {key}:" if text else f"{key}:"
        search.cursor_position = len(search.value)
        search.focus()
