"""The rep's own month-end assessments (issue 19.2): what the manager wrote after the
performance talk, brought to this laptop by the sync and read here (never edited: the
manager writes them on the team server). Read from the laptop's database in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store


class MyAssessmentsScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("Back"), id="my-assessments-back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="my-assessments-body"):
            yield Label(_("My assessments"), classes="section-title")
            yield Static("", id="my-assessments-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        def read(store: Store) -> list[dict[str, Any]]:
            from salesdev_tui.usecases.team_view import my_assessments

            return my_assessments(store.db)

        self.run_db(read, self._loaded)

    def _loaded(self, found: list[dict[str, Any]]) -> None:
        zone = self.sales_app.settings.zone
        text = Text()
        if not found:
            text.append(_("No assessment yet (they arrive with `salesdev sync`)."))
        for item in found:
            text.append(_("{period}: assessed by {name} on {when}").format(
                period=item["period_label"], name=item["assessed_by"],
                when=item["assessed_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M")) + "\n",
                style="bold")
            text.append(_("Talk notes: {text}").format(text=item["talk_notes"] or "—") + "\n")
            text.append(_("Improvement plan: {text}").format(
                text=item["improvement_plan"] or "—") + "\n\n")
        self.query_one("#my-assessments-text", Static).update(text)
