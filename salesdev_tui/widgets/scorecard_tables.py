"""The scorecard's tables: indicators against target, the breakdowns, the pipeline by stage.

Each is a DataTable of `Text` cells (never markup: an industry is the rep's text) whose row
keys say what the row is, so the screen can list the customers behind any row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text
from textual.widgets import DataTable

from salesdev_tui.domain.breakdown import BreakdownLine
from salesdev_tui.domain.figure_format import figure_label, format_figure, format_pct
from salesdev_tui.domain.pipeline import Pipeline
from salesdev_tui.domain.scorecard import Scorecard
from salesdev_tui.domain.scorecard_view import Figure, Indicator
from salesdev_tui.domain.targets import manager_mark
from salesdev_tui.domain.text_rules import pad_left
from salesdev_tui.i18n import _
from salesdev_tui.widgets.kpi_text import attainment_style, bar, compact, spark
from salesdev_tui.widgets.theme_colours import Colours

__all__ = ["BreakdownTable", "KpiTable", "PipelineTable", "NOT_RECORDED_KEY"]

#: Row key of the "not recorded" line of a breakdown.
NOT_RECORDED_KEY = "-"


def _right(text: str, width: int, style: str = "") -> Text:
    """Right-aligned in a column of `width` cells (no_wrap: wrapping would drop the pad)."""
    return Text(pad_left(text, width), style=style, no_wrap=True, justify="right")


class KpiTable(DataTable[Text]):
    """One row per indicator; row keys are `Figure` values."""

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for label, width in ((_("indicator"), 19), (pad_left(_("actual"), 14), 14),
                             (pad_left(_("target"), 13), 13), (pad_left("%", 5), 5), ("", 10),
                             (_("pace: → end · per day · days"), 30),
                             (_("12 months"), 12)):
            self.add_column(label, width=width)

    def _figure(self, figure: Figure, value: Decimal | None) -> str:
        """An amount in the configured currency's own minor units (the title names it)."""
        settings = getattr(self.app, "settings", None)
        currency = getattr(settings, "currency", "")
        return format_figure(figure, value, currency, with_currency=False)

    def show(self, card: Scorecard, indicators: Sequence[Indicator]) -> None:
        cursor = self.cursor_row
        self.clear()
        colours = Colours.of(self.app)
        for indicator in indicators:
            name = figure_label(indicator.figure)
            detail = ""
            if indicator.figure is Figure.SUCCESS_RATE:
                detail = f" {card.new_customers}/{card.prospects_contacted}"
            elif indicator.figure is Figure.SATISFACTION:
                detail = f" n={card.satisfaction_responses}"
            target = indicator.target
            self.add_row(
                Text(name),
                _right(self._figure(indicator.figure, indicator.value) + detail, 14),
                _right(self._figure(indicator.figure, target.value)
                       + manager_mark(target, short=True) if target else "—", 13,
                       "" if target is None or target.source != "default" else "dim"),
                _right(format_pct(indicator.attainment), 5,
                       attainment_style(indicator.attainment, colours)),
                bar(indicator.attainment, colours=colours) if target else Text(""),
                Text(_pace_text(indicator)),
                spark(indicator.trend, colours),
                key=indicator.figure.value,
            )
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))


def _pace_text(indicator: Indicator) -> str:
    """``→ 12.3M · 86.4k/d · 11 d``: projected end figure, what each working day needs,
    and the working days left."""
    pace = indicator.pace
    if pace is None or pace.days_left == 0:
        return ""
    parts = ["→ " + compact(pace.projected) if pace.projected is not None else "→ —"]
    if pace.needed_per_day is not None:
        parts.append(_("{value}/d").format(value=compact(pace.needed_per_day))
                     if pace.needed_per_day > 0 else _("met"))
    parts.append(_("{n} d").format(n=pace.days_left))
    return " · ".join(parts)


class BreakdownTable(DataTable[Text]):
    """Lines of a breakdown; row keys are the line's key (`NOT_RECORDED_KEY` for None)."""

    def __init__(self, dimension: str, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row")
        self.dimension = dimension

    def on_mount(self) -> None:
        first = _("channel") if self.dimension == "source" else _("industry")
        for label, width in ((first, 11), (pad_left(_("cont"), 4), 4), (pad_left(_("new"), 3), 3),
                             (pad_left(_("rate"), 4), 4), (pad_left(_("revenue"), 7), 7)):
            self.add_column(label, width=width)

    def show(self, lines: Sequence[BreakdownLine]) -> None:
        cursor = self.cursor_row
        self.clear()
        for line in lines:
            if line.key is None:
                name = Text(_("not recorded"), style="italic")
            elif self.dimension == "source":
                name = Text(_(line.key.replace("_", " ")))
            else:
                name = Text(line.key)
            self.add_row(
                name,
                _right(str(line.prospects_contacted), 4),
                _right(str(line.new_customers), 3),
                _right(format_pct(line.success_rate), 4),
                _right(compact(line.revenue), 7),
                key=NOT_RECORDED_KEY if line.key is None else line.key,
            )
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))


class PipelineTable(DataTable[Text]):
    """Open proposals per stage; row keys are stage values."""

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row")

    def on_mount(self) -> None:
        # The probability of each stage is in the CLI's table and the config; here the
        # columns must fit a third of 120 cells.
        for label, width in ((_("stage"), 11), (pad_left(_("open"), 4), 4),
                             (pad_left(_("value"), 6), 6), (pad_left(_("weighted"), 8), 8)):
            self.add_column(label, width=width)

    def show(self, pipeline: Pipeline) -> None:
        cursor = self.cursor_row
        self.clear()
        for line in pipeline.stages:
            self.add_row(
                Text(_(line.stage.value)),
                _right(str(line.proposals), 4),
                _right(compact(line.value), 6),
                _right(compact(line.weighted), 8),
                key=line.stage.value,
            )
        if pipeline.stages:
            self.add_row(
                Text(_("total"), style="bold"), _right(str(pipeline.proposals), 4, "bold"),
                _right(compact(pipeline.value), 6, "bold"),
                _right(compact(pipeline.weighted), 8, "bold"), key="*",
            )
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))

