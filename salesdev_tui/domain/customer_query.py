"""What a rep types into the customer search box, read as free text plus filters. Pure.

`parse_customer_query("acme st:prop pot:A sort:idle")` returns a `CustomerQuery`; anything
it cannot read becomes a plain-words entry in `problems` (shown under the box), never an
exception, so search-as-you-type keeps working while a filter is half typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from salesdev_tui.domain.source_words import SOURCE_ALIASES
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import (
    OPEN_STAGES,
    STAGE_ORDER,
    CompanySize,
    Potential,
    Source,
    Stage,
)

__all__ = [
    "MAX_SEARCH_CHARS",
    "QUERY_HELP",
    "cap_search_text",
    "CustomerQuery",
    "SortKey",
    "parse_customer_query",
]


class SortKey(StrEnum):
    """The orders of the customer list."""

    UPDATED = "updated"
    """Most recently changed first (the default)."""
    NAME = "name"
    """Alphabetical, case-insensitive."""
    NEXT = "next"
    """Soonest next planned contact first; customers with nothing planned last, by name."""
    IDLE = "idle"
    """Longest without activity first."""


#: The grammar, for the help screen and the box's tooltip (through `_()` when shown).
QUERY_HELP = """\
Type words to find customers whose name, contacts, e-mails, phones, notes, industry or
source detail contain them (2+ characters match anywhere, in any script; 1 character matches
the start of a name or a phone number). Add filters, in any order:

  stage:proposal   st:prop      stage (any unique prefix); stage:open = not won or lost
  source:show      src:ref      source: trade_show (show), online (web), referral,
                                research, other
  industry:manu    ind:manu     industry contains the text
  size:large                    micro, small, medium, large, enterprise (unique prefix)
  pot:A            potential:AB cooperation potential A, B or C (several letters = any)
  idle:30                       no activity for at least 30 days
  sort:name                     name, updated (default), next (next contact), idle

