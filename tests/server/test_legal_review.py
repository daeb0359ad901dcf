"""Legal review as a real step on the real team server (issue 19.5).

The rep sends, legal approves or rejects on the server (the server stamps who and when),
the verdict syncs back and the laptop signs only with the approval the server recorded. A
rep's own approval (typed in solo mode, or forged in the SQLite file) is refused by the
server (migration v0004) without failing the push, and the laptop says why.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from salesdev_tui.config import Team as TeamSettings
from salesdev_tui.domain.contracts import ContractRefused, SigningRefused
from salesdev_tui.domain.legal_approval import team_review_refusal
from salesdev_tui.domain.validation import ContractInput, InvalidInput, LegalReviewInput, validate
from salesdev_tui.models.enums import LegalReview, Stage
from salesdev_tui.models.tables import CONTRACT_CLAUSES
from salesdev_tui.usecases.legal_review import (
    LegalRefused,
    give_verdict,
    legal_queue,
    send_for_review,
)
from salesdev_tui.usecases.sync import status
from tests.server.conftest import Team
from tests.server.test_sync import Device

CLAUSES = {clause: f"{clause} 條款" for clause in CONTRACT_CLAUSES}


def settings_for(team: Team, name: str) -> TeamSettings:
    url = team.url(name).replace(team.user(name) + "@", "")
    return TeamSettings(url=url, user=team.user(name), role="legal")


@pytest.fixture
def amy(team: Team, tmp_path: Path) -> Any:
    device = Device(tmp_path / "amy.db", team, "amy")
    yield device
    device.db.close()


def negotiated(device: Device, name: str = "精密機械股份有限公司") -> tuple[uuid.UUID, uuid.UUID]:
    """A customer with a contract whose six clauses are filled."""
    cid = device.add(name)
    contract = device.store.contracts.create_contract(cid, validate(
        ContractInput, {"number": "SD-2026-001", "value": "1234567.89", "cost": "1000",
                        **CLAUSES}))
    return cid, contract.id


def server_review(team: Team, kid: uuid.UUID) -> tuple[Any, ...]:
    with psycopg.connect(team.admin_url) as conn:
        row = conn.execute("SELECT legal_review, legal_reviewer, legal_reviewed_at,"
                           " legal_comments, signed_at FROM salesdev.contract WHERE id = %s",
                           (kid,)).fetchone()
    assert row is not None
    return tuple(row)


def local(device: Device, kid: uuid.UUID) -> tuple[Any, ...]:
    with sqlite3.connect(device.path) as conn:
        row = conn.execute("SELECT legal_review, legal_reviewer, legal_reviewed_at,"
                           " legal_comments, signed_at FROM contract WHERE id = ?",
                           (kid.hex,)).fetchone()
    return tuple(row)


def test_send_approve_sync_and_sign(team: Team, amy: Device) -> None:
    cid, kid = negotiated(amy)
    lee = settings_for(team, "lee")
    amy.sync()
    assert legal_queue(lee) == []  # a draft is not legal's yet
    send_for_review(amy.store, kid)
    amy.sync()
    [queued] = legal_queue(lee)
    assert (queued.id, queued.customer, queued.number, str(queued.value)) == (
        kid.hex, "精密機械股份有限公司", "SD-2026-001", "1234567.89")
    assert queued.clauses == CLAUSES and queued.review is LegalReview.PENDING
    with pytest.raises(SigningRefused, match="not approved"):
        amy.store.contracts.sign(kid)
    before = datetime.now(UTC)
    after = give_verdict(lee, kid.hex[:8], LegalReview.APPROVED, "條款齊全")
    assert (after.review, after.reviewer, after.comments) == (
        LegalReview.APPROVED, team.user("lee"), "條款齊全")
    assert after.reviewed_at is not None
    assert before - timedelta(seconds=5) < after.reviewed_at < datetime.now(UTC)
    assert legal_queue(lee) == []  # reviewed: out of the queue
    assert [c.id for c in legal_queue(lee, reviewed_too=True)] == [kid.hex]
    report = amy.sync()
    assert report.review_refused == []
    review, reviewer, reviewed_at, comments, _signed = local(amy, kid)
    assert (review, reviewer, comments) == ("approved", team.user("lee"), "條款齊全")
    assert reviewed_at == server_review(team, kid)[2]
    result = amy.store.contracts.sign(kid)  # the won gate: the server's approval counts
    assert result.moved_to_won and result.customer.stage == Stage.WON
    amy.sync()
    assert server_review(team, kid)[4] is not None  # the signature reached the server
    assert amy.outbox() == 0


def test_reject_needs_a_comment_and_syncs_back(team: Team, amy: Device) -> None:
    _cid, kid = negotiated(amy)
    lee = settings_for(team, "lee")
    send_for_review(amy.store, kid)
    amy.sync()
    with pytest.raises(InvalidInput, match="required to reject"):
        give_verdict(lee, kid.hex, LegalReview.REJECTED, "  ")
    with team.connect("lee") as raw, pytest.raises(  # the server holds the rule too
            psycopg.errors.CheckViolation, match="needs a comment"):
        raw.execute("UPDATE contract SET legal_review = 'rejected' WHERE id = %s", (kid,))
    give_verdict(lee, "SD-2026-001", LegalReview.REJECTED, "違約責任不清楚")
    amy.sync()
    assert local(amy, kid)[:2] == ("rejected", team.user("lee"))
    assert local(amy, kid)[3] == "違約責任不清楚"
    with pytest.raises(SigningRefused, match="rejected"):
        amy.store.contracts.sign(kid)
    # The rep changes the clause and sends again: back in legal's queue, pending.
    amy.store.contracts.set_clauses(kid, {"clause_breach_liability": "逾期每日罰款千分之一"})
    send_for_review(amy.store, kid)
    report = amy.sync()
    assert report.review_refused == []
    assert [(c.id, c.review) for c in legal_queue(lee)] == [(kid.hex, LegalReview.PENDING)]


def test_the_rep_cannot_record_a_verdict_on_a_team(team: Team, amy: Device) -> None:
    _cid, kid = negotiated(amy)
    with pytest.raises(ContractRefused, match="send the contract for review"):
        amy.store.contracts.record_legal_review(kid, validate(
            LegalReviewInput, {"legal_review": "approved", "legal_reviewer": "Lin"}))


def test_a_forged_approval_is_refused_and_the_laptop_says_why(team: Team, amy: Device) -> None:
    """The rep edits the SQLite file (the change log sees it) and syncs: the server keeps
    its review, writes the rest, and the laptop gets the server's value back."""
    cid, kid = negotiated(amy)
    other = amy.add("Another Co")
    send_for_review(amy.store, kid)
    amy.sync()
    with sqlite3.connect(amy.path) as conn:
        conn.execute("UPDATE contract SET legal_review = 'approved', legal_reviewer = 'Lin',"
                     " legal_reviewed_at = '2026-11-16 06:00:00.000000', number = 'SD-X'"
                     " WHERE id = ?", (kid.hex,))
    with pytest.raises(SigningRefused, match="changed on this laptop"):
        amy.store.contracts.sign(kid)
    amy.edit(other, notes="sent in the same push")
    report = amy.sync()
    message = team_review_refusal("review", "SD-X", "approved")
    assert [team_review_refusal(r.what, r.number, r.verdict) for r in report.review_refused] \
        == [message]
    assert "only legal can approve; your approval was not sent" in message
    assert server_review(team, kid)[:2] == ("pending", None)
    assert local(amy, kid)[:2] == ("pending", None)  # the server's value came back
    with psycopg.connect(team.admin_url) as conn:
        number, = conn.execute("SELECT number FROM salesdev.contract WHERE id = %s",
                               (kid,)).fetchone() or (None,)
        notes, = conn.execute("SELECT notes FROM salesdev.customer WHERE id = %s",
                              (other,)).fetchone() or (None,)
    assert (number, notes) == ("SD-X", "sent in the same push")  # the rest was written
    assert amy.outbox() == 0
    assert [r.number for r in status(amy.db).review_refused] == ["SD-X"]  # team status
    again = amy.sync()  # nothing stuck: the next push is clean
    assert again.review_refused == [] and again.pushed == 0
    assert status(amy.db).review_refused == []
    # Approval and signature forged together: neither lands, and no CHECK aborts the push.
    with sqlite3.connect(amy.path) as conn:
        conn.execute("UPDATE contract SET legal_review = 'approved', legal_reviewer = 'Lin',"
                     " signed_at = '2026-11-16 06:30:00.000000' WHERE id = ?", (kid.hex,))
        conn.execute("UPDATE customer SET stage = 'won' WHERE id = ?", (cid.hex,))
    report = amy.sync()
    assert sorted(r.what for r in report.review_refused) == ["review", "signature"]
    assert server_review(team, kid)[0::4] == ("pending", None)
    assert local(amy, kid)[0::4] == ("pending", None)


