"""Issue 14.9: a contract gets a stored number when it is created (PREFIX-YEAR-NNNN, one
sequence a year in the rep's zone, the prefix configurable); the form shows it once saved
and its sample text cannot be mistaken for data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from textual.widgets import Input

from salesdev_tui.config import ConfigError, load_settings
from salesdev_tui.domain.contract_numbers import next_number
from salesdev_tui.domain.validation import ContractInput, CustomerInput, validate
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.models.tables import Contract
from salesdev_tui.store.contracts import Numbering
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]
TAIPEI = ZoneInfo("Asia/Taipei")
_PLAIN = Numbering()


def _customer(store: Any, name: str = "Acme Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def _new(store: Any, cid: uuid.UUID, numbering: Numbering = _PLAIN, **terms: str) -> str:
    row = store.contracts.create_contract(cid, validate(ContractInput, terms), numbering=numbering)
    with store.db.read() as session:
        saved = session.get(Contract, row.id)
        assert saved is not None
        return str(saved.number)


def test_numbers_follow_a_yearly_sequence_per_prefix(store: Any, clock: Any) -> None:
    acme, lotus = _customer(store), _customer(store, "Lotus Foods")
    assert _new(store, acme) == "SD-2026-0001"
    assert _new(store, lotus) == "SD-2026-0002"
    assert _new(store, acme, number="ACME/77") == "ACME/77"  # typed: kept as typed
    assert _new(store, lotus) == "SD-2026-0003"
    assert _new(store, acme, Numbering("北", TAIPEI)) == "北-2026-0001"
    # 2026-12-31 17:00 UTC is already 2027 in Taipei: the year is the rep's.
    clock.current = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert _new(store, acme, Numbering("SD", TAIPEI)) == "SD-2027-0001"
    assert _new(store, acme, Numbering("SD", UTC)) == "SD-2026-0004"


def test_next_number_ignores_foreign_numbers() -> None:
    taken = ["SD-2026-0009", "SD-2026-12x", "SDX-2026-0042", "SD-2025-0500", None]
    assert next_number("SD", 2026, taken) == "SD-2026-0010"
    assert next_number("S_", 2026, ["SD-2026-0003"]) == "S_-2026-0001"


@pytest.mark.parametrize("prefix", ['""', '"SD 1"', '"-SD"', '"SD-"', '"ABCDEFGHIJKLM"', "3"])
def test_bad_contract_prefix_is_named(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"contract_prefix = {prefix}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.key == "contract_prefix"


def test_good_contract_prefix_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('contract_prefix = "TPE-K2"\n', encoding="utf-8")
    assert load_settings(path).contract_prefix == "TPE-K2"


async def test_the_form_shows_the_number_given_on_save(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store)
        app.push_screen(ContractScreen(cid))
        await wait_ready(pilot)
        screen = app.screen
        number, value, cost = (screen.query_one(f"#{n}", Input) for n in ("number", "value",
                                                                          "cost"))
        # Sample text never looks like a saved value.
        assert number.value == "" and not any(ch.isdigit() for ch in number.placeholder)
        assert value.placeholder.startswith("e.g.") and cost.placeholder.startswith("e.g.")
        await pilot.press("tab", "tab", *"1200000", "ctrl+s")
        await wait_ready(pilot)
        with app.store.db.read() as session:
            row = session.exec(select(Contract)).one()
        assert row.number == "SD-2026-0001"
        assert number.value == "SD-2026-0001"
