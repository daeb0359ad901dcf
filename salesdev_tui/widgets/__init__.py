"""Reusable widgets."""

from __future__ import annotations

from salesdev_tui.widgets.scorecard_strip import ScorecardStrip, StripData

__all__ = ["ScorecardStrip", "StripData"]
