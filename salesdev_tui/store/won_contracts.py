"""Keeping won and signed contracts together when a contract is deleted, restored or edited.

The invariant (policy III.7, issue 14.4): a live customer is won exactly when one of its live
contracts is signed, and every signed contract counts once in new customers, revenue and
profit. Signing moves the customer to won (`ContractStore.sign`); the stage gates refuse won
without a signed contract and keep a customer with one at won (`services.stages`). The
generic record paths (`RecordStore.delete_record`, `restore_record`, `update_record`) can
also take a signed contract away or bring it back: they call `settle_won` in their write
transaction, which recomputes the maintained `first_signed_at` and moves the customer to or
from won with a stage change that says why.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Contract, Customer, StageChange

#: Where a won customer goes when its last signed contract is gone: the deal is back at the
#: contract stage (the rep may then move it on, back, or to lost through the gates).
UNWON_STAGE = Stage.CONTRACT


def has_signed_contract(session: Session, customer_id: uuid.UUID) -> bool:
    """True when a live contract of the customer is signed."""
    found = session.exec(
        select(Contract.id).where(
            Contract.customer_id == customer_id,
            col(Contract.signed_at).is_not(None),
            col(Contract.deleted_at).is_(None),
        )
    ).first()
    return found is not None


def settle_won(session: Session, contract: Contract, now: datetime) -> None:
    """After `contract` was deleted, restored or edited: make its customer's stage agree."""
    number = contract.number or "—"
    settle_customer(
        session, contract.customer_id, now,
        won=_("Signed contract {number} is back.").format(number=number),
        unwon=_("Contract {number} is no longer a signed contract of the customer.").format(
            number=number),
    )


def settle_customer(session: Session, customer_id: uuid.UUID, now: datetime, *,
                    won: str, unwon: str) -> None:
    """Recompute the customer's maintained columns and move it to or from won so that it is
    won exactly when a live contract of theirs is signed; `won` / `unwon` are the reasons
    the stage history records for each move."""
    from salesdev_tui.store.customers import CustomerStore

    session.flush()
    CustomerStore.refresh_customer_facts(session, {customer_id})
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        return  # a deleted customer counts nowhere; undeleting settles it again
    session.refresh(customer)
    signed = has_signed_contract(session, customer.id)
    if signed and customer.stage != Stage.WON:
        target, reason = Stage.WON, won
    elif not signed and customer.stage == Stage.WON:
        target, reason = UNWON_STAGE, unwon
    else:
        return
    session.add(
        StageChange(
            customer_id=customer.id,
            from_stage=customer.stage,
            to_stage=target,
            changed_at=now,
            reason=reason,
            created_at=now,
            updated_at=now,
        )
    )
    customer.stage = target
    customer.lost_reason = None
    customer.updated_at = now
    session.add(customer)
