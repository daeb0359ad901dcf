"""The child process of the kill-9 test: saves through the app's own path until it is killed.

`python tests/trust/crash_child.py DB_PATH --seed N --run N` opens the database with
`salesdev_tui.db.open_database` and a `Store`, prints one JSON line `{"op": "ready"}`, then
loops over the app's real save methods, one customer per cycle: a lead (customer + stage
change + first contact), then in a random order: a second contact and the deletion of the
primary (the role moves to the other contact in the same transaction); a contact plan and
its outcome logged; a contract with its six clauses and legal's verdict; negotiation minutes
with 1-6 points. Every fifth cycle a quick find writes the search index.

After each save RETURNS it prints an acknowledgement line (the record ids and the save's
unique marker) and flushes, so the parent knows exactly which saves the app reported as done.
A save whose commit succeeded but whose line was never written is the "committed but killed
before ack" case. `--zygote` forks such savers on request (see `zygote`).

`SaveLoop` is also imported by the power-loss test, which records the SQL of the same saves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import traceback
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    ContractInput,
    CustomerInput,
    LegalReviewInput,
    NegotiationInput,
    NegotiationPointInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.models.tables import CONTRACT_CLAUSES, Contact

#: Text the payloads are made of: ASCII and CJK, so rows span pages and use UTF-8 widely.
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 株式会社東京台北貿易"

Ack = dict[str, Any]


def sha(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def minutes_header(points: int, marker: str) -> str:
    """`next_steps` of crash-test minutes: how many points they must have, and whose they are."""
    return f"points={points} marker={marker}"


def clause_text(clause: str, marker: str, body: str) -> str:
    """A clause of a crash-test contract: each one names its contract's marker."""
    return f"{clause} {marker} {body}"


