"""What must hold in a database the crash tests' saves went into, after any crash.

Read with the stdlib `sqlite3` module only (never the app), so a bug in the app's read path
cannot hide a problem. Three kinds of finding:

- `corrupt`: `integrity_check` not ok, `foreign_key_check` not empty, or the file unreadable;
- `torn`: a multi-record save that is only partly there (a lead without its stage change or
  first contact, a contract without all six clauses or legal's verdict in the history,
  minutes without all their points, a customer with live contacts but not one primary);
- `lost`: a save the app acknowledged (its method returned) that is not in the file.

`unacked` lists the saves found in the file that were never acknowledged: after a kill, at
most the one save in flight may be there (it committed, then the process died before it
could say so).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CLAUSES = (
    "clause_rights_obligations",
    "clause_specification",
    "clause_price",
    "clause_delivery_time",
    "clause_quality_standard",
    "clause_breach_liability",
)

_MINUTES = re.compile(r"points=(\d+) marker=(\S+)")


@dataclass
class Findings:
    corrupt: list[str] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    unacked: set[tuple[str, str]] = field(default_factory=set)
    #: multi-record saves found whole: leads, contracts, minutes (and their points).
    checked: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.corrupt or self.torn or self.lost)

    def summary(self, limit: int = 8) -> str:
        lines = self.corrupt + self.torn + self.lost
        more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
        return "\n".join(lines[:limit]) + more


def _sha(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def check_database(conn: sqlite3.Connection, acks: Iterable[Mapping[str, Any]]) -> Findings:
    """Check the file behind `conn` against the acknowledged saves `acks`."""
    found = Findings()
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            found.corrupt.append(f"integrity_check: {integrity[:5]}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            found.corrupt.append(f"foreign_key_check: {broken[:5]}")
        _check_rows(conn, list(acks), found)
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed", …
        found.corrupt.append(f"unreadable: {exc}")
    return found


def _check_rows(conn: sqlite3.Connection, acks: list[Mapping[str, Any]], found: Findings) -> None:
    def rows(sql: str) -> list[Any]:
        return conn.execute(sql).fetchall()

    customers = {cid: (name, notes, first) for cid, name, notes, first in rows(
        "SELECT id, name, notes, first_contacted_at FROM customer WHERE name LIKE 'Crash %'")}
    first_stage: Counter[str] = Counter(cid for (cid,) in rows(
        "SELECT customer_id FROM stage_change WHERE from_stage IS NULL AND to_stage='prospect'"))
    contacts = {cid: (cust, name, primary, deleted) for cid, cust, name, primary, deleted in rows(
        "SELECT id, customer_id, name, is_primary, deleted_at FROM contact")}
    plans = {pid: (cust, status, outcome) for pid, cust, status, outcome in rows(
        "SELECT id, customer_id, status, outcome FROM contact_plan")}
    contracts = {row[0]: row[1:] for row in rows(
        f"SELECT id, number, legal_review, {', '.join(CLAUSES)} FROM contract")}
    verdicts = {eid for (eid,) in rows(
        "SELECT entity_id FROM field_edit WHERE entity='contract' AND field='legal_review'")}
    minutes = dict(rows("SELECT id, next_steps FROM negotiation"))
    points: dict[str, list[str]] = defaultdict(list)
    for nid, text in rows(
        "SELECT negotiation_id, text FROM negotiation_point WHERE deleted_at IS NULL"
    ):
        points[nid].append(text)

    # -- every save found must be whole, acknowledged or not -----------------------------
    people: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for cust, name, primary, deleted in contacts.values():
        if deleted is None:
            people[cust].append((name, bool(primary)))
    for cid, (name, _notes, _first) in customers.items():
        tag = name.removeprefix("Crash ")
        has_first = any(c == cid and n == f"First {tag}" for c, n, _p, _d in contacts.values())
        if first_stage[cid] != 1 or not has_first:
            found.torn.append(f"lead {tag}: {first_stage[cid]} first stage changes, "
                              f"first contact {'present' if has_first else 'MISSING'}")
        else:
            found.checked["lead"] += 1
        live = people.get(cid, [])
        if live and sum(primary for _n, primary in live) != 1:
            found.torn.append(f"customer {tag}: {sum(p for _n, p in live)} primary contacts")
    for pid, (cust, status, _outcome) in plans.items():
        if cust in customers and status == "done" and customers[cust][2] is None:
            found.torn.append(f"plan {pid}: done, but the customer's first contact date is unset")
    for kid, (number, review, *clauses) in contracts.items():
        tag = str(number).removeprefix("K-")
        whole = all(
            text is not None and text.startswith(f"{name} {tag} ")
            for name, text in zip(CLAUSES, clauses, strict=True)
        )
        if not whole or review != "approved" or kid not in verdicts:
            found.torn.append(f"contract {number}: clauses whole={whole}, review={review}, "
                              f"verdict in history={kid in verdicts}")
        else:
            found.checked["contract"] += 1
    for nid, header in minutes.items():
        match = _MINUTES.fullmatch(header or "")
        if match is None:
            continue
        want, tag = int(match[1]), match[2]
        got = points.get(nid, [])
        if len(got) != want or not all(text.startswith(f"{tag} point ") for text in got):
            found.torn.append(f"minutes {tag}: {len(got)} of {want} points")
        else:
            found.checked["minutes"] += 1
            found.checked["points"] += want

    # -- every acknowledged save must be there -------------------------------------------
    acked: dict[str, set[str]] = defaultdict(set)
    for ack in acks:
        op, tag = ack["op"], ack["marker"]
        key = {"lead": "customer", "contact": "contact", "plan": "plan", "log": "plan",
               "contract": "contract", "minutes": "negotiation", "delete": "contact"}[op]
        rid = ack[key]
        acked[op].add(rid)
        if op == "lead":
            present = rid in customers and _sha(customers[rid][1]) == ack["notes_sha"]
        elif op == "contact":
            present = rid in contacts
        elif op == "plan":
            present = rid in plans
        elif op == "log":
            present = rid in plans and plans[rid][1:] == ("done", ack["outcome"])
        elif op == "contract":
            present = rid in contracts
        elif op == "minutes":
            present = rid in minutes
        else:
            present = rid in contacts and contacts[rid][3] is not None
        if not present:
            found.lost.append(f"acknowledged {op} {tag} ({rid}) is not in the file")

    # -- saves in the file that were never acknowledged ----------------------------------
    found.unacked |= {("lead", c) for c in customers if c not in acked["lead"]}
    found.unacked |= {("contact", c) for c, (_cu, name, _p, _d) in contacts.items()
                      if name.startswith("Second ") and c not in acked["contact"]}
    found.unacked |= {("plan", p) for p in plans if p not in acked["plan"]}
    found.unacked |= {("log", p) for p, (_c, status, _o) in plans.items()
                      if status == "done" and p not in acked["log"]}
    found.unacked |= {("contract", k) for k in contracts if k not in acked["contract"]}
    found.unacked |= {("minutes", n) for n in minutes if n not in acked["minutes"]}
    found.unacked |= {("delete", c) for c, (_cu, _n, _p, deleted) in contacts.items()
                      if deleted is not None and c not in acked["delete"]}
