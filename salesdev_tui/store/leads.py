"""Lead intake: possible duplicates of a lead being typed, and completions from used values.

Every duplicate lookup is an index lookup (e-mail key equality, normalised phone,
`name_key` equality and ranges), so checking while the rep types stays flat as the book
grows. The e-mail *domain* too, since schema 13: a range of the e-mail key's index (the
address domain first, `models.email_rule`; see `_same_domain`), where a LIKE read every
contact's address (the whole check 33 -> 1.9 ms at 100k customers, the domain 31 -> 0.35).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, func, literal_column, text
from sqlalchemy.sql.expression import ColumnClause
from sqlmodel import Session, col, select

from salesdev_tui.domain.dedupe import (
    REASON_RANK,
    SIMILAR_MIN_CHARS,
    DuplicateMatch,
    DuplicateReason,
    asks_before_saving,
    company_key,
    reason_text,
    similar_keys,
)
from salesdev_tui.domain.text_rules import email_domain, is_free_mail, normalize_email
from salesdev_tui.i18n import _
from salesdev_tui.models.email_rule import domain_range, email_key
from salesdev_tui.models.enums import Source, Stage
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.store.base import StoreBase

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import ContactInput, CustomerInput

#: Fuzzy name matches share this many first characters of their key (an index range), and
#: at most FUZZY_CANDIDATES keys of that range are scored.
FUZZY_LEAD_CHARS = 3
FUZZY_CANDIDATES = 500

#: Fields `completions` knows: the column, and the source whose details it lists (if any).
_COMPLETION_FIELDS: dict[str, Source | None] = {"industry": None, "source_detail": None}


class LeadStore(StoreBase):
    def duplicates_of_lead(
        self, customer: CustomerInput, contact: ContactInput | None, limit: int = 5
    ) -> list[DuplicateMatch]:
        """Live customers this checked lead may be, for the question before saving it: same
        e-mail, phone or company key, or a similar name (not merely the e-mail domain)."""
        matches = self.find_duplicates(
            name=customer.name,
            email=contact.email if contact else None,
            phone_normalized=contact.phone_normalized if contact else None,
            mobile_normalized=contact.mobile_normalized if contact else None,
            tax_id=customer.tax_id,
            limit=limit,
        )
        return [m for m in matches if asks_before_saving(customer.name, m)]

    def find_duplicates(
        self,
        *,
        name: str | None,
        email: str | None,
        phone_normalized: str | None,
        mobile_normalized: str | None = None,
        tax_id: str | None = None,
        limit: int = 5,
    ) -> list[DuplicateMatch]:
        """Live customers that may be this lead, strongest reason first, one entry each.

        Reasons: same tax ID (統一編號, as stored by `services.tax_id`), same e-mail, same
        normalised phone (the lead's phone or mobile against every contact's phone and
        mobile: reps swap the two), same company key (`company_key`),
        similar key (one a prefix of the other, the shorter at least 4 characters), same
        e-mail domain (free-mail domains are ignored).
        """
        found: dict[uuid.UUID, DuplicateMatch] = {}
        address = _normalized_email(email)
        key = company_key(name) if name and name.strip() else ""
        numbers = sorted({n for n in (phone_normalized, mobile_normalized) if n})
        with self.db.read() as session:
            if tax_id:
                self._by_name(session, found, DuplicateReason.TAX_ID,
                              col(Customer.tax_id) == tax_id, limit)
            if address:
                self._by_contact(session, found, DuplicateReason.EMAIL,
                                 _same_address(address), limit)
            if numbers:
                self._by_contact(
                    session, found, DuplicateReason.PHONE,
                    col(Contact.phone_normalized).in_(numbers)
                    | col(Contact.mobile_normalized).in_(numbers), limit,
                )
            if key:
                self._by_name(session, found, DuplicateReason.NAME,
                              col(Customer.name_key) == key, limit)
            if len(key) >= SIMILAR_MIN_CHARS:
                # Existing keys that extend this one: an index range on name_key.
                longer = (col(Customer.name_key) > key) & (
                    col(Customer.name_key) < key + "\U0010ffff"
                )
                self._by_name(session, found, DuplicateReason.SIMILAR_NAME, longer, limit)
                # Existing keys this one extends: equality on each of its prefixes.
                prefixes = [key[:n] for n in range(SIMILAR_MIN_CHARS, len(key))]
                if prefixes:
                    self._by_name(session, found, DuplicateReason.SIMILAR_NAME,
                                  col(Customer.name_key).in_(prefixes), limit)
                self._by_fuzzy_name(session, found, key, limit)
            domain = _company_domain(address)
            if domain:
                self._by_contact(
                    session, found, DuplicateReason.EMAIL_DOMAIN, _same_domain(domain), limit
                )
        ranked = sorted(found.values(), key=lambda m: (REASON_RANK[m.reason], m.customer_name))
        return ranked[:limit]

    def _by_contact(
        self,
        session: Session,
        found: dict[uuid.UUID, DuplicateMatch],
        reason: DuplicateReason,
        condition: Any,
        limit: int,
    ) -> None:
        stmt = (
            select(Customer.id, Customer.name, Customer.stage, Contact.name)
            .join(Customer, col(Customer.id) == col(Contact.customer_id))
            .where(condition)
            .where(col(Contact.deleted_at).is_(None), col(Customer.deleted_at).is_(None))
            .limit(limit * 2)
        )
        _collect(found, reason, session.exec(stmt).all())

    def _by_name(
        self,
        session: Session,
        found: dict[uuid.UUID, DuplicateMatch],
        reason: DuplicateReason,
        condition: Any,
        limit: int,
    ) -> None:
        stmt = (
            select(Customer.id, Customer.name, Customer.stage)
            .where(condition)
            .where(col(Customer.deleted_at).is_(None))
            .order_by(col(Customer.name_key))
            .limit(limit)
        )
        _collect(found, reason, ((cid, n, s, None) for cid, n, s in session.exec(stmt).all()))

    def _by_fuzzy_name(
        self, session: Session, found: dict[uuid.UUID, DuplicateMatch], key: str, limit: int
    ) -> None:
        """Keys that start like this one and differ by a letter or two ("lotusfoodtrading" /
        "lotusfoodstrading"): an index range on the first characters, scored by rapidfuzz."""
        lead = key[:FUZZY_LEAD_CHARS]
        live = col(Customer.deleted_at).is_(None)
        # The neighbours of the key in sort order on both sides, within the shared lead.
        after = (
            select(Customer.name_key)
            .where(col(Customer.name_key) >= key, col(Customer.name_key) < lead + "\U0010ffff")
            .where(live).order_by(col(Customer.name_key)).limit(FUZZY_CANDIDATES // 2)
        )
        before = (
            select(Customer.name_key)
            .where(col(Customer.name_key) >= lead, col(Customer.name_key) < key)
            .where(live).order_by(col(Customer.name_key).desc()).limit(FUZZY_CANDIDATES // 2)
        )
        candidates = [str(k) for stmt in (after, before) for k in session.exec(stmt).all()]
        keys = similar_keys(key, candidates, limit=limit)
        if keys:
            self._by_name(session, found, DuplicateReason.SIMILAR_NAME,
                          col(Customer.name_key).in_(keys), limit)

    def completions(self, field: str, prefix: str = "", limit: int = 50) -> list[str]:
        """Distinct values already used for `field`, most used first (then alphabetical).

        `field` is "industry", "source_detail" (every source), or a source's value
        ("trade_show", "referral", ...) for the details of that source: the trade shows, the
        referrers. `prefix` filters case-insensitively (ASCII). Deleted customers are ignored.
        """
        source: Source | None
        if field in _COMPLETION_FIELDS:
            column = col(getattr(Customer, field))
            source = _COMPLETION_FIELDS[field]
        elif field in Source._value2member_map_:
            column, source = col(Customer.source_detail), Source(field)
        else:
            raise ValueError(_("No completions for '{field}'.").format(field=field))
        uses = func.count().label("uses")
        stmt = (
            select(column, uses)
            .where(column.is_not(None), col(Customer.deleted_at).is_(None))
            .group_by(column)
            .order_by(uses.desc(), column)
            .limit(limit)
        )
        if source is not None:
            stmt = stmt.where(col(Customer.source) == source)
        if prefix:
            stmt = stmt.where(column.like(_escape_like(prefix) + "%", escape="\\"))
        with self.db.read() as session:
            return [str(value) for value, _count in session.exec(stmt).all()]


def _same_address(address: str) -> Any:
    """Contacts whose e-mail is `address` (normalised), or the same in lower case: a lookup
    of ix_contact_email_key, the key of each computed by SQLite as the index's is (which
    also finds a stored domain in another case)."""
    variants = {f"email_{n}": v for n, v in enumerate(sorted({address, address.lower()}))}
    keys = ", ".join(f"({email_key(f':{name}')})" for name in variants)
    return text(f"({email_key('contact.email')}) IN ({keys})").bindparams(**variants)


def _same_domain(domain: str) -> Any:
    """Contacts whose e-mail is at `domain` (lower case, from `email_domain`): a range of
    ix_contact_email_key, whose keys start with the domain (any case stored)."""
    low, high = domain_range(domain)
    key: ColumnClause[str] = literal_column(f"({email_key('contact.email')})", String)
    return (key >= low) & (key < high)


def _collect(
    found: dict[uuid.UUID, DuplicateMatch],
    reason: DuplicateReason,
    rows: Iterable[tuple[uuid.UUID, str, str, str | None]],
) -> None:
    for customer_id, customer_name, stage, contact_name in rows:
        if customer_id in found:  # an earlier, stronger reason already names it
            continue
        found[customer_id] = DuplicateMatch(
            customer_id=customer_id,
            customer_name=customer_name,
            stage=Stage(stage),
            reason=reason,
            reason_text=reason_text(reason),
            contact_name=contact_name,
        )


def _normalized_email(email: str | None) -> str | None:
    if not email or not email.strip():
        return None
    try:
        return normalize_email(email)
    except ValueError:
        return None


def _company_domain(address: str | None) -> str | None:
    """The domain of `address` when it can say which company this is (not free mail)."""
    if not address:
        return None
    try:
        domain = email_domain(address)
    except ValueError:
        return None
    return None if not domain or is_free_mail(domain) else domain


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