Several values: stage:prop,neg. Values with spaces: industry:"food service".
Keys and values ignore case, and any unique start of them will do (sta:neg).
A search reads at most 200 characters."""

#: The longest search read (box, palette, CLI): longer text is cut here, with a message.
#: A name, a phone and a few filters fit; 10,000 pasted characters took 15 s to settle.
MAX_SEARCH_CHARS = 200


def cap_search_text(typed: str) -> tuple[str, bool]:
    """`typed` cut to MAX_SEARCH_CHARS, and whether it was cut."""
    if len(typed) <= MAX_SEARCH_CHARS:
        return typed, False
    return typed[:MAX_SEARCH_CHARS], True


def too_long_message() -> str:
    return _("Search reads the first {count} characters; the rest is ignored.").format(
        count=MAX_SEARCH_CHARS
    )

_FILTER_KEYS: dict[str, str] = {
    "stage": "stage",
    "st": "stage",
    "source": "source",
    "src": "source",
    "industry": "industry",
    "ind": "industry",
    "size": "size",
    "potential": "potential",
    "pot": "potential",
    "idle": "idle",
    "sort": "sort",
    "order": "sort",
}


# key:value, where the value may be "quoted with spaces" (an unclosed quote runs to the end,
# as it does while the rep is still typing). Anything else is a word.
# Keys are ASCII words, so "東京:本社" or "10:30" stay text.
_TOKEN = re.compile(
    r'(?:(?P<key>[A-Za-z][A-Za-z_]*):(?P<value>"[^"]*"?|\S*))|(?P<word>"[^"]*"?|\S+)'
)

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class CustomerQuery:
    """A parsed search: free text, filters (empty = any) and the sort order."""

    text: str = ""
    """The free text, words separated by single spaces."""
    stages: frozenset[Stage] = frozenset()
    sources: frozenset[Source] = frozenset()
    industry: str | None = None
    """Industry contains this text (case-insensitive for Latin letters)."""
    sizes: frozenset[CompanySize] = frozenset()
    potentials: frozenset[Potential] = frozenset()
    idle_days: int | None = None
    """No activity for at least this many days."""
    sort: SortKey = SortKey.UPDATED
    problems: tuple[str, ...] = ()
    """What could not be read, in plain words; the rest of the query still applies."""
    cut: bool = False
    """The typed text was longer than MAX_SEARCH_CHARS and was cut (a problem says so)."""

    @property
    def has_filters(self) -> bool:
        return bool(
            self.stages
            or self.sources
            or self.industry
            or self.sizes
            or self.potentials
            or self.idle_days is not None
        )


def _canonical_key(key: str) -> str | list[str]:
    """The filter a key names (an alias or a unique start of one), else the candidates."""
    folded = key.casefold()
    if folded in _FILTER_KEYS:
        return _FILTER_KEYS[folded]
    found = sorted({name for alias, name in _FILTER_KEYS.items() if alias.startswith(folded)})
    return found[0] if len(found) == 1 else found


def _unquote(value: str) -> str:
    if value.startswith('"'):
        value = value[1:]
        if value.endswith('"'):
            value = value[:-1]
    return value.strip()


def _by_prefix(enum_cls: type[E], typed: str, choices: Iterable[E] | None = None) -> list[E]:
    """Members whose value starts with `typed` (an exact value wins over longer ones)."""
    members = list(choices if choices is not None else enum_cls)
    folded = typed.casefold()
    for member in members:
        if member.value.casefold() == folded:
            return [member]
    return [m for m in members if m.value.casefold().startswith(folded)]


def _names(members: Iterable[StrEnum]) -> str:
    return ", ".join(m.value for m in members)


class _Parser:
    def __init__(self) -> None:
        self.words: list[str] = []
        self.stages: set[Stage] = set()
        self.sources: set[Source] = set()
        self.industry: str | None = None
        self.sizes: set[CompanySize] = set()
        self.potentials: set[Potential] = set()
        self.idle_days: int | None = None
        self.sort = SortKey.UPDATED
        self.problems: list[str] = []
        self.cut = False

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def filter(self, key: str, raw_value: str) -> None:
        canonical = _canonical_key(key)
        if isinstance(canonical, list):
            if canonical:
                self.problem(
                    _("'{key}:' could be {choices}").format(key=key, choices=", ".join(canonical))
                )
            else:
                self.problem(
                    _("Unknown filter '{key}:' (try stage, source, industry, size, pot, idle, "
                      "sort)").format(key=key)
                )
            return
        value = _unquote(raw_value)
        if not value:
            self.problem(_("'{key}:' needs a value").format(key=key) + self._choices(canonical))
            return
        if canonical == "industry":
            self.industry = value
        elif canonical == "idle":
            self.idle(key, value)
        else:
            for part in filter(None, (p.strip() for p in value.split(","))):
                self.enum_value(canonical, key, part)

    @staticmethod
    def _choices(canonical: str) -> str:
        choices = {
            "stage": _names(STAGE_ORDER) + ", lost, open",
            "source": _names(Source),
            "size": _names(CompanySize),
            "potential": "A, B, C",
            "sort": _names(SortKey),
            "idle": _("a number of days"),
            "industry": _("some text"),
        }[canonical]
        return _(" ({choices})").format(choices=choices)

    def idle(self, key: str, value: str) -> None:
        digits = value.casefold().removesuffix("d")
        if not digits.isascii() or not digits.isdigit() or len(digits) > 5:
            self.problem(
                _("'{key}:{value}' is not a number of days").format(key=key, value=value)
            )
            return
        self.idle_days = int(digits)

    def enum_value(self, canonical: str, key: str, part: str) -> None:
        found: list[StrEnum]
        if canonical == "stage":
            if part.casefold() == "open":
                self.stages.update(OPEN_STAGES)
                return
            found = list(_by_prefix(Stage, part))
        elif canonical == "source":
            alias = SOURCE_ALIASES.get(part.casefold().replace("-", "_"))
            found = [alias] if alias is not None else list(_by_prefix(Source, part))
        elif canonical == "size":
            found = list(_by_prefix(CompanySize, part))
        elif canonical == "potential":
            letters = part.upper()
            if letters and all(ch in "ABC" for ch in letters):
                self.potentials.update(Potential(ch) for ch in letters)
                return
            found = []
        else:
            found = list(_by_prefix(SortKey, part))
        if len(found) != 1:
            if found:
                message = _("'{key}:{value}' could be {choices}").format(
                    key=key, value=part, choices=_names(found)
                )
            else:
                message = _("'{key}:{value}' is not known").format(
                    key=key, value=part
                ) + self._choices(canonical)
            self.problem(message)
            return
        member = found[0]
        if isinstance(member, Stage):
            self.stages.add(member)
        elif isinstance(member, Source):
            self.sources.add(member)
        elif isinstance(member, CompanySize):
            self.sizes.add(member)
        elif isinstance(member, SortKey):
            self.sort = member

    def result(self) -> CustomerQuery:
        return CustomerQuery(
            text=" ".join(self.words),
            stages=frozenset(self.stages),
            sources=frozenset(self.sources),
            industry=self.industry,
            sizes=frozenset(self.sizes),
            potentials=frozenset(self.potentials),
            idle_days=self.idle_days,
            sort=self.sort,
            problems=tuple(self.problems),
            cut=self.cut,
        )


def parse_customer_query(typed: str) -> CustomerQuery:
    """Read the search box: words and `key:value` filters (see QUERY_HELP)."""
    parser = _Parser()
    typed, parser.cut = cap_search_text(typed)
    if parser.cut:
        parser.problem(too_long_message())
    for match in _TOKEN.finditer(typed):
        if match.group("key") is not None:
            parser.filter(match.group("key"), match.group("value"))
        else:
            word = _unquote(match.group("word"))
            parser.words.extend(word.split())
    return parser.result()
