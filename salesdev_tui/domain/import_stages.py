"""Which stage an imported customer may get: the stage its file can prove (issue 20.9).

Imports go through the same hard gates as a move in the UI (`services.stages`): won needs a
signed contract, lost needs a reason. The soft gates are passed by the import itself (its
stage history says "imported from FILE", the reason a rep would type).

- A spreadsheet row creates a customer with no contract, so it can never prove won: the
  customer is imported at the stage before won (contract), and the summary says so, per row.
- A row saying lost without a lost reason is refused (there is no stage below lost that the
  row could mean): the rep adds the reason or leaves the stage out.
- A JSON document carries contracts: a customer of the file is checked after the write, in
  the import's transaction, against its contracts (`json_stage_problem`): won exactly when a
  live contract is signed, lost only with a reason; any other is a problem and the all-or-
  nothing import is refused.

Pure: no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Stage

__all__ = ["CsvStage", "csv_stage", "json_stage_problem"]

#: The highest stage a customer without a signed contract can hold.
BEFORE_WON = Stage.CONTRACT


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


@dataclass(frozen=True)
class CsvStage:
    """The stage a new customer from a spreadsheet row gets, and what the rep is told.

    `refused`: the row cannot be imported (a problem); `note`: the row is imported at
    `stage`, lower than the file said.
    """

    stage: Stage
    note: str | None = None
    refused: str | None = None


def csv_stage(stage: Stage | None, lost_reason: str | None) -> CsvStage:
    """The stage a spreadsheet row can prove for a customer it creates."""
    if stage is None:
        return CsvStage(Stage.PROSPECT)
    if stage is Stage.WON:
        return CsvStage(BEFORE_WON, note=_(
            "won needs a signed contract, which a spreadsheet cannot carry: imported at "
            "{stage}; sign the contract in salesdev to mark it won").format(
                stage=BEFORE_WON.value))
    if stage is Stage.LOST and _blank(lost_reason):
        return CsvStage(stage, refused=_(
            "stage lost needs a reason: fill in a lost_reason column, or leave the stage out"))
    return CsvStage(stage)


def json_stage_problem(stage: Stage, lost_reason: str | None,
                       has_signed_contract: bool) -> str | None:
    """Why a customer's stage cannot stand after a JSON import, or None when it can."""
    if stage is Stage.WON and not has_signed_contract:
        return _("won needs a signed contract (a contract of the customer with signed_at, "
                 "not deleted); import it at the stage the file can prove")
    if stage is not Stage.WON and has_signed_contract:
        return _("the customer has a signed contract, so its stage must be won, not "
                 "{stage}").format(stage=stage.value)
    if stage is Stage.LOST and _blank(lost_reason):
        return _("lost needs a lost_reason")
    return None
