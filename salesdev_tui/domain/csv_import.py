"""The vocabulary of spreadsheet imports: a checked row, a bad row, what an import did.

Pure. The steps: `csv_sniff` reads the file, `csv_columns` maps its headers, `csv_rows`
checks each row into an `ImportRow` (or `RowProblem`s), `csv_merge` decides what to write,
and the store writes it (`store.csv_import`). A row describes a customer (a company),
optionally one of its contacts, optionally one contact plan. Blank cells say nothing: they
never clear a value already stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from salesdev_tui.domain.csv_columns import BY_KEY
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import Stage

__all__ = [
    "ImportResult",
    "ImportRow",
    "OnMatch",
    "PartCounts",
    "Progress",
    "OUTCOMES",
    "RowCounts",
    "RowNote",
    "RowProblem",
    "mapping_problems",
    "outcome_text",
]

#: progress(step, done, total): called now and then while rows are checked, matched, written.
Progress = Callable[[str, int, int], None]


class OnMatch(StrEnum):
    """What to do with a row whose customer is already in the database."""

    UPDATE = "update"
    SKIP = "skip"
    CREATE = "create"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row cannot be imported: its line, the column's header (if one is at fault)."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("line {line}: {message}").format(line=self.line, message=self.message)
        return _('line {line}, column "{column}": {message}').format(
            line=self.line, column=self.column, message=self.message
        )


@dataclass
class PartCounts:
    """What an import did (or would do) to one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class RowCounts:
    """What became of each row of the file: the seven add up to the rows read.

    new: made a customer; merged: added to a customer an earlier row of the file made (a
    company with several people); attached: its person (or plan) added to a stored customer
    the rep keeps as it is (`--on-match skip`, the default); updated / unchanged: matched a
    stored customer and changed something or nothing; skipped: left alone (nothing new for a
    stored customer, a deleted customer); failed: a bad row (not imported).
    """

    new: int = 0
    merged: int = 0
    attached: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return (self.new + self.merged + self.attached + self.updated + self.unchanged
                + self.skipped + self.failed)


#: The outcomes a row can have (RowCounts' fields), in the order the summary lists them.
OUTCOMES: tuple[str, ...] = ("new", "merged", "attached", "updated", "unchanged", "skipped",
                             "failed")


@dataclass(frozen=True, slots=True)
class RowNote:
    """What became of one row: its outcome (one of OUTCOMES) and why, in words."""

    line: int
    outcome: str
    detail: str


def outcome_text(outcome: str) -> str:
    """An outcome in the rep's words (the notes file's and the preview's column)."""
    return {
        "new": _("new"), "merged": _("merged"), "attached": _("attached"),
        "updated": _("updated"), "unchanged": _("unchanged"), "skipped": _("skipped"),
        "failed": _("rejected"),
    }[outcome]


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a refused import, would do)."""

    customers: PartCounts = field(default_factory=PartCounts)
    contacts: PartCounts = field(default_factory=PartCounts)
    plans: PartCounts = field(default_factory=PartCounts)
    #: Rows the database facts refused (a reference to nothing, another customer's contact).
    problems: list[RowProblem] = field(default_factory=list)
    #: Rows imported at a lower stage than the file said (won without a contract).
    stage_notes: list[RowProblem] = field(default_factory=list)
    #: True when nothing was written (a dry run, or problems with all-or-nothing).
    rolled_back: bool = False
    #: What became of every row (the checks' bad rows are added as failed by the caller).
    rows: RowCounts = field(default_factory=RowCounts)
    #: The same, row by row, in the file's order (the caller adds the checks' bad rows).
    notes: list[RowNote] = field(default_factory=list)
    #: Rows kept apart from a customer with another name that shares their phone or e-mail
    #: (merged instead only when the rep says so: `merge_shared`).
    shared: list[RowProblem] = field(default_factory=list)

    def parts(self) -> dict[str, PartCounts]:
        # The keys are shown through _() (data_transfer.outcome_lines): marked for extraction.
        return {N_("customers"): self.customers, N_("contacts"): self.contacts,
                N_("plans"): self.plans}


@dataclass(slots=True)  # one per row: 100,000 of them (no __dict__ each)
class ImportRow:
    """One good row: what it says about a customer, a contact and a plan (given fields only)."""

    line: int
    customer_id: uuid.UUID | None = None
    #: CustomerInput fields the row gives; "name" only when it names the company.
    customer: dict[str, Any] = field(default_factory=dict)
    stage: Stage | None = None
    lost_reason: str | None = None
    name_key: str = ""
    contact_id: uuid.UUID | None = None
    #: ContactInput fields the row gives (with "name" and "phone_normalized"), or None.
    contact: dict[str, Any] | None = None
    #: False when the row names no person and the contact is named after its e-mail or phone
    #: (that name then never renames a contact already stored).
    contact_named: bool = True
    is_primary: bool | None = None
    plan_id: uuid.UUID | None = None
    #: ContactPlan columns the row gives, or None.
    plan: dict[str, Any] | None = None


def mapping_problems(fields: Sequence[str | None]) -> list[str]:
    """What makes a column mapping unusable, in plain words (empty when it can be imported)."""
    chosen = {f for f in fields if f}
    problems: list[str] = []
    for key in sorted(chosen):
        if key not in BY_KEY:
            problems.append(_("unknown field: {key}").format(key=key))
    if not chosen & {"company", "customer_id", "email", "phone"}:
        problems.append(
            _("no column holds the company name (map one with --map 'HEADER=company')")
        )
    return problems


class CsvImportRefused(ValueError):
    """The database refused the rows (a rule the checks before it did not see)."""
