"""What every part of the store shares: the database, the clock, and the lookup errors."""

from __future__ import annotations

import contextlib
import getpass
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import String, cast, func
from sqlmodel import Session, col, select

from salesdev_tui.db import Database
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.tables import Customer, FieldEdit, Record

R = TypeVar("R", bound=Record)

#: Longest old/new value kept in the history (the CHECK allows twice the longest field).
_HISTORY_LIMIT = 40_000


def _history_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)[:_HISTORY_LIMIT]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class NotFound(LookupError):
    """No live record has that id (or id prefix)."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(_("No {what} matches '{key}'.").format(what=_(what), key=key))
        self.what = what
        self.key = key


#: How each kind of record reads in these messages: the table names, which callers pass
#: ("contact plan"), listed for extraction and translated when the message is made.
RECORD_KINDS: tuple[str, ...] = (
    N_("competitor note"),
    N_("contact"),
    N_("contact plan"),
    N_("contract"),
    N_("credit check"),
    N_("customer"),
    N_("field edit"),
    N_("milestone"),
    N_("needs note"),
    N_("negotiation"),
    N_("negotiation point"),
    N_("progress report"),
    N_("proposal"),
    N_("proposal line"),
    N_("research note"),
    N_("stage change"),
    N_("survey"),
    N_("target"),
)


class Ambiguous(LookupError):
    """An id prefix matches several records."""

    def __init__(self, what: str, key: str, count: int) -> None:
        super().__init__(
            _("'{key}' matches {count} {what}s; type more of the id.").format(
                key=key, count=count, what=_(what)
            )
        )


class StoreBase:
    """The database and the clock every store part works with."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        actor: str | None = None,
    ) -> None:
        self.db = db
        self._clock = clock
        # Who makes the changes (the edit history's "who"): the rep's name from the config,
        # else the login name.
        self.actor = actor if actor is not None else _login_name()

    @contextlib.contextmanager
    def _raw_read(self) -> Iterator[Any]:
        """The DB-API connection under a read session, for the plain-SQL queries of
        `today_queries` (inside the session's transaction; errors mapped as usual)."""
        with self.db.read() as session:
            yield session.connection().connection.driver_connection

    def now(self) -> datetime:
        """The current time, aware UTC (injected in tests for fixed dates)."""
        return self._clock().astimezone(UTC)

    @staticmethod
    def _live(session: Session, model: type[R], record_id: uuid.UUID) -> R:
        row = session.get(model, record_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(model.__tablename__.replace("_", " "), str(record_id))
        return row

    def _touch(self, row: Record) -> None:
        row.updated_at = self.now()

    def resolve_id(self, model: type[R], key: str) -> uuid.UUID:
        """The id of the one live `model` whose id starts with `key` (dashes optional)."""
        what = model.__tablename__.replace("_", " ")
        prefix = key.strip().lower().replace("-", "")
        if not prefix or any(ch not in "0123456789abcdef" for ch in prefix):
            raise NotFound(what, key)
        if len(prefix) == 32:
            record_id = uuid.UUID(prefix)
            with self.db.read() as session:
                self._live(session, model, record_id)
            return record_id
        with self.db.read() as session:
            # Uuid columns are CHAR(32) hex on SQLite, so a prefix is an index range scan.
            id_text = cast(col(model.id), String)
            rows = session.exec(
                select(model.id)
                .where(id_text >= prefix, id_text < prefix + "g")
                .where(col(model.deleted_at).is_(None))
                .limit(2)
            ).all()
        if not rows:
            raise NotFound(what, key)
        if len(rows) > 1:
            raise Ambiguous(what, key, len(rows))
        return rows[0]

    def count_live(self, model: type[Record]) -> int:
        with self.db.read() as session:
            stmt = select(func.count()).select_from(model).where(col(model.deleted_at).is_(None))
            return int(session.exec(stmt).one())

    def is_empty(self) -> bool:
        """True when the database holds no customer at all (live or deleted)."""
        with self.db.read() as session:
            return session.exec(select(Customer.id).limit(1)).first() is None

    # -- shared by every write path that edits customer information ------------------------

    def _log_changes(self, session: Session, row: Record, changes: dict[str, object],
                     now: datetime) -> None:
        """Apply `changes` to `row`, one `FieldEdit` per changed field (who, when, old -> new),
        and touch its customer. The generic step of every edit: `RecordStore.apply` adds the
        rules of a kind of record (contacts, customers, proposals) around it."""
        customer_id = row.id if isinstance(row, Customer) else getattr(row, "customer_id", None)
        entity = str(row.__tablename__)
        changed = False
        for field, new in changes.items():
            old = getattr(row, field)
            if old == new:
                continue
            changed = True
            setattr(row, field, new)
            if customer_id is not None:
                session.add(
                    FieldEdit(
                        customer_id=customer_id,
                        entity=entity,
                        entity_id=row.id,
                        field=field,
                        old_value=_history_text(old),
                        new_value=_history_text(new),
                        edited_at=now,
                        edited_by=self.actor or None,
                        created_at=now,
                        updated_at=now,
                    )
                )
        if not changed:
            return
        row.updated_at = now
        session.add(row)
        if customer_id is not None:
            customer = row if isinstance(row, Customer) else session.get(Customer, customer_id)
            if customer is not None:
                self._touch_customer(session, customer, now)

    @staticmethod
    def _touch_customer(session: Session, customer: Customer, now: datetime) -> None:
        customer.updated_at = now
        customer.last_activity_at = now
        session.add(customer)
