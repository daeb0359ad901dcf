"""The 12-month trend of one indicator, drawn with Textual's Sparkline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Sparkline


@dataclass(frozen=True)
class TrendData:
    title: str
    """What is drawn (the indicator), already translated."""
    months: tuple[str, ...]
    """The month labels, oldest first (``2025-12``)."""
    values: tuple[Decimal | None, ...]
    """One value per month; None where the month has no figure."""
    low: str
    high: str
    """The lowest and highest values, formatted."""


class TrendChart(Vertical):
    """A title line, a 3-line sparkline (one bar per month) and the month axis."""

    DEFAULT_CSS = """
    TrendChart { height: auto; }
    TrendChart Sparkline { height: 3; width: 48; }
    TrendChart .trend-axis { width: 48; color: $text-muted; }
    """

    data: reactive[TrendData | None] = reactive(None)
    """The trend shown; None shows nothing."""

    def compose(self) -> ComposeResult:
        yield Label("", classes="trend-title")
        yield Sparkline([], summary_function=max)
        yield Label("", classes="trend-axis")

    def watch_data(self, data: TrendData | None) -> None:
        title = self.query_one(".trend-title", Label)
        axis = self.query_one(".trend-axis", Label)
        line = self.query_one(Sparkline)
        if data is None:
            title.update("")
            axis.update("")
            line.data = []
            return
        title.update(Text(f"{data.title}   ↓ {data.low}   ↑ {data.high}"))
        # Four cells a month: 48 cells for 12 months; a month without a figure draws as 0.
        line.data = [float(v) if v is not None else 0.0 for v in data.values for _ in range(4)]
        first, last = (data.months[0], data.months[-1]) if data.months else ("", "")
        axis.update(Text(first + last.rjust(48 - len(first))))
