"""Merging two customers: every record moves to the kept one, the history says so, the search
index follows, and the merge can be undone (14.14, second half)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.dedupe import MergeRefused
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import ALL_TABLES, Contact, Customer, FieldEdit
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import wait_ready
from tests.test_purge import found, seed_customer

MakeApp = Callable[..., Any]
OTHER = "MRGOTHER5d1"
KEPT = "MRGKEEP9a7"


def owned(store: Any, customer_id: uuid.UUID) -> dict[str, set[uuid.UUID]]:
    """The ids of every row that belongs to the customer, per table (history aside)."""
    rows: dict[str, set[uuid.UUID]] = {}
    with store.db.read() as session:
        for table in ALL_TABLES:
            if "customer_id" not in table.model_fields or table is FieldEdit:
                continue
            ids = set(session.exec(select(table.id).where(
                table.customer_id == customer_id)).all())  # type: ignore[attr-defined]
            if ids:
                rows[str(table.__tablename__)] = ids
    return rows


def primaries(store: Any, customer_id: uuid.UUID) -> list[str]:
    with store.db.read() as session:
        return list(session.exec(select(Contact.name).where(
            Contact.customer_id == customer_id, col(Contact.is_primary).is_(True),
            col(Contact.deleted_at).is_(None))).all())


def index_agrees(store: Any) -> None:
    """FTS5's integrity check: the index matches the customers' text exactly."""
    from salesdev_tui.db.search_index import check_search_index

    with store.db.write() as session:
        check_search_index(session.connection())


def test_merge_moves_every_record_and_undo_puts_each_back(store: Any, clock: Any) -> None:
    keep = seed_customer(store, KEPT, "Lotus Foods")
    other = seed_customer(store, OTHER, "Lotus Food")
    before_keep, before_other = owned(store, keep), owned(store, other)
    assert len(before_other) >= 11  # contacts, plans, needs, proposals, ... stage changes
    clock.current += timedelta(minutes=1)

    outcome = store.deletion.merge_customers(keep, other)

    assert owned(store, other) == {}
    after = owned(store, keep)
    for table, ids in before_other.items():
        assert ids <= after[table], table
    assert outcome.moved == {t: len(ids) for t, ids in before_other.items()}
    assert primaries(store, keep) == [f"Ms {KEPT}"]  # one primary per customer
    with store.db.read() as session:
        gone = session.get(Customer, other)
        assert gone is not None and gone.deleted_at is not None
        said = session.exec(select(FieldEdit).where(
            FieldEdit.customer_id == keep, FieldEdit.field == "merged_from")).all()
    assert [e.new_value for e in said] == [f"Lotus Food {OTHER} Ltd ({other.hex[:8]})"]
    # The search index follows: the other's contact now finds the kept customer only.
    assert found(store, f"Ms {OTHER}") == 1
    assert [r.id for r in store.search.quick_find(f"Ms {OTHER}")] == [keep]
    assert [r.id for r in store.search.quick_find(f"Lotus Food {OTHER}")] == [keep]  # not the other
    index_agrees(store)

    clock.current += timedelta(minutes=1)
    store.deletion.unmerge_customer(other)

    assert owned(store, keep) == before_keep
    assert owned(store, other) == before_other
    assert primaries(store, other) == [f"Ms {OTHER}"]
    assert store.customers.get_customer(other).deleted_at is None
    assert [r.id for r in store.search.quick_find(f"Ms {OTHER}")] == [other]
    index_agrees(store)


def test_restoring_a_merged_customer_undoes_the_merge(store: Any, clock: Any) -> None:
    keep = seed_customer(store, KEPT, "Lotus Foods")
    other = seed_customer(store, OTHER, "Lotus Food")
    before_other = owned(store, other)
    clock.current += timedelta(minutes=1)
    store.deletion.merge_customers(keep, other)
    assert other in [c.id for c in store.deletion.deleted_customers()]
    store.deletion.undelete_customer(other)  # "Restore deleted customer…" in the palette
    assert owned(store, other) == before_other


def test_merge_refuses_itself_and_a_customer_further_along(store: Any) -> None:
    keep = seed_customer(store, KEPT, "Lotus Foods")
    with pytest.raises(MergeRefused):
        store.deletion.merge_customers(keep, keep)
    other = seed_customer(store, OTHER, "Lotus Food")
    with store.db.write() as session:
        row = session.get(Customer, other)
        assert row is not None
        row.stage = Stage.NEGOTIATION
        session.add(row)
    with pytest.raises(MergeRefused, match="further along"):
        store.deletion.merge_customers(keep, other)
    assert owned(store, other) != {}  # nothing moved


def test_cli_merge_and_unmerge(db_path: Path, store: Any) -> None:
    keep = seed_customer(store, KEPT, "Lotus Foods")
    other = seed_customer(store, OTHER, "Lotus Food")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "merge", keep.hex[:8], other.hex[:8]])
    assert result.exit_code == 0, result.stderr
    assert f"Merged Lotus Food {OTHER} Ltd ({other.hex[:8]}) into" in result.stdout
    assert "contact" in result.stdout and f"salesdev unmerge {other.hex[:8]}" in result.stdout
    assert owned(store, other) == {}
    result = runner.invoke(cli, ["--db", str(db_path), "merge", keep.hex, other.hex])
    assert result.exit_code == Exit.NOT_FOUND  # the other is gone now
    result = runner.invoke(cli, ["--db", str(db_path), "unmerge", other.hex[:8]])
    assert result.exit_code == 0, result.stderr
    assert owned(store, other) != {}
    result = runner.invoke(cli, ["--db", str(db_path), "merge", keep.hex, keep.hex])
    assert result.exit_code == Exit.INVALID and "itself" in result.stderr


async def test_merge_from_the_palette_and_undo_with_ctrl_z(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        keep = seed_customer(app.store, KEPT, "Lotus Foods")
        other = seed_customer(app.store, OTHER, "Lotus Food")
        app.open_customer(keep)
        await wait_ready(pilot)
        page = app.screen
        assert isinstance(page, CustomerPageScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Merge with")
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        await pilot.press(*OTHER)  # the customer picker
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        await pilot.press("y")  # confirm
        await wait_ready(pilot)
        assert app.screen is page
        assert owned(app.store, other) == {}
        assert f"Ms {OTHER}" in [c.name for c in app.store.customers.contacts_of(keep)]
        await pilot.press("ctrl+z")
        await wait_ready(pilot)
        assert owned(app.store, other) != {}
        assert app.store.customers.get_customer(other).deleted_at is None
