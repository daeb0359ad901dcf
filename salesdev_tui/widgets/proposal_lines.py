"""The proposal editor's lines as typed: raw text per cell, checked by the same input model the
store writes through, and shown as grid cells (exact amounts, bad cells marked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from rich.text import Text

from salesdev_tui.domain.money import DEFAULT_CURRENCY
from salesdev_tui.domain.proposal_export import discount_text, money_text, quantity_text
from salesdev_tui.domain.proposals import line_total, proposal_total
from salesdev_tui.i18n import _
from salesdev_tui.widgets.theme_colours import PLAIN, Colours

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import ProposalLineInput
    from salesdev_tui.models.tables import ProposalLine

#: The editable columns of the grid, in order (input model and table field names).
LINE_FIELDS: tuple[str, ...] = ("product", "description", "quantity", "unit_price",
                                "discount_pct")
_NUMERIC = frozenset({"quantity", "unit_price", "discount_pct"})


def column_labels(currency: str) -> list[str]:
    """Grid headings: the editable columns, then the computed amount."""
    return [
        _("Product or service"),
        _("Description"),
        _("Qty"),
        _("Unit price"),
        _("Disc. %"),
        _("Amount ({currency})").format(currency=currency),
    ]


def _edit_text(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if name == "unit_price":
            return money_text(value)
        if name == "discount_pct":
            return "" if value == 0 else f"{value.normalize():f}"
        return quantity_text(value)
    return str(value)


@dataclass
class DraftLine:
    """One line as the rep typed it; `line_id` is the stored line it came from, if any."""

    texts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(LINE_FIELDS, ""))
    line_id: uuid.UUID | None = None
    #: The configured currency: a price in another one is refused.
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def from_row(cls, line: ProposalLine, currency: str = DEFAULT_CURRENCY) -> DraftLine:
        texts = {name: _edit_text(name, getattr(line, name)) for name in LINE_FIELDS}
        return cls(texts=texts, line_id=line.id, currency=currency)

    def copy(self) -> DraftLine:
        return DraftLine(texts=dict(self.texts), line_id=self.line_id, currency=self.currency)

    def is_blank(self) -> bool:
        return not any(text.strip() for text in self.texts.values())

    def check(self) -> tuple[ProposalLineInput | None, dict[str, str]]:
        """The validated line, or None and the problem of each refused cell."""
        from salesdev_tui.domain.validation import (
            InvalidInput,
            ProposalLineInput,
            validate,
        )

        data = {name: (text if text.strip() else None) for name, text in self.texts.items()}
        try:
            return validate(ProposalLineInput, data, currency=self.currency), {}
        except InvalidInput as exc:
            return None, exc.by_field()

    def cells(self, problems: dict[str, str], colours: Colours = PLAIN) -> list[Text]:
        """The grid row: parsed values where valid, the raw text (marked) where not."""
        bad = f"bold {colours.error} underline"
        parsed, _found = self.check()
        out: list[Text] = []
        for name in LINE_FIELDS:
            raw = self.texts[name]
            justify: Literal["left", "right"] = "right" if name in _NUMERIC else "left"
            if name in problems:
                out.append(Text(raw.replace("\n", " ") or "?", style=bad, justify=justify))
            elif parsed is not None and name in _NUMERIC:
                value = getattr(parsed, name)
                shown = (
                    money_text(value) if name == "unit_price"
                    else discount_text(value) if name == "discount_pct"
                    else quantity_text(value)
                )
                out.append(Text(shown, justify="right"))
            else:
                out.append(Text(raw.replace("\n", " "), justify=justify))
        amount = money_text(line_total(parsed)) if parsed is not None else ""
        if parsed is None and not self.is_blank():
            amount = "—"
        out.append(Text(amount, justify="right", style="bold"))
        return out


def running_total(lines: list[DraftLine]) -> tuple[Decimal, list[int]]:
    """The total of the valid lines (as the store will sum them), and the 1-based numbers of
    the lines not counted because they have a problem."""
    valid: list[ProposalLineInput] = []
    bad: list[int] = []
    for number, line in enumerate(lines, start=1):
        if line.is_blank():
            continue
        parsed, _problems = line.check()
        if parsed is None:
            bad.append(number)
        else:
            valid.append(parsed)
    return proposal_total(valid), bad
