"""The end-of-day review as plain text (the terminal) or Markdown (the manager's daily report).

Both are built from the same sections, so they always say the same thing. In Markdown the
rep's and the customers' text is escaped: a company called ``*Acme* [x](y)`` stays text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from salesdev_tui.domain.figure_format import figure_label, format_figure, format_pct
from salesdev_tui.domain.locale_format import (
    format_day,
    format_money,
    format_period,
    format_time,
    format_weekday,
)
from salesdev_tui.domain.review import Review
from salesdev_tui.domain.scorecard_view import Indicator
from salesdev_tui.domain.text_rules import shorten
from salesdev_tui.i18n import _, language

if TYPE_CHECKING:
    from salesdev_tui.models.views import PlanFact

__all__ = [
    "Section",
    "day_heading",
    "md_escape",
    "money",
    "month_line",
    "render_markdown",
    "render_text",
    "sections",
]

Escape = Callable[[str], str]
# Enough to keep text inert inside a list item or heading: emphasis, code, links, HTML,
# tables and strike-through. Dots and dashes stay as they are (they only matter at a line's
# start, and every line here starts with our own marker).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: str) -> str:
    """Markdown-inert text on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def day_heading(day: date) -> str:
    """``Mon 2026-11-16`` in English; Chinese as Taiwan writes it (``2026年11月16日 (一)``)."""
    if language() == "zh_TW":
        return format_day(day)
    return f"{format_weekday(day)} {format_day(day)}"


def money(value: object, currency: str) -> str:
    """An amount in the currency's own minor units (one money format for every report)."""
    return format_money(value if isinstance(value, Decimal) else Decimal(str(value or 0)),
                        currency)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _short(text: str | None, limit: int = 70) -> str:
    flat = " ".join((text or "").split())
    return shorten(flat, limit)  # in cells: Chinese takes two a character


def month_line(indicator: Indicator, currency: str) -> str:
    """``New customers 3 of 5 (60%); projected 4.5, needs 0.22 a working day (9 left)``."""
    figure = indicator.figure
    text = f"{figure_label(figure)} {format_figure(figure, indicator.value, currency)}"
    if indicator.target is not None:
        text += " " + _("of {target} ({pct})").format(
            target=format_figure(figure, indicator.target.value, currency),
            pct=format_pct(indicator.attainment),
        )
    pace = indicator.pace
    if pace is not None and pace.projected is not None and pace.days_left > 0:
        text += "; " + _("projected {value}").format(
            value=format_figure(figure, pace.projected, currency))
    if pace is not None and pace.needed_per_day is not None and pace.needed_per_day > 0:
        text += "; " + _("needs {value} a working day ({days} left)").format(
            value=format_figure(figure, pace.needed_per_day, currency), days=pace.days_left)
    return text


@dataclass(frozen=True)
class Section:
    key: str
    """``contacts``, ``missed``, ``rescheduled``, ``to_come``, ``done``, ``new_leads``,
    ``stage_moves``, ``proposals``, ``minutes``, ``contracts``, ``surveys``, ``overdue``,
    ``milestones``, ``tomorrow`` or ``month``."""
    title: str
    lines: list[str]


