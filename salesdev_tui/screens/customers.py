"""The customer list (placeholder: being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from salesdev_tui.screens.base import DbScreen


class CustomersScreen(DbScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("customers")
        yield Footer()

    def focus_search(self) -> None:
        pass
