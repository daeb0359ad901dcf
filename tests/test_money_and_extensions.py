"""Amounts as reps write them (150萬, 1.2億, 80k, １２３) in every form, refusing another
currency's sign (`$5`, `€5` are not TWD), and phone extensions on the quick line (14.16, 20.11)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from salesdev_tui.domain.money import parse_amount
from salesdev_tui.domain.quickadd import check_quick_line, parse_quick_line
from salesdev_tui.domain.validation import (
    ContractInput,
    CreditCheckInput,
    CustomerInput,
    InvalidInput,
    NeedsNoteInput,
    ProposalLineInput,
    TargetInput,
    validate,
)
from salesdev_tui.models.tables import Contact, Customer, NeedsNote
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150萬", "1500000"), ("1.2億", "120000000"), ("80k", "80000"), ("80K", "80000"),
        ("１２３", "123"), ("１，２３４．５", "1234.5"), ("NT$150萬", "1500000"),
        ("150 萬元", "1500000"), ("1億2000萬", "120000000"), ("3千萬", "30000000"),
        ("1.5m", "1500000"), ("TWD 1,234.50", "1234.50"), ("1,234", "1234"),
        ("１５０万", "1500000"),
    ],
)
def test_amounts_as_reps_write_them(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["$5", "€5", "5 EUR", "US$5", "¥5", "£5", "5円", "USD 5"]
)
def test_another_currency_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="TWD"):
        parse_amount(typed, currency="TWD")


def test_the_configured_currency_is_the_one_accepted() -> None:
    assert parse_amount("€5", currency="EUR") == Decimal("5.00")
    assert parse_amount("$5", currency="USD") == Decimal("5.00")
    with pytest.raises(ValueError, match="EUR"):
        parse_amount("NT$5", currency="EUR")


@pytest.mark.parametrize("typed", ["1萬5", "80kk", "k80", "萬", "1.2.3", "12 apples", "-5萬"])
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(typed)


# Every money field of every input model reads the same way, and names the field when refused.
MONEY_FIELDS = [
    (ContractInput, {}, "value", "Contract value"),
    (ContractInput, {}, "cost", "Cost"),
    (NeedsNoteInput, {"text": "x"}, "budget", "Budget"),
    (CreditCheckInput, {"checked_on": "2026-11-16", "rating": "A"}, "credit_limit",
     "Credit limit"),
    (ProposalLineInput, {"product": "Valve"}, "unit_price", "Unit price"),
    (TargetInput, {"period_kind": "month", "period_label": "2026-11", "kpi": "revenue"},
     "value", "Target value"),
]


@pytest.mark.parametrize(("model", "base", "field", "label"), MONEY_FIELDS)
def test_every_money_field_reads_units_and_refuses_other_currencies(
    model: Any, base: dict[str, object], field: str, label: str
) -> None:
    assert getattr(validate(model, {**base, field: "150萬"}), field) == Decimal("1500000")
    assert getattr(validate(model, {**base, field: "８０ｋ"}), field) == Decimal("80000")
    for typed in ("$5", "€5"):
        with pytest.raises(InvalidInput) as refused:
            validate(model, {**base, field: typed})
        assert refused.value.problems[0].field == field
        assert str(refused.value).startswith(label + ":")
    assert getattr(validate(model, {**base, field: "€5"}, currency="EUR"), field) == 5


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("Acme; Jane Wu (02) 2345-6789 分機 123", "(02) 2345-6789 分機 123"),
        ("Acme; Jane Wu (02) 2345-6789 ext 123 #show", "(02) 2345-6789 ext 123"),
        ("Acme; Jane Wu 02 2345 6789 x12", "02 2345 6789 x12"),
        ("Acme; Jane Wu 0223456789 轉 45", "0223456789 轉 45"),
        ("大同公司；王小明０２２３４５６７８９分機１２３", "0223456789 分機123"),
    ],
)
def test_quick_line_takes_a_phone_extension(line: str, phone: str) -> None:
    lead = parse_quick_line(line)
    assert lead.problems == ()
    assert lead.phone == phone
    assert lead.contact_name in ("Jane Wu", "王小明")  # 分機 is not part of the name
    draft = check_quick_line(line, region="TW")
    assert draft.contact is not None and draft.contact.phone_normalized == "+886223456789"


async def test_quick_line_saves_the_extension(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Acme Trading; Jane Wu (02) 2345-6789 分機 123", "enter")
        await wait_ready(pilot)
        with app.store.db.read() as session:
            [acme] = session.exec(select(Customer)).all()
            [jane] = session.exec(select(Contact)).all()
        assert acme.name == "Acme Trading"
        assert (jane.name, jane.phone) == ("Jane Wu", "(02) 2345-6789 分機 123")


async def test_needs_form_takes_150_wan_and_refuses_dollars(make_app: MakeApp) -> None:
    from salesdev_tui.screens.customer_page import CustomerPageScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id: uuid.UUID = app.store.customers.add_lead(
            validate(CustomerInput, {"name": "Acme Trading"})).id
        app.open_customer(customer_id)
        await wait_ready(pilot)
        await pilot.press("3")
        await wait_ready(pilot)
        await pilot.press("a")
        await wait_ready(pilot)
        form = app.screen
        await pilot.press(*"Faster delivery", "tab", "tab", "tab", *"$5")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.screen is form  # refused, the text kept
        assert "Budget" in str(form.query_one("#e-budget").render())
        await pilot.press("backspace", "backspace", *"150萬", "ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        with app.store.db.read() as session:
            [note] = session.exec(select(NeedsNote)).all()
        assert note.budget == Decimal("1500000.00")