class SaveLoop:
    """Saves through `store` forever; each `saves()` item is the acknowledgement of one save."""

    def __init__(self, store: Any, run: int, seed: int, now: datetime) -> None:
        self.store = store
        self.run = run
        self.rng = random.Random(seed)
        self.now = now
        self.cycle = 0

    def text(self, low: int, high: int) -> str:
        body = "".join(self.rng.choices(_ALPHABET, k=self.rng.randint(low, high)))
        return f"<{body}>"  # never blank, never leading/trailing spaces the input would strip

    def saves(self) -> Iterator[Ack]:
        while True:
            self.cycle += 1
            yield from self._one_customer(f"r{self.run:03d}c{self.cycle:05d}")

    def _one_customer(self, tag: str) -> Iterator[Ack]:
        customer = self.store.customers.add_lead(
            validate(CustomerInput, {"name": f"Crash {tag}", "notes": self.text(16, 8000)}),
            validate(ContactInput, {"name": f"First {tag}", "email": f"{tag.lower()}@example.com"}),
        )
        yield {"op": "lead", "marker": tag, "customer": customer.id.hex,
               "first_contact": f"First {tag}", "notes_sha": sha(customer.notes)}
        # A kill lands a few saves into a run: a random order gives every kind its share.
        steps = [self._contacts, self._contact_logged, self._contract, self._minutes]
        self.rng.shuffle(steps)
        for step in steps:
            yield from step(customer.id, tag)
        if self.cycle % 5 == 0:
            self.store.search.quick_find(f"Crash {tag}")  # applies the queued search-index writes

    def _contacts(self, cid: uuid.UUID, tag: str) -> Iterator[Ack]:
        """A second contact, then the primary deleted: the primary role moves with it."""
        second = self.store.contacts.add_contact(
            cid, validate(ContactInput, {"name": f"Second {tag}", "notes": self.text(8, 4000)})
        )
        yield {"op": "contact", "marker": tag, "customer": cid.hex, "contact": second.id.hex}
        primary = next(c for c in self.store.customers.contacts_of(cid) if c.is_primary)
        self.store.records.delete_record(Contact, primary.id)
        yield {"op": "delete", "marker": tag, "customer": cid.hex, "contact": primary.id.hex}

    def _contact_logged(self, cid: uuid.UUID, tag: str) -> Iterator[Ack]:
        plan = self.store.plans.plan_contact(cid, validate(ContactPlanInput, {
            "method": "phone", "scheduled_at": self.now, "agenda": self.text(8, 500)}))
        yield {"op": "plan", "marker": tag, "customer": cid.hex, "plan": plan.id.hex}
        outcome = f"outcome {tag}"
        self.store.plans.log_outcome(
            plan.id, validate(PlanOutcomeInput, {"status": "done", "outcome": outcome})
        )
        yield {"op": "log", "marker": tag, "customer": cid.hex, "plan": plan.id.hex,
               "outcome": outcome}

    def _contract(self, cid: uuid.UUID, tag: str) -> Iterator[Ack]:
        """A contract with its six clauses and legal's verdict, in one save."""
        terms = {name: clause_text(name, tag, self.text(100, 3000)) for name in CONTRACT_CLAUSES}
        contract = self.store.contracts.save_contract(
            cid, None,
            validate(ContractInput, {"number": f"K-{tag}", "value": "1000", **terms}),
            validate(LegalReviewInput, {"legal_review": "approved", "legal_reviewer": "Legal"}),
        )
        yield {"op": "contract", "marker": tag, "customer": cid.hex, "contract": contract.id.hex}

    def _minutes(self, cid: uuid.UUID, tag: str) -> Iterator[Ack]:
        """Negotiation minutes with 1-6 points, in one save."""
        count = self.rng.randint(1, 6)
        points = [
            validate(NegotiationPointInput, {
                "kind": self.rng.choice(["key_info", "agreed", "open"]),
                "text": f"{tag} point {i + 1}/{count} {self.text(8, 1000)}",
            })
            for i in range(count)
        ]
        saved = self.store.negotiations.save_minutes(
            cid,
            validate(NegotiationInput, {"held_at": self.now,
                                        "next_steps": minutes_header(count, tag)}),
            points,
        )
        yield {"op": "minutes", "marker": tag, "customer": cid.hex,
               "negotiation": saved.negotiation.id.hex, "points": count}


def _emit(line: Ack) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def save_until_killed(db_path: Path, run: int, seed: int) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    store = Store(db, actor="crash-child")
    _emit({"op": "ready", "run": run})
    for ack in SaveLoop(store, run, seed, store.now()).saves():
        _emit({**ack, "run": run})


def zygote(db_path: Path) -> None:
    """Import once, then fork one saver per `RUN SEED` line on stdin, one at a time.

    Importing the app takes 1.5-4 s of CPU on a busy machine; a fork takes milliseconds, so
    40 kills cost seconds instead of minutes. Each saver still opens the database afresh, as
    the app does. It prints `{"op": "forked", "pid": …}` (the process to kill) and, once the
    saver is gone, `{"op": "ended", "signal": …}`. Savers share this stdout: each line is
    one write() of less than PIPE_BUF bytes, so a kill never leaves half a line in the pipe.
    """
    import salesdev_tui.db
    import salesdev_tui.store  # noqa: F401 - imported here, before any fork

    for line in sys.stdin:
        run, seed = (int(word) for word in line.split())
        pid = os.fork()
        if pid == 0:
            try:
                save_until_killed(db_path, run, seed)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            os._exit(1)
        _emit({"op": "forked", "run": run, "pid": pid})
        _, status = os.waitpid(pid, 0)
        killed_by = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        _emit({"op": "ended", "run": run, "signal": killed_by})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--run", type=int, default=0)
    parser.add_argument("--zygote", action="store_true",
                        help="fork one saver per 'RUN SEED' line on stdin")
    args = parser.parse_args(argv)
    if args.zygote:
        zygote(args.db)
    else:
        save_until_killed(args.db, args.run, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
