"""The rep's targets per period and indicator (policy V), set from the app.

At most one live row of the rep's own per (period kind, period label, indicator): the
database's partial unique index `uq_target_live` insists. Targets the manager set on the team
server (`set_by`, issue 19.3) arrive by sync beside them and replace them for their period;
the rep cannot set or clear a target of such a period here (`TargetRefused`). Setting a
target again changes that row's value; clearing it soft-deletes the row, so the config's
default applies again (`services.targets`). Targets belong to no customer, so they have no
customer edit history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from salesdev_tui.domain.validation import TargetInput
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.tables import Target
from salesdev_tui.models.views import TargetFigure
from salesdev_tui.store import today_queries
from salesdev_tui.store.base import StoreBase

if TYPE_CHECKING:  # a reader of targets (the review, Today) need not load the input models
    from salesdev_tui.domain.validation import TargetInput


class TargetStore(StoreBase):
    def targets_for(self, periods: Iterable[tuple[PeriodKind, str]]) -> list[TargetFigure]:
        """The live targets of these (kind, label) periods (`today_queries`)."""
        with self._raw_read() as conn:
            return today_queries.targets_for(conn, periods)

    def target_of(self, kind: PeriodKind, label: str, kpi: Kpi) -> Target | None:
        with self.db.read() as session:
            return self._live_target(session, kind, label, kpi)

    def set_target(self, data: TargetInput) -> Target:
        """Create or change the target of one period and indicator."""
        now = self.now()
        with self.db.write() as session:
            self._refuse_if_manager_set(session, data.period_kind, data.period_label)
            row = self._live_target(session, data.period_kind, data.period_label, data.kpi)
            if row is None:
                row = Target(**data.model_dump(), created_at=now, updated_at=now)
            elif row.value != data.value:
                row.value = data.value
                row.updated_at = now
            session.add(row)
            return row

    def clear_target(self, kind: PeriodKind, label: str, kpi: Kpi) -> bool:
        """Remove a period's own target (the default applies again); False if none was set."""
        now = self.now()
        with self.db.write() as session:
            self._refuse_if_manager_set(session, kind, label)
            row = self._live_target(session, kind, label, kpi)
            if row is None:
                return False
            row.deleted_at = now
            row.updated_at = now
            session.add(row)
            return True

    def set_by_manager(self, kind: PeriodKind, label: str) -> str | None:
        """The manager who set this period's targets on the team server, or None."""
        with self.db.read() as session:
            return self._manager_of(session, kind, label)

    @staticmethod
    def _manager_of(session: Session, kind: PeriodKind, label: str) -> str | None:
        return session.exec(
            select(Target.set_by).where(
                col(Target.period_kind) == kind,
                col(Target.period_label) == label,
                col(Target.set_by).is_not(None),
                col(Target.deleted_at).is_(None),
            )
        ).first()

    @classmethod
    def _refuse_if_manager_set(cls, session: Session, kind: PeriodKind, label: str) -> None:
        from salesdev_tui.domain.targets import TargetRefused

        if cls._manager_of(session, kind, label):
            raise TargetRefused(label)

    @staticmethod
    def _live_target(session: Session, kind: PeriodKind, label: str, kpi: Kpi) -> Target | None:
        """The rep's own live target (never one the manager set)."""
        return session.exec(
            select(Target).where(
                col(Target.period_kind) == kind,
                col(Target.period_label) == label,
                col(Target.kpi) == kpi,
                col(Target.set_by).is_(None),
                col(Target.deleted_at).is_(None),
            )
        ).first()
