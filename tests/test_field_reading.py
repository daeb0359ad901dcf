"""Under a date or time field, what the typed words mean, as they are typed (Pilot)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Label

from salesdev_tui import i18n
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.forms.plan_form import PlanFormScreen
from salesdev_tui.models.enums import PlanStatus
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


def _reading(form: PlanFormScreen) -> str | None:
    label = form.query_one("#r-scheduled_at", Label)
    return None if label.has_class("-hidden") else str(label.render()).strip()


@pytest.mark.parametrize(
    ("language", "typed", "reading"),
    [
        ("zh_TW", "明天下午3點", "→ 2026年11月17日 (二) 下午3:00"),
        ("en", "tomorrow 15:00", "→ Tue 2026-11-17 15:00"),
    ],
)
async def test_the_time_field_says_what_it_read(make_app: MakeApp, language: str, typed: str,
                                                 reading: str) -> None:
    app = make_app(language=language)
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_ready(pilot)
            acme = app.store.customers.add_lead(
                validate(CustomerInput, {"name": "台灣精密機械"}),
                validate(ContactInput, {"name": "王大明"})).id
            form = PlanFormScreen(acme, None)
            app.push_screen(form)
            await wait_ready(pilot)
            form.query_one("#f-scheduled_at").focus()
            assert _reading(form) is None  # nothing typed: nothing read
            await pilot.press(*typed)
            await wait_ready(pilot)
            assert _reading(form) == reading
            await pilot.press("x")  # no longer a time: the reading goes, no error yet
            await wait_ready(pilot)
            assert _reading(form) is None
            assert form.query_one("#e-scheduled_at", Label).has_class("-hidden")
            await pilot.press("backspace", "ctrl+s")
            await wait_ready(pilot)
            plans = app.store.plans.plans_of(acme)
            assert [p.status for p in plans] == [PlanStatus.PLANNED]
            local = plans[0].scheduled_at.astimezone(app.settings.zone)
            assert (local.day, local.hour, local.minute) == (17, 15, 0)
    finally:
        i18n.set_language("en")


async def test_a_plain_date_needs_no_reading(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot)
        acme = app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme"}),
                                            validate(ContactInput, {"name": "Jane"})).id
        form = PlanFormScreen(acme, None)
        app.push_screen(form)
        await wait_ready(pilot)
        form.query_one("#f-scheduled_at").focus()
        await pilot.press(*"2026-11-20 10:00")
        await wait_ready(pilot)
        assert _reading(form) is None

