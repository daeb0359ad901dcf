"""Proposal arithmetic, exact to the cent (policy III.5: price structure)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Protocol

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class Line(Protocol):
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount_pct(self) -> Decimal: ...


def line_total(line: Line) -> Decimal:
    """quantity × unit price, less the discount, rounded half-even to the cent."""
    gross = line.quantity * line.unit_price
    net = gross * (_HUNDRED - line.discount_pct) / _HUNDRED
    return net.quantize(_CENT, rounding=ROUND_HALF_EVEN)


def proposal_total(lines: Iterable[Line]) -> Decimal:
    """The sum of the rounded line totals (what the customer sees adds up)."""
    return sum((line_total(line) for line in lines), Decimal("0.00"))
