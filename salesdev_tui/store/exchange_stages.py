"""A JSON import goes through the hard stage gates too (issue 20.9, docs/EXCHANGE.md rule 6).

Checked in the import's transaction, after the records are written: every live customer the
file names, or whose contracts the file names, must be won exactly when one of its live
contracts is signed, and lost only with a reason (`services.import_stages`). A problem is
reported on the customer's record in the file (or on its contract, when only the contract
is in the file), and the all-or-nothing import is refused. Customers the file does not touch
this way are not judged here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from salesdev_tui.domain.exchange import ExchangeProblem, RecordSet
from salesdev_tui.domain.import_stages import json_stage_problem
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Contract, Customer

_CHUNK = 500


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def stage_problems(session: Session, records: RecordSet) -> list[ExchangeProblem]:
    """The file's customers whose stage their contracts (or reason) do not prove."""
    in_file = {row.id: i for i, row in enumerate(records.get("customers", []))}
    contracts_in_file: dict[uuid.UUID, int] = {}
    for i, row in enumerate(records.get("contracts", [])):
        owner = getattr(row, "customer_id", None)
        if isinstance(owner, uuid.UUID):
            contracts_in_file.setdefault(owner, i)
    ids = sorted(set(in_file) | set(contracts_in_file), key=str)
    if not ids:
        return []
    customer = Customer.__table__  # type: ignore[attr-defined]
    contract = Contract.__table__  # type: ignore[attr-defined]
    problems: list[ExchangeProblem] = []
    for chunk in _chunks(ids):
        signed = {
            value for (value,) in session.execute(
                sa.select(contract.c.customer_id).where(
                    contract.c.customer_id.in_(chunk),
                    contract.c.signed_at.is_not(None),
                    contract.c.deleted_at.is_(None),
                )
            )
        }
        rows = session.execute(
            sa.select(customer.c.id, customer.c.stage, customer.c.lost_reason).where(
                customer.c.id.in_(chunk), customer.c.deleted_at.is_(None)
            )
        ).all()
        for customer_id, stage, lost_reason in rows:
            problem = json_stage_problem(Stage(stage), lost_reason, customer_id in signed)
            if problem is None:
                continue
            if customer_id in in_file:
                problems.append(ExchangeProblem("customers", in_file[customer_id], "stage",
                                                problem))
            else:
                problems.append(ExchangeProblem("contracts", contracts_in_file[customer_id],
                                                "customer_id", problem))
    return problems
