"""Keys that make duplicates findable: a company name reduced to what identifies it."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words that differ between two spellings of the same company. Longest first, so
# "股份有限公司" goes before "有限公司" and "co., ltd." before "co.".
_LEGAL_FORMS = sorted(
    [
        "股份有限公司",
        "有限公司",
        "有限責任公司",
        "企業社",
        "公司",
        "集團",
        "co., ltd.",
        "co.,ltd.",
        "co. ltd.",
        "co ltd",
        "company limited",
        "corporation",
        "incorporated",
        "limited",
        "company",
        "gmbh",
        "corp.",
        "corp",
        "inc.",
        "inc",
        "ltd.",
        "ltd",
        "llc",
        "co.",
        "co",
        "plc",
        "s.a.",
        "k.k.",
        "株式会社",
    ],
    key=len,
    reverse=True,
)
_WORD_FORMS = [f for f in _LEGAL_FORMS if f.isascii()]
_CJK_FORMS = [f for f in _LEGAL_FORMS if not f.isascii()]
_SEPARATORS = re.compile(r"[\s\W_]+", re.UNICODE)


def company_key(name: str) -> str:
    """A comparison key for a company name: case, width, punctuation and legal form removed.

    "Acme Trading Co., Ltd." and "ACME TRADING" give the same key; so do
    "台灣精密工業股份有限公司" and "台灣精密工業".
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    for form in _CJK_FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            break
    changed = True
    while changed:
        changed = False
        for form in _WORD_FORMS:
            if text.endswith(" " + form) or text.endswith("," + form):
                text = text[: -len(form)].rstrip(" ,")
                changed = True
                break
    return _SEPARATORS.sub("", text)
