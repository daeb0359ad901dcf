"""`?`: the keys of the screen you came from, the app-wide keys, and the KPI definitions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground

#: What help shows that salesdev does not write: Textual's own key descriptions and the
#: names of the widgets a key belongs to. Listed so the catalogue has them (they are
#: translated when shown, like every binding's description).
TEXTUAL_WORDS = (
    N_("Cursor up"), N_("Cursor down"), N_("Cursor left"), N_("Cursor right"),
    N_("Home"), N_("End"), N_("Top"), N_("Bottom"), N_("Page up"), N_("Page down"),
    N_("Page Up"), N_("Page Down"), N_("Page Left"), N_("Page Right"),
    N_("Scroll Up"), N_("Scroll Down"), N_("Scroll Left"), N_("Scroll Right"),
    N_("Scroll Home"), N_("Scroll End"), N_("Select"), N_("Copy selected text"),
    N_("Next tab"), N_("Previous tab"),
    N_("AgendaTable"), N_("CustomerTable"), N_("KpiTable"), N_("ContentTabs"),
    N_("CustomerPage"), N_("VerticalScroll"),
)


def kpi_definitions() -> str:
    """The policy's indicators as ARCHITECTURE.md defines them (also in the README)."""
    return "\n".join(
        [
            _("New customers: customers whose first contract was signed in the period."),
            _("Prospects contacted: customers whose first completed contact falls in the "
              "period."),
            _("Success rate = new customers ÷ prospects contacted (none when nobody was "
              "contacted; it can exceed 100%)."),
            _("Revenue: the sum of contract values signed in the period; profit: the sum of "
              "value − cost of those contracts."),
            _("Satisfaction: the mean survey score (1–5) in the period, with the number of "
              "responses."),
            _("Commission = revenue × your commission rate (config: commission_rate)."),
            _("Periods are cut in your time zone: months, quarters and years."),
        ]
    )


def keys_of(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """The bindings active on `screen` (focused widget, screen, app), as the help lists them."""
    app = screen.app
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        if active.node is app:
            where = _("everywhere")
        else:
            # The screen or widget's class name, through the catalogue like Textual's own
            # binding descriptions below ("Cursor up"): they are not written with _().
            where = _(type(active.node).__name__.removesuffix("Screen"))
        # Descriptions are marked N_() at import: translated now, in the active language.
        rows.append((app.get_key_display(binding), _(active.tooltip or binding.description),
                     where))
    rows.append(("ctrl+p", _("Command palette: every action, jump to a customer"),
                 _("everywhere")))
    return rows


class HelpScreen(DimmedBackground, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"), id="help-close"),
    ]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        """`keys`: (key as shown, what it does, where it works), from `keys_of(screen)`."""
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="none", show_cursor=False)
            yield Label(_("The indicators (policy V)"), classes="section-title")
            yield Static(Text(kpi_definitions()), id="help-kpis")
            yield Label(_("Quick line"), classes="section-title")
            yield Static(Text(self._quick_help()), id="help-quick")

    @staticmethod
    def _quick_help() -> str:
        from salesdev_tui.domain.quickadd import QUICK_LINE_HELP

        return _(QUICK_LINE_HELP)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("key"), _("what it does"), _("where"))
        for key, what, where in self.keys:
            table.add_row(Text(key), Text(what), Text(where))

    def action_close(self) -> None:
        self.dismiss(None)
