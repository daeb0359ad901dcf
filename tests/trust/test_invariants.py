"""The crash tests' checker must see what it is there to see (fast: not marked slow).

Saves made by `crash_child.SaveLoop` through the app's store are checked clean; then one
acknowledged save removed, one multi-record save cut in half and one damaged page must each
be reported, in the right category.
"""

from __future__ import annotations

import shutil
import sqlite3
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from tests.trust.crash_child import SaveLoop
from tests.trust.invariants import Findings, check_database


@pytest.fixture
def saved(store: Any, db_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    acks = list(islice(SaveLoop(store, run=1, seed=7, now=store.now()).saves(), 14))
    store.db.close()  # checkpoint: the whole database is in the main file
    return db_path, acks


def _check(path: Path, acks: list[dict[str, Any]], sql: str = "") -> Findings:
    conn = sqlite3.connect(path)
    try:
        if sql:
            conn.executescript(sql)
        return check_database(conn, acks)
    finally:
        conn.close()


def _copy(path: Path, name: str) -> Path:
    copy = path.with_name(name)
    shutil.copyfile(path, copy)  # closed and checkpointed: a plain copy is complete
    return copy


def test_clean_saves_pass(saved: tuple[Path, list[dict[str, Any]]]) -> None:
    path, acks = saved
    found = _check(path, acks)
    assert found.ok, found.summary()
    assert found.unacked == set()
    assert {"lead", "contract", "minutes"} <= set(found.checked)
    assert {ack["op"] for ack in acks} == {
        "lead", "contact", "delete", "plan", "log", "contract", "minutes"}


def test_a_lost_acknowledged_save_is_reported(
    saved: tuple[Path, list[dict[str, Any]]]
) -> None:
    path, acks = saved
    contract = next(a for a in acks if a["op"] == "contract")
    found = _check(_copy(path, "lost.db"), acks, (
        "PRAGMA foreign_keys=OFF;"
        f"DELETE FROM field_edit WHERE entity_id = '{contract['contract']}';"
        f"DELETE FROM contract WHERE id = '{contract['contract']}';"))
    assert found.lost and not found.torn and not found.corrupt


def test_half_a_multi_record_save_is_reported(
    saved: tuple[Path, list[dict[str, Any]]]
) -> None:
    path, acks = saved
    minutes = next(a for a in acks if a["op"] == "minutes")
    found = _check(_copy(path, "torn.db"), acks, (
        "DELETE FROM negotiation_point WHERE rowid = (SELECT max(rowid) FROM "
        f"negotiation_point WHERE negotiation_id = '{minutes['negotiation']}');"))
    assert any("points" in line for line in found.torn)


def test_a_damaged_page_is_reported(saved: tuple[Path, list[dict[str, Any]]]) -> None:
    path, acks = saved
    damaged = _copy(path, "damaged.db")
    data = bytearray(damaged.read_bytes())
    page = 4096
    # Every page past the schema: which pages hold rows moves with the schema (an index
    # more, and every seventh page could all be empty ones), so none is skipped.
    for offset in range(3 * page, len(data), page):
        data[offset + 100:offset + 400] = bytes(300)
    damaged.write_bytes(bytes(data))
    found = _check(damaged, acks)
    assert found.corrupt
