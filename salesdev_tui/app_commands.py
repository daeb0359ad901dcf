"""The command palette's app-wide commands, then what the current screen offers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, cast

from textual.app import App, SystemCommand
from textual.screen import Screen

from salesdev_tui.app_protocol import SalesApp
from salesdev_tui.i18n import LANGUAGE_NAMES, _, language


def app_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Each runs one of the App's actions (by name: this module does not import the App)."""

    def action(name: str) -> Callable[[], Any]:
        return partial(app.run_action, name)

    yield SystemCommand(_("Today"), _("The day's agenda"), action("go('today')"))
    yield SystemCommand(_("Customers"), _("Find, filter and open customers"),
                        action("go('customers')"))
    yield SystemCommand(_("Scorecard"), _("The indicators against target, pace and trend"),
                        action("go('scorecard')"))
    yield SystemCommand(_("End-of-day review"), _("The day against the plan; daily report"),
                        action("review"))
    yield SystemCommand(_("New lead (quick line)"), _("Type a lead on one line"),
                        action("new_lead"))
    yield SystemCommand(_("New lead (full form)"), _("Every field; batch mode"),
                        action("new_lead_form"))
    yield SystemCommand(_("Help"), _("Keys and KPI definitions"), action("help"))
    for code, name in LANGUAGE_NAMES.items():
        if code != language():
            yield SystemCommand(
                _("Language: {name}").format(name=name),
                _("Show salesdev in {name} (saved in the config)").format(name=name),
                partial(app.run_action, f"switch_language('{code}')"),
            )
    yield SystemCommand(_("Export upcoming plans to a calendar (.ics)"),
                        _("A file your calendar app imports"), action("export_plans"))
    yield SystemCommand(_("Competitors"), _("Whom you meet at customers, and whom you lose to"),
                        action("competitors"))
    yield SystemCommand(_("Market research"), _("Research notes and the customers they found"),
                        action("research"))
    from salesdev_tui.screens.base import DbMixin

    if isinstance(screen, DbMixin):  # it runs the listing and the restore in workers
        from salesdev_tui.dialogs.delete_customer import ask_restore

        open_customer = cast(SalesApp, app).open_customer
        yield SystemCommand(_("Restore deleted customer…"),
                            _("Bring back a customer deleted earlier"),
                            lambda: ask_restore(screen, open_customer))
    from salesdev_tui.screens.transfer_commands import transfer_commands

    yield from transfer_commands(app)
    from salesdev_tui.app_sync import sync_commands

    yield from sync_commands(app)

    from salesdev_tui.screens.team_commands import team_commands

    yield from team_commands(app)
    # Then what the current screen offers (a customer's page: its stage moves, …).
    offer = getattr(screen, "palette_commands", None)
    if callable(offer):
        yield from offer()
