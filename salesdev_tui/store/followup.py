"""Kick-off and follow-up after signing (policy III.8): milestones and progress reports.

Both are simple customer records written through the generic records path (so every edit is
in the history); what this part adds is the two rules of follow-up: a milestone or report
belongs to the customer's signed contract when there is one, and ticking a milestone done
stamps when. It also finds the overdue milestones Today shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from salesdev_tui.domain.validation import MilestoneInput, ProgressReportInput
from salesdev_tui.models.enums import MilestoneKind
from salesdev_tui.models.tables import Contract, Milestone, ProgressReport
from salesdev_tui.models.views import OverdueMilestone
from salesdev_tui.store import today_queries
from salesdev_tui.store.base import StoreBase, utc_now

if TYPE_CHECKING:  # the input models only in the writes' signatures (the review reads
    # milestones without loading them)
    from salesdev_tui.db import Database
    from salesdev_tui.domain.validation import MilestoneInput, ProgressReportInput
    from salesdev_tui.store.records import RecordStore


class FollowupStore(StoreBase):
    def __init__(self, db: Database, *, records: RecordStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.records = records

    def signed_contract_id(self, customer_id: uuid.UUID) -> uuid.UUID | None:
        """The customer's most recently signed live contract, if any."""
        with self.db.read() as session:
            return self._signed_contract_id(session, customer_id)

    @staticmethod
    def _signed_contract_id(session: Session, customer_id: uuid.UUID) -> uuid.UUID | None:
        return session.exec(
            select(Contract.id)
            .where(
                Contract.customer_id == customer_id,
                col(Contract.signed_at).is_not(None),
                col(Contract.deleted_at).is_(None),
            )
            .order_by(col(Contract.signed_at).desc())
            .limit(1)
        ).first()

    def has_kickoff(self, customer_id: uuid.UUID) -> bool:
        """True when the customer already has a (live) kick-off record."""
        with self.db.read() as session:
            found = session.exec(
                select(Milestone.id).where(
                    Milestone.customer_id == customer_id,
                    Milestone.kind == MilestoneKind.KICKOFF,
                    col(Milestone.deleted_at).is_(None),
                )
            ).first()
        return found is not None

    def save_milestone(
        self,
        customer_id: uuid.UUID,
        milestone_id: uuid.UUID | None,
        data: MilestoneInput,
        *,
        done: bool,
    ) -> Milestone:
        """Add (`milestone_id` None) or edit a milestone.

        Ticking done stamps `done_at` with now (an already done milestone keeps its time);
        unticking clears it. A milestone without a contract is linked to the signed one.
        """
        now = self.now()
        if milestone_id is None:
            return self.records.add_record(
                Milestone, customer_id, data,
                contract_id=data.contract_id or self.signed_contract_id(customer_id),
                done_at=now if done else None,
            )
        current = self.records.get_record(Milestone, milestone_id)
        return self.records.update_record(
            Milestone, milestone_id, data,
            # The form does not show the contract: keep the link instead of clearing it.
            contract_id=data.contract_id or current.contract_id
            or self.signed_contract_id(current.customer_id),
            done_at=(current.done_at or now) if done else None,
        )

    def save_progress_report(
        self, customer_id: uuid.UUID, report_id: uuid.UUID | None, data: ProgressReportInput
    ) -> ProgressReport:
        """Add or edit a progress report, linked to the signed contract like a milestone."""
        if report_id is None:
            return self.records.add_record(
                ProgressReport, customer_id, data,
                contract_id=data.contract_id or self.signed_contract_id(customer_id),
            )
        current = self.records.get_record(ProgressReport, report_id)
        return self.records.update_record(
            ProgressReport, report_id, data,
            contract_id=data.contract_id or current.contract_id
            or self.signed_contract_id(current.customer_id),
        )

    def milestones_overdue(self, today: date, limit: int = 50) -> list[OverdueMilestone]:
        """Milestones due before `today` (the rep's local day) and not done, oldest first,
        of customers that are not deleted."""
        with self._raw_read() as conn:
            return today_queries.milestones_overdue(conn, today, limit)
