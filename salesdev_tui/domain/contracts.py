"""What a contract needs before it may be signed (policy III.7), and what it earns.

Pure: no clock, no database. The store asks `missing_for_signing` inside the signing
transaction; the contract screen asks `missing_items` about what is typed on screen, so the
checklist the rep sees and the rule the store applies are the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from salesdev_tui.domain.validation import field_label
from salesdev_tui.i18n import _, joined
from salesdev_tui.models.enums import LegalReview

__all__ = [
    "CLAUSES",
    "CheckItem",
    "checklist",
    "clause_label",
    "missing_for_signing",
    "missing_items",
    "profit",
]

#: The six clauses every contract must state, by column name (models.tables.CONTRACT_CLAUSES;
#: repeated here so this module does not import SQLModel, checked by a test).
CLAUSES: tuple[str, ...] = (
    "clause_rights_obligations",
    "clause_specification",
    "clause_price",
    "clause_delivery_time",
    "clause_quality_standard",
    "clause_breach_liability",
)


class SigningFacts(Protocol):
    """What signing depends on: a `Contract` row has all of it."""

    @property
    def clause_rights_obligations(self) -> str | None: ...
    @property
    def clause_specification(self) -> str | None: ...
    @property
    def clause_price(self) -> str | None: ...
    @property
    def clause_delivery_time(self) -> str | None: ...
    @property
    def clause_quality_standard(self) -> str | None: ...
    @property
    def clause_breach_liability(self) -> str | None: ...
    @property
    def legal_review(self) -> LegalReview: ...


class Amounts(Protocol):
    @property
    def value(self) -> Decimal: ...
    @property
    def cost(self) -> Decimal: ...


def clause_label(clause: str) -> str:
    """How a clause is named on screen ("Rights and obligations")."""
    # Imported here: the customer list reads `missing_for_signing` and need not load the
    # input models (pydantic) that `validation` defines (issue 15.8).

    return field_label(clause)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


@dataclass(frozen=True)
class CheckItem:
    """One line of the signing checklist: what, whether it is done, and what is missing."""

    label: str
    done: bool
    missing: str


def checklist(
    clauses: Mapping[str, str | None], legal_review: LegalReview | str
) -> list[CheckItem]:
    """Each clause, then legal approval, in screen order.

    `clauses` maps each clause column to its text (a missing key counts as empty).
    """
    items = [
        CheckItem(
            clause_label(clause),
            not _blank(clauses.get(clause)),
            _("{clause}: not filled in").format(clause=clause_label(clause)),
        )
        for clause in CLAUSES
    ]
    if legal_review == LegalReview.REJECTED:
        missing = _("Legal review: rejected (change the contract and send it again)")
    else:
        missing = _("Legal review: not approved yet")
    items.append(CheckItem(_("Legal review approved"), legal_review == LegalReview.APPROVED,
                           missing))
    return items


def missing_items(clauses: Mapping[str, str | None], legal_review: LegalReview | str) -> list[str]:
    """What stands between these terms and a signature, in plain words, in screen order."""
    return [item.missing for item in checklist(clauses, legal_review) if not item.done]


def missing_for_signing(contract: SigningFacts) -> list[str]:
    """What the contract still lacks before it may be signed; empty when it is ready."""
    clauses = {clause: getattr(contract, clause) for clause in CLAUSES}
    return missing_items(clauses, contract.legal_review)


def profit(contract: Amounts) -> Decimal:
    """Value less cost (may be negative: a loss is shown, not hidden)."""
    return contract.value - contract.cost


class ContractRefused(Exception):
    """A contract action that is not allowed (signed already, not an agreed point, …)."""


class SigningRefused(ContractRefused):
    """Signing was refused; `missing` says what is missing, in plain words."""

    def __init__(self, missing: list[str], *, needs_credit_override: bool = False) -> None:
        super().__init__(
            _("The contract cannot be signed yet: {items}").format(items=joined(missing))
        )
        self.missing = missing
        self.needs_credit_override = needs_credit_override


# --- what a contract action may do (policy III.7): the repository applies these -------------


def carry_problem(clause: str, clauses: tuple[str, ...], *, agreed: bool,
                  same_customer: bool) -> str | None:
    """Why an agreed point cannot be carried into `clause` (None: it can)."""
    if clause not in clauses:
        return _("{name} is not one of the six clauses.").format(name=clause)
    if not agreed:
        return _("Only a point agreed can be carried into a clause.")
    if not same_customer:
        return _("The point and the contract belong to different customers.")
    return None


def carried_text(current: str | None, point: str) -> str | None:
    """The clause with the point's text appended as its own line(s); None when the clause
    holds it already (carried before)."""
    current = current or ""
    if f"\n{point.strip()}\n" in f"\n{current}\n":
        return None
    return f"{current.rstrip()}\n{point}" if current.strip() else point


def clause_length_problem(clause: str, text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return _("{clause} would be longer than {limit:,} characters.").format(
        clause=clause_label(clause), limit=limit)


def signed_problem(signed: bool, *, signing: bool = False) -> str | None:
    """A signed contract no longer changes, and is not signed twice."""
    if not signed:
        return None
    if signing:
        return _("This contract is signed already.")
    return _("This contract is signed; it can no longer change.")


def signing_refusal(contract: SigningFacts, *, poor_credit: bool, worst: str,
                    override: str | None) -> SigningRefused | None:
    """Why this unsigned contract cannot be signed now (None: it can): what it lacks, or a
    poor credit rating without an override reason."""
    missing = missing_for_signing(contract)
    if missing:
        return SigningRefused(missing)
    if poor_credit and override is None:
        return SigningRefused(
            [_("Credit: the latest rating is {grade}, the worst; give an override "
               "reason to sign anyway").format(grade=worst)],
            needs_credit_override=True,
        )
    return None
