"""The full screens (one per main view) and what they share (`base`).

Dialogs are in `dialogs/`, record forms and editors in `forms/`, parts in `widgets/`.
Re-exported lazily: importing one screen must not import every other."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.screens.competitors import CompetitorsScreen
    from salesdev_tui.screens.customer_page import CustomerPageScreen
    from salesdev_tui.screens.customers import CustomersScreen
    from salesdev_tui.screens.research import ResearchScreen
    from salesdev_tui.screens.review import ReviewScreen
    from salesdev_tui.screens.scorecard import ScorecardScreen
    from salesdev_tui.screens.today import TodayScreen

_WHERE = {
    "CompetitorsScreen": "competitors",
    "CustomerPageScreen": "customer_page",
    "CustomersScreen": "customers",
    "ResearchScreen": "research",
    "ReviewScreen": "review",
    "ScorecardScreen": "scorecard",
    "TodayScreen": "today",
}

__all__ = [
    "CompetitorsScreen",
    "CustomerPageScreen",
    "CustomersScreen",
    "ResearchScreen",
    "ReviewScreen",
    "ScorecardScreen",
    "TodayScreen",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"salesdev_tui.screens.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
