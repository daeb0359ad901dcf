"""Reusable widgets. Re-exported lazily: a screen that uses one widget imports only that one."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.widgets.customer_table import CustomerTable
    from salesdev_tui.widgets.scorecard_strip import ScorecardStrip
    from salesdev_tui.widgets.scorecard_tables import BreakdownTable, KpiTable, PipelineTable
    from salesdev_tui.widgets.trend_chart import TrendChart, TrendData

_WHERE = {
    "BreakdownTable": "scorecard_tables",
    "CustomerTable": "customer_table",
    "KpiTable": "scorecard_tables",
    "PipelineTable": "scorecard_tables",
    "ScorecardStrip": "scorecard_strip",
    "TrendChart": "trend_chart",
    "TrendData": "trend_chart",
}

__all__ = [
    "BreakdownTable",
    "CustomerTable",
    "KpiTable",
    "PipelineTable",
    "ScorecardStrip",
    "TrendChart",
    "TrendData",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"salesdev_tui.widgets.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
