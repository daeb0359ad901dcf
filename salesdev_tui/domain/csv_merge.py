"""Deciding what a spreadsheet import does: which rows match stored records, what to write.

Pure: the store gathers the facts (`Known`: the stored records a chunk of rows may name,
found with batched index lookups), `csv_merge_run` feeds them and the rows to the planner
here chunk after chunk, and the store writes what it decides. Matching, strongest
first: the record's salesdev id; for a customer, then a contact's e-mail, a contact's
normalised phone, the company key (`dedupe.company_key`); for a contact within its customer,
then e-mail, phone, name; for a plan, then the same customer, time and method. A row that
matches a record made earlier in the same import adds to it (a company with several people
is several rows). Blank cells never clear anything.

An id in the file is the identity: a row that carries one is that record, stored or new,
and is never matched by e-mail, phone or name instead (the company key folds "A-1 Foods" and
"A1 Foods" together: an export's distinct customers must come back distinct). Every row is
accounted for in `ImportResult.rows` (new, merged, updated, unchanged, skipped, failed).
"""
# Over 400 lines on purpose: one rule set: how a spreadsheet's rows match each other and the
# book (split, a rule would be read without the rules it must agree with).

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from salesdev_tui.domain.csv_import import (
    ImportRow,
    OnMatch,
    RowNote,
    RowProblem,
)
from salesdev_tui.domain.csv_merge_records import (
    Counter,
    Held,
    Rec,
    Values,
)
from salesdev_tui.domain.import_stages import csv_stage
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import PlanStatus, Stage

__all__ = ["RowPlanner"]


def _email_key(email: str | None) -> str | None:
    if not email:
        return None
    lowered = email.lower()
    return email if lowered == email else lowered  # one string held, not two (17.6)


def _name(rec: Rec) -> str:
    return str(rec.values.get("name") or "?")