def test_rep_raw_sql_cannot_approve_insert_approved_or_sign_unapproved(team: Team) -> None:
    now = "2026-12-07 01:00:00.000000"
    later = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with team.connect("amy") as amy:
        cid = uuid.uuid4()
        amy.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                    " VALUES (%s, %s, %s, 'Raw Co', 'raw co', 'contract')", (cid, now, now))

        def contract(review: str, signed: str | None) -> uuid.UUID:
            kid = uuid.uuid4()
            amy.execute("INSERT INTO contract (id, created_at, updated_at, customer_id, value,"
                        " cost, legal_review, legal_reviewer, legal_sent_at, signed_at)"
                        " VALUES (%s, %s, %s, %s, 1, 0, %s, 'Lin', %s, %s)",
                        (kid, now, now, cid, review, now, signed))
            return kid

        def review_of(kid: uuid.UUID) -> tuple[Any, ...]:
            return tuple(amy.execute("SELECT legal_review, legal_reviewer, signed_at FROM"
                                     " contract WHERE id = %s", (kid,)).fetchone() or ())

        inserted = contract("approved", None)
        assert review_of(inserted) == ("pending", None, None)
        history = contract("approved", "2026-01-05 02:00:00.000000")  # before the team
        assert review_of(history) == ("approved", "Lin", "2026-01-05 02:00:00.000000")
        forged = contract("approved", later)  # "signed" after joining, never reviewed
        assert review_of(forged) == ("pending", None, None)
        changed = amy.execute("UPDATE contract SET legal_review = 'approved',"
                              " legal_reviewer = 'Lin' WHERE id = %s", (inserted,)).rowcount
        assert changed == 1 and review_of(inserted) == ("pending", None, None)
        amy.execute("UPDATE contract SET signed_at = %s WHERE id = %s", (now, inserted))
        assert review_of(inserted) == ("pending", None, None)
    with team.connect("lee") as lee:
        assert lee.execute("UPDATE contract SET legal_review = 'approved' WHERE id = %s",
                           (inserted,)).rowcount == 1
    with team.connect("amy") as amy:
        assert amy.execute("UPDATE contract SET legal_review = 'rejected' WHERE id = %s",
                           (inserted,)).rowcount == 1
        assert review_of(inserted) == ("approved", team.user("lee"), None)  # still legal's
        amy.execute("UPDATE contract SET signed_at = %s WHERE id = %s", (now, inserted))
        assert review_of(inserted) == ("approved", team.user("lee"), now)  # approved: signs


