"""The screens. Re-exported lazily: importing one screen must not import every other."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.screens.customer_page import CustomerPageScreen
    from salesdev_tui.screens.customers import CustomersScreen
    from salesdev_tui.screens.help import HelpScreen
    from salesdev_tui.screens.plan_outcome import PlanOutcomeScreen
    from salesdev_tui.screens.stage_move import StageMoveScreen
    from salesdev_tui.screens.today import TodayScreen

_WHERE = {
    "CustomerPageScreen": "customer_page",
    "CustomersScreen": "customers",
    "HelpScreen": "help",
    "PlanOutcomeScreen": "plan_outcome",
    "StageMoveScreen": "stage_move",
    "TodayScreen": "today",
}

__all__ = [
    "CustomerPageScreen",
    "CustomersScreen",
    "HelpScreen",
    "PlanOutcomeScreen",
    "StageMoveScreen",
    "TodayScreen",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"salesdev_tui.screens.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
