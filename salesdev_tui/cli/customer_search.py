"""`salesdev list --search TEXT`: the search box's query (text and filters) from the CLI.

Read by the same parser and store query as the TUI's customer list, so both find the same
customers (two characters anywhere, any script; the same 200-character cap).
"""

from __future__ import annotations

import dataclasses

import typer

from salesdev_tui.cli.app import Exit, fail, guard_storage, state
from salesdev_tui.domain.customer_query import parse_customer_query
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Stage
from salesdev_tui.store.search import CustomerListRow

#: The most rows one search returns (a bound SQLite's integer can hold).
_MOST_ROWS = 1_000_000


def search_rows(
    ctx: typer.Context, search: str, stage: Stage | None, limit: int
) -> tuple[list[CustomerListRow], int | None]:
    """The customers matching `search` (and `--stage`), in the query's order, and how many
    match in all when `limit` cut the list (None when it did not; counted up to the search's
    cap, `COUNT_CAP` + 1)."""
    query = parse_customer_query(search)
    problems = [p for p in query.problems if not query.cut or p != query.problems[0]]
    if problems:
        fail(_("Search: {problem}").format(problem=problems[0]), Exit.INVALID)
    if query.cut:
        # Capped, not refused: say so on stderr and search what was read.
        typer.echo(_("warning: {message}").format(message=query.problems[0]), err=True)
    if stage is not None:
        # Both --stage and a stage: filter: a customer must satisfy both.
        if query.stages and stage not in query.stages:
            return [], None
        query = dataclasses.replace(query, stages=frozenset({stage}))
    store = state(ctx).open_store()
    try:
        now = store.now()
        page = guard_storage(
            lambda: store.search.search_customers(query, limit=min(limit, _MOST_ROWS), now=now)
        )
        total = (None if page.next_cursor is None
                 else guard_storage(lambda: store.search.count_customers(query, now=now)))
    finally:
        store.db.close()
    return page.rows, total
