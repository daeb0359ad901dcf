"""Keys that make duplicates findable: a company name reduced to what identifies it."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Stage

#: How alike two company keys must be (rapidfuzz's normalised Indel similarity, 0-100) to
#: count as the same company spelled differently ("lotusfoodtrading" / "lotusfoodstrading").
SIMILAR_SCORE = 85.0
#: The shorter of two keys must have at least this many characters to count as similar.
SIMILAR_MIN_CHARS = 4

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


def same_numbers(key: str, other: str) -> bool:
    """Whether two keys hold the same numbers: "Customer 1" and "Customer 10", "Studio 54"
    and "Studio 45" are different companies however alike the letters are."""
    return re.findall(r"\d+", key) == re.findall(r"\d+", other)


def similar_keys(key: str, others: Iterable[str], *, limit: int = 5) -> list[str]:
    """The keys among `others` that look like `key`: one extends the other ("lotusfood" and
    "lotusfoods"), or they differ by a letter or two (a fuzzy score of SIMILAR_SCORE or
    more), with the same numbers in both. Both keys need SIMILAR_MIN_CHARS characters; best
    match first."""
    if len(key) < SIMILAR_MIN_CHARS:
        return []
    candidates = [k for k in others
                  if k != key and len(k) >= SIMILAR_MIN_CHARS and same_numbers(key, k)]
    prefixed = [k for k in candidates if k.startswith(key) or key.startswith(k)]
    # Imported here: `company_key` is on the path of every store read, the fuzzy match only
    # on a save's duplicate check (issue 15.8).
    from rapidfuzz import fuzz, process

    scored = process.extract(key, candidates, scorer=fuzz.ratio, score_cutoff=SIMILAR_SCORE,
                             limit=limit)
    found = dict.fromkeys([*prefixed, *(match for match, _score, _index in scored)])
    return list(found)[:limit]


class MergeRefused(ValueError):
    """A merge that cannot be done; the message says why in plain words."""


# --- a lead that may be an existing customer (issue 14.14) ----------------------------------
#
# The repository finds the candidates (`store.leads`); whether saving asks about one is this
# rule, the same for the lead form, the quick line and `salesdev add`.


class DuplicateReason(StrEnum):
    """Why an existing customer may be the lead being typed, strongest first."""

    TAX_ID = "tax_id"  # a 統一編號 names one company: the strongest sign
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"
    SIMILAR_NAME = "similar_name"
    EMAIL_DOMAIN = "email_domain"


REASON_RANK = {reason: rank for rank, reason in enumerate(DuplicateReason)}


def reason_text(reason: DuplicateReason) -> str:
    """The plain words for a reason ("same e-mail")."""
    texts = {
        DuplicateReason.TAX_ID: _("same tax ID"),
        DuplicateReason.EMAIL: _("same e-mail"),
        DuplicateReason.PHONE: _("same phone"),
        DuplicateReason.NAME: _("same name"),
        DuplicateReason.SIMILAR_NAME: _("similar name"),
        DuplicateReason.EMAIL_DOMAIN: _("same e-mail domain"),
    }
    return texts[reason]


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing customer that may be the lead being typed."""

    customer_id: uuid.UUID
    customer_name: str
    stage: Stage
    reason: DuplicateReason
    reason_text: str
    #: The contact whose e-mail or phone matched (None for name matches).
    contact_name: str | None = None


#: Reasons that make saving a lead ask first (a shared e-mail domain only warns).
SAVE_ASKS = frozenset({DuplicateReason.TAX_ID, DuplicateReason.EMAIL, DuplicateReason.PHONE,
                       DuplicateReason.NAME, DuplicateReason.SIMILAR_NAME})


def asks_before_saving(name: str, match: DuplicateMatch) -> bool:
    """Whether saving a lead named `name` asks about `match` first: a strong reason, and
    for a similar name the same numbers ("Customer 1" is not "Customer 10")."""
    if match.reason not in SAVE_ASKS:
        return False
    return match.reason is not DuplicateReason.SIMILAR_NAME or same_numbers(
        company_key(name), company_key(match.customer_name))


# --- merging two customers (issue 14.14): the repository applies these -----------------------


def _rank(stage: Stage) -> int:
    """How far along a customer is: lost counts as least."""
    order = list(Stage)
    return -1 if stage is Stage.LOST else order.index(stage)


def same_customer_problem() -> str:
    return _("A customer cannot be merged with itself.")


def merge_direction_problem(keep: str, keep_stage: Stage, other: str,
                            other_stage: Stage) -> str | None:
    """The customer kept is the one further along (None: merging `other` into `keep` is
    the right way round)."""
    if _rank(other_stage) <= _rank(keep_stage):
        return None
    return _("{other} is further along ({other_stage}) than {keep} ({keep_stage}): "
             "keep {other} and merge {keep} into it.").format(
        other=other, other_stage=_(other_stage.value), keep=keep, keep_stage=_(keep_stage.value))


def not_merged_problem(name: str) -> str:
    """Undoing a merge of a customer that was deleted, not merged."""
    return _("{name} was deleted, not merged: restore it instead.").format(name=name)