def test_legal_changes_only_the_review_and_sees_only_sent_contracts(
    team: Team, amy: Device,
) -> None:
    _cid, kid = negotiated(amy)
    _cid2, draft = negotiated(amy, "Draft Only Co")
    send_for_review(amy.store, kid)
    amy.sync()
    lee = settings_for(team, "lee")
    assert [c.id for c in legal_queue(lee, reviewed_too=True)] == [kid.hex]
    with pytest.raises(LegalRefused, match="No contract sent for review") as found:
        give_verdict(lee, draft.hex, LegalReview.APPROVED, None)
    assert found.value.not_found
    with team.connect("lee") as raw:
        for column, value in (("value", 1), ("clause_price", "free"), ("signed_at", "x"),
                              ("legal_sent_at", None), ("owner", team.user("ben"))):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(f"UPDATE contract SET {column} = %s WHERE id = %s", (value, kid))
        assert raw.execute("UPDATE contract SET legal_review = 'approved' WHERE id = %s",
                           (draft,)).rowcount == 0  # not sent: RLS shows 0 rows
        # The reviewer and the time are the server's, whatever legal types.
        raw.execute("UPDATE contract SET legal_review = 'approved', legal_reviewer = 'Boss',"
                    " legal_reviewed_at = '2000-01-01 00:00:00.000000' WHERE id = %s", (kid,))
    review, reviewer, reviewed_at, _comments, _signed = server_review(team, kid)
    assert (review, reviewer) == ("approved", team.user("lee"))
    assert reviewed_at[:4] == str(datetime.now(UTC).year)
    # Signed meanwhile: legal still sees it, but the server changes 0 rows, said plainly.
    amy.sync()
    amy.store.contracts.sign(kid)
    amy.sync()
    with pytest.raises(LegalRefused, match="changed 0 rows"):
        give_verdict(lee, kid.hex, LegalReview.REJECTED, "too late")
    rep = TeamSettings(url=lee.url, user=team.user("amy"))
    with pytest.raises(LegalRefused, match="Only a member of the legal role"):
        legal_queue(rep)


def test_solo_approvals_before_joining(team: Team, tmp_path: Path) -> None:
    """Solo mode keeps today's rule (the rep records the verdict). On joining, a signed
    contract is history and keeps its approval; an unsigned one must be reviewed by legal:
    it comes back pending and the sync says why."""
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store
    from salesdev_tui.usecases.sync import join, sync
    from tests.conftest import Clock

    db = open_database(tmp_path / "solo.db")
    store = Store(db, clock=Clock())
    try:
        solo = Device.__new__(Device)
        solo.path, solo.db, solo.store, solo.url = tmp_path / "solo.db", db, store, team.url("amy")
        cid, kid = negotiated(solo)
        verdict = validate(LegalReviewInput, {"legal_review": "approved",
                                              "legal_reviewer": "Lin Mei"})
        store.contracts.record_legal_review(kid, verdict)  # solo: allowed, as today
        cid2, signed = negotiated(solo, "Signed Before Co")
        store.contracts.record_legal_review(signed, verdict)
        store.contracts.sign(signed)  # solo: the rep's record of legal's verdict counts
        join(db)
        with pytest.raises(SigningRefused, match="changed on this laptop"):
            store.contracts.sign(kid)
        report = sync(db, team.url("amy"))
        assert [(r.contract_id, r.what) for r in report.review_refused] == [(kid.hex, "review")]
        assert local(solo, kid)[:2] == ("pending", None)
        assert server_review(team, signed)[:2] == ("approved", "Lin Mei")
        assert local(solo, signed)[4] is not None
        assert store.customers.get_customer(cid2).stage == Stage.WON
    finally:
        db.close()
