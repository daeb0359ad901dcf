"""Where the app's keys take the rep: the mode screens, and `t`, `c`, `s`, `/` always to the
screen they name, never to whatever page was left on top of that mode.

Each mode keeps its own stack: a customer page opened from the list sits on the list's
stack, so switching back to the mode used to show that page, where the letters typed next
(meant for the search box) fired the page's keys (issue 14.2). A navigation key now also
closes the pages on top of the mode's screen. A dialog (a form, a question) holds typed
text and is left open: the rep finishes or closes it first.

The switch and the closing are awaited inside the key's action: the App reads the next key
only after the action, so keys typed straight after `/` land in the search box, not on
whatever screen is passing by.

The App's key actions are these functions (`SalesdevApp.action_review = review`, …): each
imports its screen when first used, so the first frame imports only Today.
"""

from __future__ import annotations

import uuid
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen


def customers_screen() -> Screen[None]:
    """The Customers mode's screen, imported when first shown (not for the first frame)."""
    from salesdev_tui.screens.customers import CustomersScreen

    return CustomersScreen()


def scorecard_screen() -> Screen[None]:
    """The Scorecard mode's screen, imported when first shown."""
    from salesdev_tui.screens.scorecard import ScorecardScreen

    return ScorecardScreen()


async def show_mode(app: App[Any], mode: str) -> Screen[Any]:
    """Switch to `mode` and close the pages (not dialogs) above its own screen; return the
    screen now shown."""
    if mode != app.current_mode:
        await app.switch_mode(mode)
    while len(app.screen_stack) > 1 and not isinstance(app.screen, ModalScreen):
        await app.pop_screen()
    return app.screen


def push_once(app: App[Any], screen_type: type[Screen[Any]]) -> None:
    """Show a screen of `screen_type` unless it is the one shown."""
    if not isinstance(app.screen, screen_type):
        app.push_screen(screen_type())


async def go(app: App[Any], mode: str) -> None:
    """`t`, `c`, `s`: the mode's own screen."""
    await show_mode(app, mode)


# Awaited (as show_mode is): the App reads the key after `n` only once the form is up with
# its line focused, so a name typed straight after lands in it, not on the screen or the
# app's bindings (`c`, `t`, `s` …) while the form is still being built.
async def new_lead(app: App[Any]) -> None:
    from salesdev_tui.forms.lead_quick import QuickLeadScreen

    await app.push_screen(QuickLeadScreen())


async def new_lead_form(app: App[Any]) -> None:
    from salesdev_tui.forms.lead_form import LeadFormScreen

    await app.push_screen(LeadFormScreen())


async def search(app: App[Any]) -> None:
    """`/`: the Customers list with its search box focused and selected."""
    from salesdev_tui.screens.customers import CustomersScreen

    screen = await show_mode(app, "customers")
    if isinstance(screen, CustomersScreen):
        screen.focus_search(select=True)


def show_help(app: App[Any]) -> None:
    from salesdev_tui.dialogs.help import HelpScreen, keys_of

    if not isinstance(app.screen, HelpScreen):
        app.push_screen(HelpScreen(keys_of(app.screen)))


def export_plans(app: App[Any]) -> None:
    from salesdev_tui.dialogs.ics_export import IcsExportScreen

    app.push_screen(IcsExportScreen())


def competitors(app: App[Any]) -> None:
    from salesdev_tui.screens.competitors import CompetitorsScreen

    push_once(app, CompetitorsScreen)


def research(app: App[Any]) -> None:
    from salesdev_tui.screens.research import ResearchScreen

    push_once(app, ResearchScreen)


def plan_contact(app: App[Any], customer_id: uuid.UUID, *,
                 initial: dict[str, object] | None = None, focus: str = "") -> None:
    """The form that plans a contact with `customer_id`, filled from `initial`."""
    from salesdev_tui.forms.plan_form import PlanFormScreen

    app.push_screen(PlanFormScreen(customer_id, None, initial=initial, focus=focus))


def review(app: App[Any]) -> None:
    from salesdev_tui.screens.review import ReviewScreen

    push_once(app, ReviewScreen)
