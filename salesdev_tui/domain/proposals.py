"""Proposals (policy III.5): arithmetic exact to the cent, and the status rules (which
version is current and open, which status moves are allowed). Pure."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Protocol, TypeVar

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import OPEN_STAGES, ProposalStatus, Stage

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import ProposalLineInput

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


@dataclass(frozen=True)
class TaxedTotal:
    """A proposal's amount before business tax (營業稅), the tax, and the amount with it."""

    net: Decimal
    tax: Decimal
    gross: Decimal


def business_tax(amount: Decimal, rate: Decimal, *, prices_include_tax: bool,
                 places: int = 2) -> TaxedTotal:
    """Split or add the business tax on `amount` (the sum of the lines) at `rate` (0.05).

    Tax-exclusive prices (未稅): the tax is amount x rate, rounded half-up to the cent, and
    the total adds it. Tax-inclusive prices (含稅): the amount is the total; the part before
    tax is total / (1 + rate) rounded the same way and the tax is the rest, so the three
    printed figures always add up exactly (a customer's accountant checks that). `places` is
    the currency's minor units: a TWD tax is rounded to the dollar, as an invoice states it.
    """
    quantum = Decimal(1).scaleb(-places)
    if prices_include_tax:
        net = (amount / (1 + rate)).quantize(quantum, rounding=ROUND_HALF_UP)
        return TaxedTotal(net=net, tax=amount - net, gross=amount)
    tax = (amount * rate).quantize(quantum, rounding=ROUND_HALF_UP)
    return TaxedTotal(net=amount, tax=tax, gross=amount + tax)


def proposal_number(first_id: uuid.UUID, first_created: datetime) -> str:
    """The number a proposal keeps through its versions: the first version's creation day
    and id ("20261116-1A2B3C"); the version is printed beside it."""
    return f"{first_created:%Y%m%d}-{first_id.hex[:6].upper()}"


# --- status rules (policy III.5) ----------------------------------------------------------
#
# Versions are numbered per customer; the **current version** is the customer's highest live
# version. Only the current version is ever open (issue 14.5): an earlier version was revised
# into a later one, so it is *superseded* whatever status it was left at. The **open
# proposal** is the current version unless it was rejected, for a customer still being
# developed (any stage but won and lost). `store.pipeline_value.OPEN_VERSION` is the same rule
# in SQL (a test checks they agree).

#: status -> the statuses it may move to.
ALLOWED_MOVES: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.PRESENTED}),
    ProposalStatus.PRESENTED: frozenset({ProposalStatus.ACCEPTED, ProposalStatus.REJECTED}),
    ProposalStatus.ACCEPTED: frozenset(),
    ProposalStatus.REJECTED: frozenset(),
}


class Versioned(Protocol):
    @property
    def version(self) -> int: ...
    @property
    def status(self) -> ProposalStatus: ...


P = TypeVar("P", bound=Versioned)


def current_version(proposals: Iterable[Versioned]) -> int | None:
    """The highest version among a customer's live proposals (None without any)."""
    return max((p.version for p in proposals), default=None)


def is_superseded(proposal: Versioned, current: int | None) -> bool:
    """True for an earlier version left draft or presented: a later version replaced it."""
    return (
        current is not None
        and proposal.version < current
        and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.PRESENTED)
    )


def is_open(proposal: Versioned, current: int | None, stage: Stage) -> bool:
    """True for the customer's open proposal (see above)."""
    return (
        stage in OPEN_STAGES
        and proposal.version == current
        and proposal.status != ProposalStatus.REJECTED
    )


def open_proposal(proposals: Sequence[P], stage: Stage) -> P | None:
    """The customer's open proposal among its live `proposals`, if any."""
    current = current_version(proposals)
    return next((p for p in proposals if is_open(p, current, stage)), None)


def status_label(proposal: Versioned, current: int | None) -> str:
    """The status as the rep reads it: "superseded" for a replaced draft or offer."""
    if is_superseded(proposal, current):
        return _("superseded")
    return _(proposal.status.value)


def status_move_problem(
    proposal: Versioned, wanted: ProposalStatus, current: int | None, *, has_lines: bool
) -> str | None:
    """Why `proposal` may not move to `wanted` (None when it may, or when it is there)."""
    if wanted == proposal.status:
        return None
    if wanted not in ALLOWED_MOVES[proposal.status]:
        if not ALLOWED_MOVES[proposal.status]:
            return _("The proposal is {status}; that is final.").format(
                status=_(proposal.status.value))
        return _("A {current} proposal cannot become {wanted}.").format(
            current=_(proposal.status.value), wanted=_(wanted.value))
    if wanted != ProposalStatus.REJECTED and is_superseded(proposal, current):
        return _(
            "Version {version} was revised into version {current}: only the current version "
            "can be {wanted}."
        ).format(version=proposal.version, current=current, wanted=_(wanted.value))
    if wanted == ProposalStatus.PRESENTED and not has_lines:
        return _("Add at least one line before presenting the proposal.")
    return None


class ProposalRefused(Exception):
    """A change the proposal rules do not allow; the message says why and what to do."""


@dataclass(frozen=True)
class LineEdit:
    """A line as an editor holds it: the stored line's id when it has one."""

    data: ProposalLineInput
    line_id: uuid.UUID | None = None


# --- what may change, and when (policy III.5) ----------------------------------------------

#: The fields of a line a customer sees (frozen once the proposal was presented).
LINE_FIELDS = ("product", "description", "quantity", "unit_price", "discount_pct")


def as_edit(line: LineEdit | ProposalLineInput) -> LineEdit:
    return line if isinstance(line, LineEdit) else LineEdit(line)


class _Frozen(Protocol):
    version: int
    status: ProposalStatus


def frozen_message(row: _Frozen) -> str:
    return _(
        "Version {version} is {status}: it stays as the customer saw it. Make a new "
        "version from it to change the offer."
    ).format(version=row.version, status=_(row.status.value))


def frozen_change_problem(
    row: _Frozen,
    changes: dict[str, object],
    stored_lines: Sequence[tuple[object, ...]],
    lines: Sequence[LineEdit | ProposalLineInput] | None,
) -> str | None:
    """Why an edit of a proposal past draft is refused (None: allowed). Past draft, only the
    private notes may change: the header as the customer saw it and its lines (`stored_lines`,
    each the values of `LINE_FIELDS`) stay as they are."""
    for name, value in changes.items():
        if name != "notes" and getattr(row, name) != value:
            return frozen_message(row)
    if lines is None:
        return None
    given = [
        tuple(as_edit(line).data.model_dump()[name] for name in LINE_FIELDS) for line in lines
    ]
    return frozen_message(row) if list(stored_lines) != given else None


def second_acceptance_problem(other_version: int) -> str:
    """A customer accepts one proposal at a time: why accepting another is refused."""
    return _(
        "Version {other} is already accepted; a customer accepts one proposal at a time."
    ).format(other=other_version)
