"""Small drawings in text for the scorecard: a progress bar, a sparkline, compact numbers.

They return `rich.text.Text` (never markup), so they sit in DataTable cells and Statics.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from salesdev_tui.widgets.theme_colours import PLAIN, Colours

__all__ = ["attainment_style", "bar", "compact", "spark"]

_BLOCKS = "▁▂▃▄▅▆▇█"


def attainment_style(fraction: Decimal | None, colours: Colours = PLAIN) -> str:
    """Success on target, warning on the way (70%+), error behind; plain without a target."""
    if fraction is None:
        return ""
    if fraction >= 1:
        return colours.success
    return colours.warning if fraction >= Decimal("0.7") else colours.error


def bar(fraction: Decimal | None, width: int = 10, colours: Colours = PLAIN) -> Text:
    """``███████░░░``: the share of the target reached (full at 100% and beyond)."""
    if fraction is None:
        return Text("·" * width, style="dim")
    filled = max(0, min(width, int(fraction * width)))
    text = Text("█" * filled, style=attainment_style(fraction, colours))
    text.append("░" * (width - filled), style="dim")
    return text


def spark(values: Sequence[Decimal | None], colours: Colours = PLAIN) -> Text:
    """One character per value, scaled from the lowest to the highest; a gap for None."""
    known = [v for v in values if v is not None]
    if not known:
        return Text(" " * len(values))
    low, high = min(known), max(known)
    span = high - low
    chars = []
    for value in values:
        if value is None:
            chars.append(" ")
        elif span == 0:
            chars.append(_BLOCKS[0] if high == 0 else _BLOCKS[3])
        else:
            chars.append(_BLOCKS[int((value - low) / span * (len(_BLOCKS) - 1))])
    # Primary, not accent: in the default theme accent is the warning's orange, and a trend
    # is data, not a warning.
    return Text("".join(chars), style=colours.primary)


def compact(value: Decimal | None) -> str:
    """A short number for narrow cells: ``950``, ``86.4k``, ``12.3M`` (``—`` for None)."""
    if value is None:
        return "—"
    size = abs(value)
    if size >= 1_000_000_000:
        return f"{value / 1_000_000_000:.1f}G"
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{value / 1000:.1f}k"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"
