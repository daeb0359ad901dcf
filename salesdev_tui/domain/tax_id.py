"""A company's tax ID: Taiwan's 統一編號 checked by its checksum, other countries' kept as typed.

The rule (decided here, documented in docs/EXCHANGE.md):

- Width and separators are folded first (full-width digits, spaces, hyphens, dots), so
  "１２３４５６７８" and "1234-5678" read as the same number.
- Exactly 8 digits is a Taiwanese 統一編號 and must pass its checksum. A Taiwanese document
  with a wrong 統一編號 is refused by the buyer's accounting, so a typo is caught here
  rather than on an invoice; it is stored as the 8 digits.
- Anything else (a VAT number "DE123456789", a Japanese 法人番号 of 13 digits, a Chinese
  統一社會信用代碼 of 18 characters) is accepted as free text, kept as typed (trimmed, one
  line), because salesdev cannot know every country's rule. It must contain at least one
  digit: a tax ID without any is a word typed into the wrong field.

The checksum (財政部 rule): weights 1,2,1,2,1,2,4,1; each product's two digits are added
(5*2 = 10 counts 1+0 = 1); the sum must be divisible by 5 (since 2023 the ministry accepts 5
instead of 10 to issue more numbers; every older number, divisible by 10, still passes).
When the 7th digit is 7, its product 28 gives 2+8 = 10, which the rule lets count as 1 or as
0; the sum below counts it as 10 (≡ 0), so the number also passes when sum + 1 is divisible
by 5. "00000000" passes the arithmetic but is the placeholder CRMs use for "unknown", so it
is refused.
"""

from __future__ import annotations

import re
import unicodedata

from salesdev_tui.i18n import _

__all__ = ["TAX_ID_MAX", "is_taiwan_tax_id", "normalize_tax_id", "tax_id_problem"]

#: The column's limit (models/limits.py TAX_ID; a test keeps the two in step). Not imported:
#: the settings check the seller's tax ID with this rule and stay free of the models.
TAX_ID_MAX = 32

_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015\u30fb]+")


def _folded(raw: str) -> str:
    """Full-width folded, separators removed: the form the 8-digit test reads."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw).strip())


def is_taiwan_tax_id(digits: str) -> bool:
    """True when `digits` (exactly 8 ASCII digits) passes the 統一編號 checksum."""
    if not re.fullmatch(r"[0-9]{8}", digits, re.ASCII):
        return False
    total = 0
    for char, weight in zip(digits, _WEIGHTS, strict=True):
        product = int(char) * weight
        total += product // 10 + product % 10
    if total % 5 == 0:
        return True
    # The 7th digit 7: 28 -> 10 counted above as 1+0 = 1; it may also count as 0.
    return digits[6] == "7" and (total + 1) % 5 == 0


def tax_id_problem(raw: str) -> str | None:
    """Why `raw` is not a tax ID salesdev keeps (plain words, no field name), or None."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    folded = _folded(text)
    if re.fullmatch(r"[0-9]{8}", folded, re.ASCII):
        if folded == "00000000":
            return _("00000000 is a placeholder, not a tax ID; leave the field empty instead")
        if not is_taiwan_tax_id(folded):
            return _("{number} is not a valid Taiwanese tax ID (統一編號): its check digit "
                     "does not match; check each digit").format(number=folded)
        return None
    if "\n" in text or "\r" in text:
        return _("must be on one line")
    if len(text) > TAX_ID_MAX:
        return _("is too long: at most {limit} characters (this has {count})").format(
            limit=TAX_ID_MAX, count=len(text))
    if not any(c.isdigit() for c in text):
        return _("must contain digits (a Taiwanese tax ID has 8)")
    return None


def normalize_tax_id(raw: str) -> str | None:
    """The stored form: the 8 digits of a 統一編號, else the text as typed (NFKC, trimmed,
    inner spaces collapsed); None when blank. Call `tax_id_problem` first."""
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        return None
    folded = _folded(text)
    if re.fullmatch(r"[0-9]{8}", folded, re.ASCII):
        return folded
    return text