class RowPlanner:
    """Plans the rows of a file in order (`row`), holding what later rows may match; the
    chunks (`csv_merge_run.ChunkPlanner`) feed it the stored records and take its writes."""

    def __init__(self, on_match: OnMatch, merge_shared: bool = False,
                 new_id: Callable[[], uuid.UUID] = uuid.uuid4) -> None:
        self.on_match = on_match
        #: Makes the id of each record the import creates (`ordered_ids.OrderedIds`).
        self.new_id = new_id
        self.merge_shared = merge_shared
        #: Why the row being planned was kept apart from a customer sharing its phone/e-mail.
        self.kept_apart: str | None = None
        self.notes: list[RowNote] = []
        self.shared: list[RowProblem] = []
        self.customers = Held(("name", "name_key"))
        self.contacts = Held(("customer_id", "name", "email", "phone", "mobile",
                              "phone_normalized", "mobile_normalized", "is_primary"))
        self.plans = Held()
        self.by_email: dict[str, uuid.UUID] = {}
        self.by_phone: dict[str, uuid.UUID] = {}
        self.by_key: dict[str, uuid.UUID] = {}
        #: A customer's contacts: the one's id, or a list of several (a list for each of
        #: 100,000 companies with one person each was 10 MB; 17.6). Read by `people_of`.
        self.contacts_of: dict[uuid.UUID, uuid.UUID | list[uuid.UUID]] = {}
        self.plan_keys: dict[tuple[Any, ...], uuid.UUID] = {}
        self.counters = {"customers": Counter(), "contacts": Counter(), "plans": Counter()}
        self.problems: list[RowProblem] = []
        #: Rows imported at a lower stage than they said (`services.import_stages`).
        self.stage_notes: list[RowProblem] = []
        self.rows: dict[str, int] = dict.fromkeys(
            ("new", "merged", "attached", "updated", "unchanged", "skipped", "failed"), 0)
        self.primary_check: set[uuid.UUID] = set()
        #: The records the rows since the last `take_writes` made or changed, by part.
        self.recent: dict[str, dict[uuid.UUID, Rec]] = {
            part: {} for part in ("customers", "contacts", "plans")}
        #: Stored customers whose contacts or plans change, and whose plans do.
        self.touched: set[uuid.UUID] = set()
        self.facts: set[uuid.UUID] = set()
        self.filled_sets: dict[frozenset[str], frozenset[str]] = {}

    def _mark(self, part: str, rec: Rec) -> Rec:
        self.recent[part][rec.id] = rec
        return rec

    # -- indexes -------------------------------------------------------------------------------

    def _index_contact(self, rec: Rec) -> None:
        values = rec.values
        owner = values["customer_id"]
        held = self.contacts_of.get(owner)
        if held is None:
            self.contacts_of[owner] = rec.id
        elif isinstance(held, list):
            held.append(rec.id)
        else:
            self.contacts_of[owner] = [held, rec.id]
        email = _email_key(values.get("email"))
        if email:
            self.by_email.setdefault(email, rec.id)
        for phone in (values.get("phone_normalized"), values.get("mobile_normalized")):
            if phone:
                self.by_phone.setdefault(phone, rec.id)

    def people_of(self, customer_id: uuid.UUID) -> Sequence[uuid.UUID]:
        held = self.contacts_of.get(customer_id, ())
        return held if not isinstance(held, uuid.UUID) else (held,)

    @staticmethod
    def _plan_key(values: Values) -> tuple[Any, ...]:
        return (values["customer_id"], values["scheduled_at"], values["method"])

    # -- finding -------------------------------------------------------------------------------

    def _find_customer(self, row: ImportRow) -> tuple[Rec | None, bool]:
        """The customer a row names, and whether it was named by its id."""
        if row.customer_id is not None:
            # The id is the identity: a new one makes a new customer, whatever its name.
            return self.customers.get(row.customer_id), True
        contact = row.contact or {}
        for what, index, key in (
            (_("e-mail"), self.by_email, _email_key(contact.get("email"))),
            (_("phone"), self.by_phone, contact.get("phone_normalized")),
            (_("phone"), self.by_phone, contact.get("mobile_normalized")),
        ):
            if not key or key not in index:
                continue
            found = self.customers[self.contacts[index[key]].values["customer_id"]]
            other = found.values.get("name_key")
            # A shared phone or e-mail (a switchboard, info@gmail.com) is no proof that two
            # companies with different names are one: only the rep can say so.
            if self.merge_shared or not row.name_key or not other or other == row.name_key:
                return found, False
            if self.kept_apart is None:
                self.kept_apart = _(
                    "shares the {what} {value} with {company}: kept as a separate customer"
                ).format(what=what, value=key, company=_name(found))
                self.shared.append(RowProblem(row.line, None, self.kept_apart))
        if row.name_key and row.name_key in self.by_key:
            return self.customers[self.by_key[row.name_key]], False
        return None, False

    def _find_contact(self, row: ImportRow, customer_id: uuid.UUID | None) -> Rec | None:
        if row.contact_id is not None:
            return self.contacts.get(row.contact_id)
        if customer_id is None or not row.contact:
            return None
        mine = [self.contacts[c] for c in self.people_of(customer_id)]
        email = _email_key(row.contact.get("email"))
        phone = row.contact.get("phone_normalized")
        mobile = row.contact.get("mobile_normalized")
        name = str(row.contact["name"]).casefold() if row.contact_named else None
        for test in (lambda v: email and _email_key(v.get("email")) == email,
                     lambda v: phone and v.get("phone_normalized") == phone
                     and self._same_person(name, v),
                     lambda v: mobile and mobile in (v.get("mobile_normalized"),
                                                     v.get("phone_normalized"))
                     and self._same_person(name, v),
                     lambda v: name and str(v["name"]).casefold() == name):
            for rec in mine:
                if rec.live and test(rec.values):
                    return rec
        return None

    @staticmethod
    def _same_person(name: str | None, values: Values) -> bool:
        """Whether a phone shared by a row's person and a stored one can make them one.

        Colleagues share a switchboard: a phone alone never makes "Andy Lin" "Amy Chen".
        A name that holds the other ("Amy", "Amy Chen") or a stand-in name (the contact was
        named after its phone or e-mail) does not stand in the way.
        """
        stored = str(values.get("name") or "").casefold()
        if not name or not stored or stored in (
                str(values.get(k) or "").casefold() for k in ("phone", "mobile", "email")):
            return True
        return name in stored or stored in name

    def _find_plan(self, row: ImportRow, customer_id: uuid.UUID | None) -> Rec | None:
        assert row.plan is not None
        if row.plan_id is not None:
            return self.plans.get(row.plan_id)
        if customer_id is None:
            return None
        key = (customer_id, row.plan["scheduled_at"], row.plan["method"])
        found = self.plan_keys.get(key)
        return self.plans[found] if found is not None else None

    # -- one row -------------------------------------------------------------------------------

    def row(self, row: ImportRow) -> None:
        """Plan one row, and note what became of it (every row is noted once)."""
        self.kept_apart = None
        outcome, detail = self._row(row)
        if self.kept_apart is not None:
            detail = f"{detail} ({self.kept_apart})"
        self.rows[outcome] += 1
        self.notes.append(RowNote(row.line, outcome, detail))

    def _row(self, row: ImportRow) -> tuple[str, str]:
        customer, by_id = self._find_customer(row)
        if customer is not None and not customer.live:
            self._skip(row, customer)
            return "skipped", _("skipped because the customer {company} is deleted").format(
                company=_name(customer))
        if customer is not None and not customer.new:
            if self.on_match is OnMatch.CREATE and by_id:
                self._skip(row, customer)
                return "skipped", _("skipped because its customer id is the stored customer "
                                    "{company} (--on-match create only makes new customers)"
                                    ).format(company=_name(customer))
            if self.on_match is OnMatch.SKIP:
                return self._attach(row, customer)
            if self.on_match is OnMatch.CREATE:
                customer = None
        if customer is None and "name" not in row.customer:
            nameless = _("matches no customer, and has no company name to create one")
            self.problems.append(RowProblem(row.line, None, nameless))
            return "failed", _("rejected because it {problem}").format(problem=nameless)
        target = customer.id if customer is not None else None
        contact = self._find_contact(row, target) if (row.contact or row.contact_id) else None
        plan = self._find_plan(row, target) if row.plan is not None else None
        problem = self._refusal(row, target, contact, plan)
        if problem is not None:
            self.problems.append(RowProblem(row.line, None, problem))
            return "failed", _("rejected because {problem}").format(problem=problem)
        before = self._footprint(customer, contact, plan)
        outcome = "new" if customer is None else "merged" if customer.new else ""
        made_by = customer.line if customer is not None else 0
        customer = self._apply_customer(row, customer)
        contact = self._apply_contact(row, customer, contact)
        if row.plan is not None:
            self._apply_plan(row, customer, contact, plan)
        if outcome == "new":
            return outcome, _("new customer {company}").format(company=_name(customer))
        if outcome == "merged":
            return outcome, _("added to {company}, made by line {line}").format(
                company=_name(customer), line=made_by)
        if before != self._footprint(customer, contact, plan):
            return "updated", _("updated the stored customer {company}").format(
                company=_name(customer))
        return "unchanged", _("matches the stored customer {company}; nothing to change").format(
            company=_name(customer))

    def _attach(self, row: ImportRow, customer: Rec) -> tuple[str, str]:
        """A stored customer the rep keeps as it is: its new people and plans are added.

        A people file after a companies file (Pipedrive, HubSpot, Salesforce export them
        apart) names stored companies on every row: the people belong to them.
        """
        contact = self._find_contact(row, customer.id) if (row.contact or row.contact_id) else None
        plan = self._find_plan(row, customer.id) if row.plan is not None else None
        problem = self._refusal(row, customer.id, contact, plan)
        if problem is not None:
            self.problems.append(RowProblem(row.line, None, problem))
            return "failed", _("rejected because {problem}").format(problem=problem)
        adds_contact = row.contact is not None and (contact is None or contact.new)
        adds_plan = row.plan is not None and (plan is None or plan.new)
        if not adds_contact and not adds_plan:
            self._skip(row, customer)
            if contact is not None:
                return "skipped", _("skipped because {contact} of {company} is stored already "
                                    "(--on-match update changes stored records)").format(
                    contact=_name(contact), company=_name(customer))
            return "skipped", _("skipped because {company} is stored already (--on-match update "
                                "changes stored customers)").format(company=_name(customer))
        self.counters["customers"].matched[customer.id] = None
        if adds_contact:
            contact = self._apply_contact(row, customer, contact)
        if adds_plan:
            self._apply_plan(row, customer, contact, plan)
        who = _name(contact) if contact is not None else _("a contact plan")
        return "attached", _("{who} attached to the stored customer {company}").format(
            who=who, company=_name(customer))

    def _footprint(self, *recs: Rec | None) -> tuple[Any, ...]:
        """What a row can change: the records made so far, and its records' changes."""
        made = tuple(len(counter.created) for counter in self.counters.values())
        return made, tuple(dict(rec.changes) if rec is not None else None for rec in recs)

    def _refusal(self, row: ImportRow, target: uuid.UUID | None, contact: Rec | None,
                 plan: Rec | None) -> str | None:
        if contact is not None and contact.values["customer_id"] != target:
            return _("its contact id belongs to another customer")
        if contact is None and row.contact_id is not None and row.contact is None:
            return _("its contact id names no contact")
        if plan is not None and plan.values["customer_id"] != target:
            return _("its plan id belongs to another customer")
        if target is None:  # a new customer: its stage goes through the hard gates
            return csv_stage(row.stage, row.lost_reason).refused
        return None

    def _skip(self, row: ImportRow, customer: Rec) -> None:
        """Leave a stored customer (and what the row says about its people and plans) alone."""
        self.counters["customers"].skipped.add(customer.id)
        if row.contact or row.contact_id:
            self.counters["contacts"].skipped.add(row.line)
        if row.plan is not None:
            self.counters["plans"].skipped.add(row.line)

    def _apply_customer(self, row: ImportRow, rec: Rec | None) -> Rec:
        counter = self.counters["customers"]
        if rec is None:
            new_id = row.customer_id if row.customer_id not in self.customers else None
            proven = csv_stage(row.stage, row.lost_reason)
            stage = proven.stage
            if proven.note is not None:
                self.stage_notes.append(RowProblem(row.line, None, proven.note))
            # The row's own dict becomes the record's values (a copy of every row's values
            # was a third of a 100,000-row import's memory); nothing reads the row's after.
            values = row.customer
            values.update({"id": new_id or self.new_id(), "stage": stage,
                           "lost_reason": row.lost_reason if stage is Stage.LOST else None})
            rec = Rec(values, new=True, line=row.line)
            self.customers[rec.id] = rec
            counter.created[rec.id] = None
            if "name" in values:
                rec.set("name_key", row.name_key)
                self.by_key[row.name_key] = rec.id
            rec.seen = True
            return self._mark("customers", rec)
        else:
            # A record an earlier row of this file made or changed keeps what that row said.
            fill = rec.seen
            if not rec.new:
                counter.matched[rec.id] = None
        rec.seen = True
        self._mark("customers", rec)
        for key, value in row.customer.items():
            rec.set(key, value, fill=fill)
        if "name" in row.customer and rec.values["name"] == row.customer["name"]:
            rec.set("name_key", row.name_key)
            self.by_key[row.name_key] = rec.id
        return rec

    def _apply_contact(self, row: ImportRow, customer: Rec, rec: Rec | None) -> Rec | None:
        if row.contact is None and rec is None:
            return None
        counter = self.counters["contacts"]
        if rec is None:
            assert row.contact is not None
            new_id = row.contact_id if row.contact_id not in self.contacts else None
            values = row.contact  # as for a customer: the row's dict, not a copy
            values.update({"id": new_id or self.new_id(), "customer_id": customer.id,
                           "is_primary": False})
            rec = Rec(values, new=True)
            self.contacts[rec.id] = rec
            counter.created[rec.id] = None
            fill = False
        elif not rec.live:
            counter.skipped.add(row.line)
            return None
        else:
            fill = rec.seen
            if not rec.new:
                counter.matched[rec.id] = None
        made = rec.values is row.contact  # made just now, from the row's own values
        rec.seen = True
        self._mark("contacts", rec)
        for key, value in () if made else (row.contact or {}).items():
            # A stand-in name (the e-mail or phone) never renames a person already known.
            if key != "name" or row.contact_named or (rec.new and "name" not in rec.values):
                rec.set(key, value, fill=fill)
        if rec.new and rec.id not in self.people_of(customer.id):
            self._index_contact(rec)
        if row.is_primary:
            for other in self.people_of(customer.id):
                self._mark("contacts", self.contacts[other]).set("is_primary", other == rec.id)
        elif row.is_primary is False:
            rec.set("is_primary", False)
        self.primary_check.add(customer.id)
        return rec

    def _apply_plan(self, row: ImportRow, customer: Rec, contact: Rec | None,
                    rec: Rec | None) -> None:
        assert row.plan is not None
        counter = self.counters["plans"]
        if rec is None:
            new_id = row.plan_id if row.plan_id not in self.plans else None
            rec = Rec({"id": new_id or self.new_id(), "customer_id": customer.id,
                        "contact_id": None, "status": PlanStatus.PLANNED}, new=True)
            self.plans[rec.id] = rec
            counter.created[rec.id] = None
            fill = False
        elif not rec.live:
            counter.skipped.add(row.line)
            return
        else:
            fill = rec.seen
            if not rec.new:
                counter.matched[rec.id] = None
        rec.seen = True
        self._mark("plans", rec)
        for key, value in row.plan.items():
            rec.set(key, value, fill=fill)
        if contact is not None:
            rec.set("contact_id", contact.id)
        # A done plan has a done time and only a done plan has one (the table's CHECK).
        if rec.values["status"] is PlanStatus.DONE:
            if rec.values.get("done_at") is None:
                rec.set("done_at", rec.values["scheduled_at"])
        else:
            rec.set("done_at", None)
        self.plan_keys.setdefault(self._plan_key(rec.values), rec.id)

    # -- after every row -----------------------------------------------------------------------

    def settle_primaries(self) -> None:
        """Exactly one live primary contact per customer the import gave contacts to."""
        for customer_id in self.primary_check:
            mine = [self.contacts[c] for c in self.people_of(customer_id)
                    if self.contacts[c].live]
            if mine and not any(rec.values.get("is_primary") for rec in mine):
                self._mark("contacts", mine[0]).set("is_primary", True)