def sections(review: Review, zone: tzinfo, currency: str, esc: Escape) -> list[Section]:
    """The report's sections in order; empty ones are left out (not the headline and the
    month)."""

    def hm(moment: datetime | None) -> str:
        return format_time(moment.astimezone(zone)) if moment else "—"

    def at_time(p: PlanFact) -> str:
        return hm(p.scheduled_at)

    def at_done(p: PlanFact) -> str:
        return hm(p.done_at)

    def at_day(p: PlanFact) -> str:
        return p.scheduled_at.astimezone(zone).strftime("%m-%d %H:%M")

    def at_time_or_day(p: PlanFact) -> str:
        """A contact of the day by its time; one planned for another day with its day."""
        same = p.scheduled_at.astimezone(zone).date() == review.day
        return at_time(p) if same else at_day(p)

    def plan_line(p: PlanFact, *, when: Callable[[PlanFact], str]) -> str:
        parts = [when(p), esc(p.customer_name), _(p.method.value)]
        if p.agenda:
            parts.append(esc(_short(p.agenda)))
        if p.outcome:
            parts.append("→ " + esc(_short(p.outcome)))
        return " · ".join(parts)

    out = [Section(
        "contacts",
        _("Contacts: {done} of {planned} planned done; {all} done in all; {missed} missed; "
          "{moved} rescheduled").format(
            done=review.planned_done, planned=len(review.planned), all=len(review.done),
            missed=len(review.missed), moved=len(review.rescheduled)),
        [],
    )]

    def add(key: str, title: str, lines: list[str]) -> None:
        if lines:
            out.append(Section(key, title, lines))

    add("missed", _("Missed ({n})").format(n=len(review.missed)),
        [plan_line(p, when=at_time_or_day) for p in review.missed])
    add("rescheduled", _("Rescheduled ({n})").format(n=len(review.rescheduled)),
        [plan_line(p, when=at_day) for p in review.rescheduled])
    add("to_come", _("Still to come today ({n})").format(n=len(review.to_come)),
        [plan_line(p, when=at_time) for p in review.to_come])
    add("done", _("Done ({n})").format(n=len(review.done)),
        [plan_line(p, when=at_done) for p in review.done])
    add("new_leads", _("New leads ({n})").format(n=len(review.new_leads)),
        [esc(c.name) + (f" ({_(c.source.value.replace('_', ' '))})" if c.source else "")
         for c in review.new_leads])
    add("stage_moves", _("Stage moves ({n})").format(n=len(review.stage_moves)),
        [f"{esc(m.name)}: {_(m.from_stage.value) if m.from_stage else '—'} → "
         f"{_(m.to_stage.value)}" + (f" ({esc(_short(m.reason))})" if m.reason else "")
         for m in review.stage_moves])
    add("proposals", _("Proposals sent ({n})").format(n=len(review.proposals_sent)),
        [f"{esc(r.name)}: {esc(r.title or '')}" for r in review.proposals_sent])
    add("minutes", _("Minutes written ({n})").format(n=len(review.minutes)),
        [_("{name} (meeting {when})").format(
            name=esc(r.name), when=r.at.astimezone(zone).strftime("%m-%d %H:%M"))
         for r in review.minutes])
    add("contracts", _("Contracts signed ({n}, {total})").format(
            n=len(review.contracts),
            total=format_money(review.contracts_value, currency)),
        [f"{esc(r.name)}: {format_money(r.value or Decimal(0), currency)}"
         + (f" ({esc(r.title)})" if r.title else "") for r in review.contracts])
    add("surveys", _("Surveys ({n}, mean {mean})").format(
            n=len(review.surveys),
            mean=review.survey_mean if review.survey_mean is not None else "—"),
        [f"{esc(r.name)}: {r.score}" + (f" — {esc(_short(r.title))}" if r.title else "")
         for r in review.surveys])
    shown = len(review.overdue)
    overdue_title = _("Overdue, still open ({n})").format(n=review.overdue_count)
    if shown < review.overdue_count:
        overdue_title += " " + _("(the oldest {shown} shown)").format(shown=shown)
    add("overdue", overdue_title, [plan_line(p, when=at_day) for p in review.overdue])
    add("milestones", _("Milestones overdue ({n})").format(n=len(review.overdue_milestones)),
        [f"{m.due_on.isoformat()} · {esc(m.customer_name)} · {esc(m.title)}"
         for m in review.overdue_milestones])
    add("tomorrow", _("Tomorrow ({n})").format(n=len(review.tomorrow)),
        [plan_line(p, when=at_time) for p in review.tomorrow])
    out.append(Section(
        "month",
        _("Month to date {label}: against target, with pace").format(
            label=format_period(review.month.period)),
        [month_line(i, currency) for i in review.month_indicators],
    ))
    return out


def _title(review: Review, rep_name: str) -> str:
    day = day_heading(review.day)
    if rep_name:
        return _("Daily report {day} — {rep}").format(day=day, rep=rep_name)
    return _("Daily report {day}").format(day=day)


def render_text(review: Review, zone: tzinfo, currency: str, rep_name: str = "") -> str:
    lines = [_title(review, rep_name), ""]
    for section in sections(review, zone, currency, _plain):
        lines.append(section.title)
        lines.extend(f"  {line}" for line in section.lines)
    return "\n".join(lines) + "\n"


def render_markdown(review: Review, zone: tzinfo, currency: str, rep_name: str = "") -> str:
    lines = [f"# {md_escape(_title(review, rep_name))}", ""]
    for section in sections(review, zone, currency, md_escape):
        lines.append(f"## {section.title}")
        lines.append("")
        lines.extend(f"- {line}" for line in section.lines)
        if section.lines:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
