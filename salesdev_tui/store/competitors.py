"""Competitors across customers (policy VI): whom the rep meets, where, and how it ended.

A competitor is typed freely on each customer's competitor note, so "Acme", " ACME " and
"acme" must count as one: names are grouped by `competitor_key` (NFKC, spaces collapsed,
case folded) and shown in the spelling used most often.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import col, select

from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import CompetitorNote, Customer
from salesdev_tui.store.base import StoreBase


class Outcome(StrEnum):
    """How a customer where a competitor appeared has ended, so far."""

    WON = "won"
    LOST = "lost"
    OPEN = "open"


def outcome_of(stage: Stage) -> Outcome:
    if stage == Stage.WON:
        return Outcome.WON
    if stage == Stage.LOST:
        return Outcome.LOST
    return Outcome.OPEN


def tidy_name(name: str) -> str:
    """A competitor's name as shown: NFKC, single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def competitor_key(name: str) -> str:
    """The grouping key of a competitor's name: the tidy name, case folded."""
    return tidy_name(name).casefold()


@dataclass(frozen=True)
class CompetitorCustomer:
    customer_id: uuid.UUID
    name: str
    stage: Stage
    outcome: Outcome


@dataclass(frozen=True)
class CompetitorRow:
    """One competitor with the customers where it appears (each once) and the tally."""

    name: str
    customers: tuple[CompetitorCustomer, ...]
    won: int
    lost: int
    open: int

    @property
    def total(self) -> int:
        return len(self.customers)


@dataclass(frozen=True)
class Sighting:
    """One competitor note: the name as typed, at which customer."""

    competitor: str
    customer: CompetitorCustomer


def group_sightings(sightings: Iterable[Sighting]) -> list[CompetitorRow]:
    """Group notes by competitor; most losses first, then most customers, then by name."""
    spellings: dict[str, Counter[str]] = {}
    customers: dict[str, dict[uuid.UUID, CompetitorCustomer]] = {}
    for s in sightings:
        shown = tidy_name(s.competitor)
        key = competitor_key(shown)
        if not key:
            continue
        spellings.setdefault(key, Counter())[shown] += 1
        customers.setdefault(key, {}).setdefault(s.customer.customer_id, s.customer)
    rows: list[CompetitorRow] = []
    for key, counts in spellings.items():
        # most_common keeps first-seen order among equals: a stable, predictable spelling.
        name = counts.most_common(1)[0][0]
        found = sorted(customers[key].values(), key=lambda c: (c.name.casefold(), c.name))
        tally = Counter(c.outcome for c in found)
        rows.append(CompetitorRow(name, tuple(found), tally[Outcome.WON], tally[Outcome.LOST],
                                  tally[Outcome.OPEN]))
    rows.sort(key=lambda r: (-r.lost, -r.total, r.name.casefold()))
    return rows


class CompetitorStore(StoreBase):
    def competitor_overview(self) -> list[CompetitorRow]:
        """Every competitor noted at a live customer, with those customers and outcomes."""
        with self.db.read() as session:
            rows = session.exec(
                select(CompetitorNote.competitor, Customer.id, Customer.name, Customer.stage)
                .join(Customer, col(Customer.id) == CompetitorNote.customer_id)
                .where(
                    col(CompetitorNote.deleted_at).is_(None),
                    col(Customer.deleted_at).is_(None),
                )
                .order_by(col(CompetitorNote.created_at))
            ).all()
        sightings = []
        for name, customer_id, customer, stage_value in rows:
            stage = Stage(stage_value)
            sightings.append(Sighting(
                name, CompetitorCustomer(customer_id, customer, stage, outcome_of(stage))))
        return group_sightings(sightings)
