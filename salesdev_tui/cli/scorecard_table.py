"""Rich tables of the scorecard for `salesdev scorecard` (no markup: Text cells only)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from salesdev_tui.domain.figure_format import figure_label, format_figure, format_pct
from salesdev_tui.domain.locale_format import format_amount, format_period
from salesdev_tui.domain.scorecard_view import Figure, ScorecardView
from salesdev_tui.domain.targets import manager_mark
from salesdev_tui.i18n import _


def _right(text: str) -> Text:
    return Text(text, justify="right")


def print_scorecard_view(view: ScorecardView, currency: str) -> None:
    """The indicators against target with pace, the source breakdown and the pipeline."""
    from salesdev_tui.cli.output import console as wide_console

    console = wide_console()
    card = view.card
    table = Table(title=_("Scorecard {label} (amounts in {currency})").format(
        label=format_period(card.period), currency=currency))
    for header in (_("indicator"), _("actual"), _("target"), _("reached"), _("projected"),
                   _("needed a working day")):
        table.add_column(header, justify="left" if header == _("indicator") else "right")
    for indicator in view.indicators:
        figure = indicator.figure
        value = format_figure(figure, indicator.value, currency, with_currency=False)
        if figure is Figure.SUCCESS_RATE:
            value += f" ({card.new_customers}/{card.prospects_contacted})"
        elif figure is Figure.SATISFACTION:
            value = (_("{score} from {n} responses").format(score=value,
                                                           n=card.satisfaction_responses)
                     if card.satisfaction_responses else _("— (no surveys)"))
        pace = indicator.pace
        running = pace is not None and pace.days_left > 0
        table.add_row(
            Text(figure_label(figure)),
            _right(value),
            _right(format_figure(figure, indicator.target.value, currency,
                                 with_currency=False) + manager_mark(indicator.target)
                   if indicator.target else "—"),
            _right(format_pct(indicator.attainment)),
            _right(format_figure(figure, pace.projected, currency, with_currency=False)
                   if running and pace and pace.projected is not None else ""),
            _right(
                _("{value} ({days} days left)").format(
                    value=format_figure(figure, pace.needed_per_day, currency,
                                         with_currency=False), days=pace.days_left)
                if running and pace and pace.needed_per_day is not None else ""
            ),
        )
    console.print(table)
    sources = Table(title=_("By source channel"))
    for header in (_("channel"), _("contacted"), _("new"), _("success rate"), _("revenue")):
        sources.add_column(header, justify="left" if header == _("channel") else "right")
    for line in view.by_source:
        name = _(line.key.replace("_", " ")) if line.key else _("not recorded")
        sources.add_row(Text(name), _right(str(line.prospects_contacted)),
                        _right(str(line.new_customers)), _right(format_pct(line.success_rate, 1)),
                        _right(format_amount(line.revenue, currency)))
    console.print(sources)
    pipeline = Table(title=_("Open pipeline by stage"))
    for header in (_("stage"), _("open proposals"), _("value"), _("probability"),
                   _("weighted")):
        pipeline.add_column(header, justify="left" if header == _("stage") else "right")
    for stage in view.pipeline.stages:
        pipeline.add_row(Text(_(stage.stage.value)), _right(str(stage.proposals)),
                         _right(format_amount(stage.value, currency)),
                         _right(format_pct(stage.probability)),
                         _right(format_amount(stage.weighted, currency)))
    pipeline.add_row(Text(_("total")), _right(str(view.pipeline.proposals)),
                     _right(format_amount(view.pipeline.value, currency)), Text(""),
                     _right(format_amount(view.pipeline.weighted, currency)))
    console.print(pipeline)
