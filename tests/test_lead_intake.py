"""Pilot: lead intake by quick line and by the full form (batch mode, duplicates, failures)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.widgets import Input, Label, Static, TextArea

from salesdev_tui.dialogs.confirm import ConfirmScreen
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.forms.lead_dialog import DUPLICATE_DELAY
from salesdev_tui.forms.lead_form import LeadFormScreen
from salesdev_tui.forms.lead_quick import QuickLeadScreen
from salesdev_tui.models.enums import CompanySize, Potential, Source, Stage
from salesdev_tui.models.tables import Contact, Customer
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]

LINE = "Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #show:Computex_2026 #manufacturing !A"


def customers(store: Any) -> list[Customer]:
    with store.db.read() as session:
        return list(session.exec(select(Customer).order_by(col(Customer.created_at))).all())


def contacts(store: Any, customer_id: uuid.UUID) -> list[Contact]:
    with store.db.read() as session:
        return list(session.exec(select(Contact).where(Contact.customer_id == customer_id)).all())


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def value(screen: Any, field: str) -> str:
    return str(screen.query_one(f"#{field}", Input).value)


def seed_acme(store: Any) -> uuid.UUID:
    customer = validate(CustomerInput, {"name": "Acme Trading Co., Ltd.", "source": "trade_show",
                                        "source_detail": "Computex 2026"})
    contact = validate(ContactInput, {"name": "Jane Wu", "email": "jane@acme.tw",
                                      "phone": "0912 345 678"})
    customer_id: uuid.UUID = store.customers.add_lead(customer, contact).id
    return customer_id


async def settle(pilot: Any) -> None:
    """Let the duplicate lookup's debounce pass, then wait for every worker."""
    await pilot.pause(DUPLICATE_DELAY + 0.1)
    await wait_ready(pilot)


async def open_quick(pilot: Any) -> QuickLeadScreen:
    await wait_ready(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, QuickLeadScreen)
    return screen


async def open_form(pilot: Any) -> LeadFormScreen:
    await wait_ready(pilot)
    await pilot.press("N")
    await wait_ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LeadFormScreen)
    return screen


# --- quick line ------------------------------------------------------------------------------


