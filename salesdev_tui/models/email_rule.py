"""The SQL of a contact's e-mail key, shared by the index that serves it and the reads.

The key is the address with its domain first, the domain in lower case:
"Jane.Wu@Acme.COM.tw" -> "acme.com.tw@Jane.Wu". One index on it (`ix_contact_email_key`,
schema 13, in place of the plain e-mail index) serves both of the duplicate check's e-mail
reads: the same address is the same key, and the addresses at a domain are one key range
(`domain_range`), where `email LIKE '%@domain'` read every contact's address.

Free of SQLAlchemy, like `models.revisit_rule`. SQLite uses an expression index only for a
query that repeats its expression (the same tree; a table prefix on the column is fine), so
`models.tables` and the reads all take it from `email_key`. An exact address is compared as
the key of the stored address against the key of the typed one, both computed by SQLite
(`email_key("?1")`), so the two sides cannot disagree; never add `email = ?` beside it:
SQLite then puts the parameter into the key's own expression and reads no index.

The domain is text after the first "@" here; `domain.text_rules.email_domain`, the one rule
of what a domain is, takes the text after the last one and also drops a final dot. Stored
addresses are normalised (`text_rules.normalize_email`: one "@", the domain in lower case
and without the dot), where the two agree (a test checks them on such addresses). `lower()`
all the same: a stored domain in another case still falls in its range, as it did for the
case-insensitive LIKE (SQLite's `lower()` folds ASCII letters only, as LIKE did).
"""

from __future__ import annotations

#: The character after "@" (0x40): the end of a domain's key range.
_AFTER_AT = "A"


def email_key(operand: str) -> str:
    """SQL: the e-mail key of `operand`, a column ("email", "contact.email") or a parameter
    ("?1", ":email_0"); NULL for NULL."""
    return (
        f"lower(substr({operand}, instr({operand}, '@') + 1))"
        f" || '@' || substr({operand}, 1, instr({operand}, '@') - 1)"
    )


#: The indexed expression (`ix_contact_email_key`).
EMAIL_KEY = email_key("email")


def domain_range(domain: str) -> tuple[str, str]:
    """The keys of the addresses at `domain` (lower case, as `email_domain` gives it) are
    the keys `low <= key < high`: the domain and "@", then anything (binary order)."""
    return domain + "@", domain + _AFTER_AT
