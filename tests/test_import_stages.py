"""Issue 20.9: imports go through the hard stage gates, as a move in the UI does.

A spreadsheet row `W,won` cannot prove won (no signed contract): W is imported at the
contract stage and the summary says so; `L,lost` without a reason is refused (a bad row,
counted in the summary). A JSON document may carry contracts: a customer of the file is won
only with a signed contract, lost only with a reason, else the import is refused whole.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.exchange import ExchangeError, dump_document, parse_document
from salesdev_tui.domain.validation import (
    ContractInput,
    CustomerInput,
    LegalReviewInput,
    validate,
)
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import CONTRACT_CLAUSES, Customer
from tests.conftest import FIXED_NOW


@pytest.fixture
def run(db_path: Path) -> Any:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _stages(run: Any) -> dict[str, str]:
    code, out, err = run("list", "--json")
    assert code == 0, err
    return {row["name"]: row["stage"] for row in json.loads(out)}


def test_csv_won_is_imported_at_contract_and_lost_without_reason_refused(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "stages.csv"
    path.write_text("company,stage\nW,won\nL,lost\nN,negotiation\n", encoding="utf-8")
    code, out, err = run("import", str(path))
    assert code == Exit.INVALID  # all or nothing: the lost row without a reason is bad
    assert "line 3" in out + err and "lost needs a reason" in out + err
    assert _stages(run) == {}

    code, out, err = run("import", str(path), "--skip-bad-rows", "--rejects",
                         str(tmp_path / "rejects.csv"))
    assert code == Exit.OK, err
    assert "customers: 2 new" in out
    assert "stages lowered to what the file can prove: 1" in out
    assert "line 2: won needs a signed contract" in out
    assert _stages(run) == {"W": "contract", "N": "negotiation"}


def test_csv_lost_with_a_reason_is_imported_lost(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "lost.csv"
    path.write_text("company,stage,lost_reason\nL,lost,price\n", encoding="utf-8")
    code, _out, err = run("import", str(path))
    assert code == Exit.OK, err
    assert _stages(run) == {"L": "lost"}


def _one(store: Any, collection: str, record_id: uuid.UUID, **changes: Any) -> str:
    records = store.exchange.export_records()
    row = next(r for r in records[collection] if r.id == record_id)
    for name, value in changes.items():
        setattr(row, name, value)
    return dump_document({collection: [row]}, exported_at=FIXED_NOW)


def test_json_import_refuses_won_without_a_signed_contract(store: Any) -> None:
    cid = store.customers.add_lead(validate(CustomerInput, {"name": "Omega"})).id
    with pytest.raises(ExchangeError, match=r"customers\[0\]\.stage: won needs a signed"):
        store.exchange.import_records(parse_document(_one(store, "customers", cid,
                                                          stage=Stage.WON)))
    with pytest.raises(ExchangeError, match="lost needs a lost_reason"):
        store.exchange.import_records(parse_document(_one(store, "customers", cid,
                                                          stage=Stage.LOST)))
    assert store.customers.get_customer(cid).stage == Stage.PROSPECT
    # Lost with its reason is what a move in the UI allows.
    store.exchange.import_records(parse_document(_one(store, "customers", cid, stage=Stage.LOST,
                                             lost_reason="price")))
    assert store.customers.get_customer(cid).stage == Stage.LOST


def test_json_import_cannot_unsign_a_won_customers_contract(store: Any) -> None:
    cid = store.customers.add_lead(validate(CustomerInput, {"name": "Sigma"})).id
    clauses = {clause: "agreed" for clause in CONTRACT_CLAUSES}
    kid = store.contracts.create_contract(cid, validate(ContractInput, {"value": "500",
                                                                        **clauses})).id
    store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
        "legal_review": "approved", "legal_reviewer": "Lin", "legal_reviewed_at": FIXED_NOW}))
    store.contracts.sign(kid)
    assert store.customers.get_customer(cid).stage == Stage.WON
    with pytest.raises(ExchangeError, match=r"contracts\[0\]\.customer_id: won needs"):
        store.exchange.import_records(parse_document(_one(store, "contracts", kid, signed_at=None)))
    # A full export of a consistent database imports back unchanged.
    text = dump_document(store.exchange.export_records(), exported_at=FIXED_NOW.astimezone(UTC))
    summary = store.exchange.import_records(parse_document(text))
    assert all(c.created == 0 and c.updated == 0 for c in summary.collections.values())
    with store.db.read() as session:
        assert session.exec(select(Customer.stage)).all() == [Stage.WON]
