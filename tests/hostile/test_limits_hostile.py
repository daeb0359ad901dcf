"""Length limits hold twice: the input model names the field, the CHECK refuses a raw write.

Both sides read the same numbers (`models.limits`); these tests take the CHECKs as the truth
(`length_limits`) and probe each input model around every limit, and write over-long values
straight through SQLAlchemy, past the input models, to see the database refuse them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from salesdev_tui.domain import validation as v
from salesdev_tui.domain.validation import InvalidInput, field_label, validate
from salesdev_tui.models.tables import (
    ALL_TABLES,
    CompetitorNote,
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    Record,
    ResearchNote,
    Survey,
    length_limits,
)
from tests.conftest import FIXED_NOW
from tests.hostile.strategies import EXAMPLES

#: Input model, its table, and the least it needs to be valid.
MODELS: tuple[tuple[type[v.InputModel], type[Record], dict[str, object]], ...] = (
    (v.CustomerInput, Customer, {"name": "Acme"}),
    (v.ContactInput, Contact, {"name": "Jane"}),
    (v.ContactPlanInput, ContactPlan, {"method": "phone", "scheduled_at": FIXED_NOW}),
    (v.PlanOutcomeInput, ContactPlan, {"status": "done"}),
    (v.NeedsNoteInput, NeedsNote, {"text": "late deliveries"}),
    (v.ProposalInput, Proposal, {"title": "Offer"}),
    (v.ProposalLineInput, ProposalLine, {"product": "Widget"}),
    (v.NegotiationInput, Negotiation, {"held_at": FIXED_NOW}),
    (v.NegotiationPointInput, NegotiationPoint, {"kind": "agreed", "text": "price"}),
    (v.ContractInput, Contract, {}),
    (v.LegalReviewInput, Contract, {"legal_review": "approved"}),
    (v.MilestoneInput, Milestone, {"title": "Kick-off"}),
    (v.ProgressReportInput, ProgressReport, {"sent_at": FIXED_NOW, "summary": "on track"}),
    (v.SurveyInput, Survey, {"score": 4, "taken_at": FIXED_NOW}),
    (v.CreditCheckInput, CreditCheck, {"checked_on": "2026-11-01", "rating": "A"}),
    (v.CompetitorNoteInput, CompetitorNote, {"competitor": "Rival"}),
    (v.ResearchNoteInput, ResearchNote, {"title": "Tools", "noted_on": "2026-11-01"}),
)

#: Fields with rules of their own that reject long values before the length does.
_SPECIAL = {"phone", "email", "phone_normalized", "period_label", "mobile",
            "mobile_normalized", "tax_id"}

LIMITED = [
    (model, table, base, name, low, high)
    for model, table, base in MODELS
    for name, (low, high) in length_limits(table).items()
    if name in model.model_fields and name not in _SPECIAL
]


def _multiline(model: type[v.InputModel], name: str) -> bool:
    # Multi-line fields keep "\n"; single-line ones refuse it.
    try:
        validate(model, {**_base(model), name: "a\nb"})
    except InvalidInput:
        return False
    return True


def _base(model: type[v.InputModel]) -> dict[str, object]:
    return next(dict(base) for m, _t, base in MODELS if m is model)


@pytest.mark.parametrize(
    ("model", "table", "base", "name", "low", "high"), LIMITED,
    ids=[f"{m.__name__}.{n}" for m, _t, _b, n, _l, _h in LIMITED],
)
def test_input_model_limit_is_the_check_limit(
    model: type[v.InputModel], table: type[Record], base: dict[str, object], name: str,
    low: int, high: int,
) -> None:
    @settings(max_examples=25, deadline=None, database=None)
    @given(extra=st.integers(-3, 3), char=st.sampled_from(["x", "Ä", "株", "👍", "[", "\u05d0"]))
    def probe(extra: int, char: str) -> None:
        EXAMPLES["limits: input models"] += 1
        count = high + extra
        value = char * count
        if count > high:
            with pytest.raises(InvalidInput) as refused:
                validate(model, {**base, name: value})
            message = refused.value.by_field()[name]
            assert field_label(name, model) in message
            assert str(high) in message
        else:
            assert getattr(validate(model, {**base, name: value}), name) == value

    probe()


def test_multiline_fields_are_the_text_columns() -> None:
    """Every multi-line field has the notes limit; every single-line one a shorter one."""
    from salesdev_tui.models import limits

    for model, _table, _base_values, name, _low, high in LIMITED:
        assert _multiline(model, name) == (high == limits.TEXT), (model.__name__, name)


# --- the database: CHECKs refuse what slips past the input models ------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.demo import generate_demo
    from salesdev_tui.store.combined import Store
    from tests.conftest import Clock

    path: Path = tmp_path_factory.mktemp("limits") / "demo.db"
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        store.exchange.bulk_insert(generate_demo(customers=12, seed=11, now=FIXED_NOW,
                                        zone=ZoneInfo("Asia/Taipei")))
        # The demo has no edit history: one edit makes the field_edit rows to probe.
        _edit_one_customer(store)
        yield store
    finally:
        db.close()


def _edit_one_customer(store: Any) -> None:
    with store.db.read() as session:
        customer_id = session.execute(sa.select(_table(Customer).c.id).limit(1)).scalar_one()
    store.customers.update_customer(customer_id, validate(v.CustomerInput,
                                                          {"name": "Renamed Trading"}))


TABLE_COLUMNS = [
    (table, name, low, high)
    for table in ALL_TABLES
    for name, (low, high) in length_limits(table).items()
]


def _table(model: type[Record]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _a_row(store: Any, table: sa.Table) -> dict[str, Any] | None:
    with store.db.read() as session:
        row = session.execute(sa.select(table).limit(1)).mappings().first()
    return None if row is None else dict(row)


@pytest.mark.parametrize(("model", "name", "low", "high"), TABLE_COLUMNS,
                         ids=[f"{t.__name__}.{n}" for t, n, _l, _h in TABLE_COLUMNS])
def test_check_refuses_raw_writes_over_the_limit(
    demo_store: Any, model: type[Record], name: str, low: int, high: int
) -> None:
    table = _table(model)
    refused = rf"CHECK constraint failed: ck_{table.name}_{name}_len\n"
    row = _a_row(demo_store, table)
    if row is None:
        pytest.skip(f"the demo data has no {table.name}")
    EXAMPLES["limits: raw writes"] += 1
    # UPDATE past the input models: one character too many, then too few.
    for bad in ["Ä" * (high + 1), *([""] if low > 0 else [])]:
        with pytest.raises(IntegrityError, match=refused), \
                demo_store.db.write() as session:
            session.execute(sa.update(table).where(table.c.id == row["id"]).values({name: bad}))
    # INSERT of a copy under a new id: refused for the length alone (a soft-deleted copy
    # takes no live unique key).
    copy = {**row, "id": uuid.uuid4(), "deleted_at": FIXED_NOW, name: "Ä" * (high + 1)}
    with pytest.raises(IntegrityError, match=refused), \
            demo_store.db.write() as session:
        session.execute(sa.insert(table).values(copy))
    # The limit itself is allowed (rolled back: the module's data stays as generated).
    with pytest.raises(_Undo), demo_store.db.write() as session:
        session.execute(sa.update(table).where(table.c.id == row["id"]).values(
            {name: "Ä" * high}))
        raise _Undo


class _Undo(Exception):
    """Rolls a write session back after it succeeded."""
