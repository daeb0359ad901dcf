"""Field length limits, written once: input models validate them, CHECKs mirror them."""

from __future__ import annotations

#: Names: a company, a person, a competitor, a product, a trade show.
NAME = 200
#: Short text: an industry, a role, a region, a channel, a rating source.
SHORT = 120
#: A phone number as typed.
PHONE = 40
#: An e-mail address (RFC 5321 path limit).
EMAIL = 254
#: Free text: notes, agendas, outcomes, clauses, minutes.
TEXT = 20_000
#: A contract number or a proposal title.
CODE = 80
#: A reason for a stage change, a lost reason, an override.
REASON = 1_000
#: A company tax ID (Taiwan's 統一編號 is 8 digits; VAT numbers elsewhere run to about 15).
TAX_ID = 32