async def test_quick_line_saves_customer_and_contact(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_quick(pilot)
        await pilot.press(*LINE)
        preview = text_of(screen, "#quick-preview")
        for shown in ("Acme Trading", "Jane Wu", "jane@acme.tw", "+886 912 345 678",
                      "trade show: Computex 2026", "manufacturing"):
            assert shown in preview
        await pilot.press("enter")
        await wait_ready(pilot)

        [acme] = customers(app.store)
        assert acme.name == "Acme Trading"
        assert acme.stage is Stage.PROSPECT
        assert acme.source is Source.TRADE_SHOW
        assert acme.source_detail == "Computex 2026"
        assert acme.industry == "manufacturing"
        assert acme.potential is Potential.A
        [jane] = contacts(app.store, acme.id)
        assert (jane.name, jane.email, jane.phone) == ("Jane Wu", "jane@acme.tw",
                                                       "+886 912 345 678")
        assert jane.phone_normalized == "+886912345678"
        assert jane.is_primary
        # The dialog stays for the next lead, with an empty line.
        assert app.screen is screen
        assert value(screen, "quick-line") == ""

        await pilot.press(*"Beta Corp; Ken Lee 0922 333 444", "ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["Acme Trading", "Beta Corp"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuickLeadScreen)


async def test_quick_line_shows_markup_as_text(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_quick(pilot)
        await pilot.press(*"[b]Bold[/] & Co [/]; [@click=app.quit]x[/]")
        assert "[b]Bold[/] & Co [/]" in text_of(screen, "#quick-preview")
        await pilot.press("enter")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["[b]Bold[/] & Co [/]"]


async def test_quick_line_escape_asks_before_discarding(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_quick(pilot)
        await pilot.press(*"Acme")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert pilot.app.screen is screen and value(screen, "quick-line") == "Acme"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (QuickLeadScreen, ConfirmScreen))


async def test_quick_line_carries_over_into_the_form(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        quick = await open_quick(pilot)
        quick.query_one("#quick-line", Input).value = LINE
        await pilot.press("ctrl+f")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, LeadFormScreen)
        assert value(form, "company") == "Acme Trading"
        assert value(form, "contact_name") == "Jane Wu"
        assert value(form, "email") == "jane@acme.tw"
        assert value(form, "source_detail") == "Computex 2026"
        assert form.query_one("#source").value is Source.TRADE_SHOW  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["Acme Trading"]
        assert not isinstance(app.screen, LeadFormScreen)


# --- full form -------------------------------------------------------------------------------


async def test_a_burst_of_keys_with_tabs_fills_field_after_field(make_app: MakeApp) -> None:
    """Keys arriving all at once (a fast typist, tmux send-keys, a card scanner) must not
    pile into the first field: each tab moves focus before the next key is handed on."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        for key in [*"Acme", "tab", *"Jane Wu", "tab", *"0912345678"]:
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await pilot.pause(0.3)
        values = [form.query_one(f"#{field}", Input).value
                  for field in ("company", "contact_name", "phone")]
        assert values == ["Acme", "Jane Wu", "0912345678"]


async def test_full_form_saves_with_ctrl_s(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        assert form.focused is form.query_one("#company")
        # Business card down the left column, in tab order.
        await pilot.press(*"Delta Foods", "tab", *"Amy Chen", "tab", *"02 2345 6789", "tab",
                          *"amy@deltafoods.tw", "tab", *"1 Food Rd, Taipei", "tab")
        # Then the classification on the right: industry, size, potential, purchasing power.
        assert form.focused is form.query_one("#industry")
        await pilot.press(*"food service", "tab")
        await pilot.press("enter", "down", "down", "enter")  # size: micro, small
        await pilot.press("tab", "enter", "down", "enter")  # potential: A
        await pilot.press("tab")
        form.query_one("#source").value = Source.REFERRAL  # type: ignore[attr-defined]
        form.query_one("#source_detail", Input).value = "Mr Lin"
        form.query_one("#needs_preferences", TextArea).focus()
        await pilot.press(*"Cold chain", "enter", *"trucks")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        [delta] = customers(app.store)
        assert delta.name == "Delta Foods"
        assert delta.address == "1 Food Rd, Taipei"
        assert delta.industry == "food service"
        assert delta.size is CompanySize.SMALL
        assert delta.potential is Potential.A
        assert delta.source is Source.REFERRAL and delta.source_detail == "Mr Lin"
        assert delta.needs_preferences == "Cold chain\ntrucks"
        [amy] = contacts(app.store, delta.id)
        assert (amy.name, amy.email, amy.phone_normalized) == ("Amy Chen", "amy@deltafoods.tw",
                                                               "+886223456789")
        assert not isinstance(app.screen, LeadFormScreen)


async def test_batch_of_three_leads_share_the_trade_show(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_ready(pilot)
        seed_acme(app.store)
        form = await open_form(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        # Batch mode is for trade shows: the source is set and the show is asked first.
        assert form.query_one("#source").value is Source.TRADE_SHOW  # type: ignore[attr-defined]
        assert form.focused is form.query_one("#source_detail")
        await wait_ready(pilot)
        await pilot.press(*"comp")
        await wait_ready(pilot)
        await pilot.press("right")  # accept the completion from values already used
        assert value(form, "source_detail") == "Computex 2026"
        await pilot.press("tab")
        cards = [
            ("Echo Ltd", "Eve Lin", "0911 111 111", "eve@echo.tw"),
            ("Fox Inc", "Frank Ho", "0922 222 222", "frank@fox.tw"),
            ("Gulf Co", "Gina Wu", "0933 333 333", "gina@gulf.tw"),
        ]
        for company, person, phone, email in cards:
            assert form.focused is form.query_one("#company")
            await pilot.press(*company, "tab", *person, "tab", *phone, "tab", *email, "ctrl+s")
            await wait_ready(pilot)
            assert value(form, "company") == "" and value(form, "email") == ""
            assert value(form, "source_detail") == "Computex 2026"
        assert "3 saved in this batch" in str(form.query_one("#lead-batch", Label).render())

        saved = [c for c in customers(app.store) if c.name != "Acme Trading Co., Ltd."]
        assert [c.name for c in saved] == ["Echo Ltd", "Fox Inc", "Gulf Co"]
        assert {(c.source, c.source_detail) for c in saved} == {
            (Source.TRADE_SHOW, "Computex 2026")
        }
        assert [contacts(app.store, c.id)[0].email for c in saved] == [
            "eve@echo.tw", "frank@fox.tw", "gina@gulf.tw"
        ]
        # Nothing new typed since the last save: escape closes without asking.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (LeadFormScreen, ConfirmScreen))


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Other Co; Bob <jane@acme.tw>", "same e-mail"),
        ("Other Co; Bob 0912-345-678", "same phone"),
        ("Acme Trading Taipei", "similar name"),
        ("ACME TRADING", "same name"),
        ("Other Co; Bob <bob@acme.tw>", "same e-mail domain"),
    ],
)
async def test_quick_line_warns_of_a_duplicate(make_app: MakeApp, typed: str, reason: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = seed_acme(app.store)
        screen = await open_quick(pilot)
        await pilot.press(*typed)
        await settle(pilot)
        warning = text_of(screen, "#lead-duplicates")
        assert "Acme Trading Co., Ltd." in warning
        assert reason in warning
        assert "^o opens Acme Trading Co., Ltd." in warning
        assert [m.customer_id for m in screen.duplicates] == [acme]
        await pilot.press("ctrl+o")
        await wait_ready(pilot)
        assert not isinstance(app.screen, QuickLeadScreen)
        assert getattr(app.screen, "customer_id", acme) == acme
        assert len(customers(app.store)) == 1


async def test_form_warns_of_a_duplicate_while_typing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        seed_acme(app.store)
        form = await open_form(pilot)
        assert "-hidden" in form.query_one("#lead-duplicates").classes
        await pilot.press(*"Zeta", "tab", "tab", *"0912345678")
        await settle(pilot)
        warning = text_of(form, "#lead-duplicates")
        assert "Acme Trading Co., Ltd." in warning and "same phone" in warning
        # Typing on until it no longer matches clears the warning.
        await pilot.press("backspace")
        await settle(pilot)
        assert "-hidden" in form.query_one("#lead-duplicates").classes


async def test_bad_email_shows_at_the_field_and_keeps_the_text(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Acme", "tab", *"Jane", "tab", "tab", *"jane@acme", "ctrl+s")
        await wait_ready(pilot)
        error = form.query_one("#email-error", Static)
        assert "-hidden" not in error.classes
        assert "E-mail" in str(error.render())
        assert "-hidden" in form.query_one("#company-error", Static).classes
        assert (value(form, "company"), value(form, "contact_name"), value(form, "email")) == (
            "Acme", "Jane", "jane@acme"
        )
        assert form.focused is form.query_one("#email")
        assert customers(app.store) == []
        # Corrected, it saves.
        await pilot.press(*".tw", "ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["Acme"]


async def test_quick_line_problem_keeps_the_line(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_quick(pilot)
        await pilot.press(*"Acme; Jane <jane@acme>", "enter")
        await wait_ready(pilot)
        assert "not a valid e-mail" in text_of(screen, "#quick-problems")
        assert value(screen, "quick-line") == "Acme; Jane <jane@acme>"
        assert customers(app.store) == []
        # A phone without a person is refused at the contact, plainly.
        await pilot.press("ctrl+u", *"Acme 0912 345 678", "enter")
        await wait_ready(pilot)
        assert "Contact person" in text_of(screen, "#quick-problems")
        assert customers(app.store) == []


async def test_locked_database_keeps_input_and_retry_saves_once(
    make_app: MakeApp, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Locked Co", "tab", *"Lee", "tab", *"0911 222 333", "tab",
                          *"lee@locked.tw")
        await settle(pilot)
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            await pilot.press("ctrl+s")
            await pilot.pause()
            # While the save waits, the fields are locked and a second ctrl+s does nothing.
            assert form.query_one("#lead-form-body").disabled
            assert "Saving" in text_of(form, "#lead-status")
            await pilot.press("ctrl+s")
            await wait_ready(pilot)  # the busy timeout (5 s) runs out
            assert not form.query_one("#lead-form-body").disabled
            assert form.focused is form.query_one("#email")
            status = text_of(form, "#lead-status")
            assert "busy" in status and "your input is kept" in status
            assert "Traceback" not in status
            assert app.screen is form
            assert [value(form, f) for f in ("company", "contact_name", "phone", "email")] == [
                "Locked Co", "Lee", "0911 222 333", "lee@locked.tw"
            ]
        finally:
            other.rollback()
            other.close()
        assert customers(app.store) == []
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["Locked Co"]
        assert not isinstance(app.screen, LeadFormScreen)


async def _batch_form(pilot: Any, show: str) -> LeadFormScreen:
    form = await open_form(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()
    form.query_one("#source_detail", Input).value = show
    form.query_one("#company", Input).focus()
    await pilot.pause()
    return form


def _burst(app: Any, keys: list[str]) -> None:
    """Keys all at once, as from a fast typist, tmux send-keys or a card scanner."""
    from textual import events

    names = {"tab": "\t", "ctrl+s": None}
    for key in keys:
        app.post_message(events.Key(key, names.get(key, key)))


async def test_batch_cards_typed_straight_on_lose_no_key(make_app: MakeApp) -> None:
    """Save and next clears the card at once: the next card's keys, arriving while the
    previous one is still being saved, all land (they were dropped while the form waited)."""
    app = make_app()
    cards = [("Echo Ltd", "Eve Lin", "0911 111 111"), ("Fox Inc", "Frank Ho", "0922 222 222"),
             ("Gulf Co", "Gina Wu", "0933 333 333")]
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _batch_form(pilot, "Computex 2026")
        keys: list[str] = []
        for company, person, phone in cards:
            keys += [*company, "tab", *person, "tab", *phone, "ctrl+s"]
        _burst(app, keys)
        await wait_ready(pilot)
        assert {c.name for c in customers(app.store)} == {"Echo Ltd", "Fox Inc", "Gulf Co"}
        assert {c.source_detail for c in customers(app.store)} == {"Computex 2026"}
        assert "3 saved in this batch" in str(form.query_one("#lead-batch", Label).render())
        assert value(form, "company") == ""


async def test_a_batch_card_that_fails_to_save_is_kept_aside(
    make_app: MakeApp, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _batch_form(pilot, "Computex 2026")
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            await pilot.press(*"Locked Co", "tab", *"Lee", "tab", *"0911 222 333", "ctrl+s")
            # The rep goes on with the next card while the first save waits on the lock.
            await pilot.press(*"Next Co")
            await wait_ready(pilot)  # the busy timeout (5 s) runs out
        finally:
            other.rollback()
            other.close()
        assert customers(app.store) == []
        assert value(form, "company") == "Next Co"  # the new card is untouched
        status = text_of(form, "#lead-status")
        assert "busy" in status and "Locked Co is kept aside: ^r" in status
        await pilot.press("ctrl+r")  # refused: it would replace the card being typed
        assert value(form, "company") == "Next Co"
        await pilot.press(*"Pilot", "ctrl+s")  # finish the next card (company alone is enough)
        await wait_ready(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [value(form, f) for f in ("company", "contact_name", "phone")] == [
            "Locked Co", "Lee", "0911 222 333"
        ]
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert sorted(c.name for c in customers(app.store)) == ["Locked Co", "Next CoPilot"]
