"""The app-wide keys: one key, one meaning on every screen (tests/test_keymap.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from salesdev_tui.i18n import _


def app_bindings() -> list[BindingType]:
    """The App's BINDINGS (built on call: the labels follow the language)."""
    return [
        Binding("t", "go('today')", _("Today"), id="go-today", tooltip=_("The day's agenda")),
        Binding("c", "go('customers')", _("Customers"), id="go-customers",
                tooltip=_("Find, filter and open customers")),
        # One key, one meaning: no screen binds t, c, s, r, n, N, / or ? for anything else
        # (tests/test_keymap.py checks every screen).
        Binding("s", "go('scorecard')", _("Scorecard"), id="go-scorecard",
                tooltip=_("The indicators against target: month, quarter, year")),
        Binding("r", "review", _("Review"), id="review",
                tooltip=_("The end-of-day review, and the daily report for your manager")),
        Binding("n", "new_lead", _("New lead"), id="lead-new",
                tooltip=_("Type a lead on one line")),
        Binding("N", "new_lead_form", _("Lead form"), id="lead-form", show=False,
                tooltip=_("The full lead form, with batch mode for trade shows")),
        Binding("slash", "search", _("Search"), id="search", tooltip=_("Search customers")),
        Binding("question_mark", "help", _("Help"), id="help",
                tooltip=_("Keys of this screen, and the KPI definitions")),
        Binding("ctrl+q", "quit", _("Quit"), id="quit", show=False),
        # Priority, so focus moves before the next key is handed on: as screen bindings, a
        # fast typist's (or a pasted) "Acme<tab>Jane" put "AcmeJane" in one field, because
        # the App forwards the keys behind a tab to the old field before it moves.
        Binding("tab", "next_field", _("Next field"), id="focus-next", show=False,
                priority=True, tooltip=_("Move to the next field")),
        Binding("shift+tab", "previous_field", _("Previous field"), id="focus-previous",
                show=False, priority=True, tooltip=_("Move to the previous field")),
    ]
