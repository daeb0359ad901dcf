"""The app-wide keys: one key, one meaning on every screen (tests/test_keymap.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from salesdev_tui.i18n import N_


def app_bindings() -> list[BindingType]:
    """The App's BINDINGS (marked N_: the footer and help translate them when shown)."""
    return [
        Binding("t", "go('today')", N_("Today"), id="go-today", tooltip=N_("The day's agenda")),
        Binding("c", "go('customers')", N_("Customers"), id="go-customers",
                tooltip=N_("Find, filter and open customers")),
        # One key, one meaning: no screen binds t, c, s, r, n, N, / or ? for anything else
        # (tests/test_keymap.py checks every screen).
        Binding("s", "go('scorecard')", N_("Scorecard"), id="go-scorecard",
                tooltip=N_("The indicators against target: month, quarter, year")),
        Binding("r", "review", N_("Review"), id="review",
                tooltip=N_("The end-of-day review, and the daily report for your manager")),
        Binding("n", "new_lead", N_("New lead"), id="lead-new",
                tooltip=N_("Type a lead on one line")),
        Binding("N", "new_lead_form", N_("Lead form"), id="lead-form", show=False,
                tooltip=N_("The full lead form, with batch mode for trade shows")),
        Binding("slash", "search", N_("Search"), id="search", tooltip=N_("Search customers")),
        Binding("question_mark", "help", N_("Help"), id="help",
                tooltip=N_("Keys of this screen, and the KPI definitions")),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", show=False),
        # Priority, so focus moves before the next key is handed on: as screen bindings, a
        # fast typist's (or a pasted) "Acme<tab>Jane" put "AcmeJane" in one field, because
        # the App forwards the keys behind a tab to the old field before it moves.
        Binding("tab", "next_field", N_("Next field"), id="focus-next", show=False,
                priority=True, tooltip=N_("Move to the next field")),
        Binding("shift+tab", "previous_field", N_("Previous field"), id="focus-previous",
                show=False, priority=True, tooltip=N_("Move to the previous field")),
    ]
