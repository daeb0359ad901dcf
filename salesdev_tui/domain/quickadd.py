"""The quick line: one typed line becomes a new lead.

A rep types, for example::

    Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #trade_show #manufacturing !A

and `parse_quick_line` returns a `QuickLead` with the company, contact, e-mail, phone,
source, industry and potential filled in. The function is pure and never raises: whatever it
cannot understand becomes a `ParseProblem` (or stays in the company/contact name).

Grammar
-------
::

    COMPANY [; CONTACT] [E-MAIL] [PHONE] [#SOURCE[:DETAIL]] [#INDUSTRY] [!POTENTIAL] [// NOTES]

Elements are separated by spaces (or `;`); after the company their order is free. An
element glued to an ASCII word is not one (`C#`, `Yahoo!`, `http://`), but CJK text may
touch it (`王小明0912345678＃半導體！A`). Each element counts once: a second, different
e-mail, phone, source, industry or potential is reported as a problem and the first kept.

* **Company** (required) comes first. It runs to the first `;`. Without a `;` it runs to
  the first element (e-mail, phone, tag, potential, notes), and free words after that
  element are the contact. Digits inside a company name ("7-Eleven", "Studio 54") stay in
  the name unless they look like a phone (6+ digits, or a leading `+`).
* **Contact** is the free text after the first `;` (any script: `王小明`). More free text
  after a further `;` is reported, not guessed at. `;` may also separate the other elements
  (`Acme; Jane Wu; jane@acme.tw; 0912 345 678`).
* **E-mail**: `<anything>` (checked with email-validator) or a bare ASCII address such as
  `jane@acme.tw` (use `<...>` for non-ASCII addresses). Trailing dots are dropped.
* **Phone**: a run of digits, spaces, `-`, `.` and parentheses, optionally after a `+`,
  with at least 6 digits (at most 15). Kept as typed, with full-width digits folded to ASCII
  and runs of spaces collapsed. A run starting with `+`, or one with 3-5 digits in the
  contact part, is reported as too short; shorter digit runs are ordinary words. An
  extension may follow, as the full form takes it: `ext 123`, `x123`, `#123`, `分機 123`.
* **Tags**: `#word` where the word starts with a letter (`#5` is ordinary text). A word
  naming a source channel sets the source: `trade_show` (aliases `show`, `tradeshow`,
  `expo`, `fair`, `exhibition`), `online` (`web`, `website`, `internet`), `referral`
  (`ref`, `referred`), `research` (`cold`), `other`, and the policy's Chinese words for
  them (展會, 網絡, 推薦, 調研, 其他 and more: `domain.source_words`). Case, `-` and `_`
  do not matter there.
  Any other tag is the industry, with `_` read as a space (`#food_service`, `#半導體`).
* **Source detail** (which show, who referred): `#show:Computex_2026` (`_` read as a
  space) or quoted, `#referral:"Mr Lin"` (also `“...”` or `「...」`). Only source tags
  take a detail.
* **Potential**: `!A`, `!B` or `!C` (any case).
* **Notes**: `//` starting a word; everything after it (spaces collapsed), even `#`, `!`,
  `;` and `<...>`.

Full-width forms typed with a Chinese IME work as their ASCII twins: `；` `＃` `！` `＜＞`
`：` `＋`, full-width digits and letters, and the ideographic space. Names, details and
notes keep the characters as typed (NFC-normalised); e-mail, phone, tag words and potential
are read from the folded (ASCII) form. Control characters become spaces.
"""
# Over 400 lines on purpose: the quick line's grammar: every token kind and its carry-over in
# one parser.

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from salesdev_tui.domain.source_words import SOURCE_ALIASES
from salesdev_tui.domain.text_rules import shorten
from salesdev_tui.domain.validation import LeadDraft, LeadInvalid, check_lead
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import Potential, Source

# Translated when this module is imported; a screen may call `_()` on them again once a
# catalogue is active (the catalogue is keyed by the English text).
QUICK_LINE_HELP: str = N_(
    "Company; Contact  e-mail  phone  #source[:detail]  #industry  !A/!B/!C  // notes\n"
    "Company first (required), contact after ';'; the rest in any order, space-separated.\n"
    "Sources: #show #online #referral #research #other (also #expo #web #ref #cold).\n"
    'Detail: #show:Computex_2026 or #referral:"Mr Lin". Any other #tag is the industry.\n'
    "Full-width ；＃！ work too. Example: 大同公司；王小明 0912-345-678 ＃show ！A"
)

QUICK_LINE_PLACEHOLDER: str = N_(
    "Acme Trading; Jane Wu <jane@acme.tw> 0912 345 678 #show #retail !A // met at booth"
)

MIN_PHONE_DIGITS = 6
MAX_PHONE_DIGITS = 15  # E.164


@dataclass(frozen=True)
class ParseProblem:
    """Something in the line that could not be used; `field` is a `QuickLead` field name."""

    field: str
    message: str


@dataclass(frozen=True)
class QuickLead:
    """What a quick line says about a new lead. Fields hold only usable values."""

    company: str
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    source: Source | None = None
    source_detail: str | None = None
    industry: str | None = None
    potential: Potential | None = None
    notes: str | None = None
    problems: tuple[ParseProblem, ...] = ()


def parse_quick_line(text: str) -> QuickLead:
    """Read one quick line (see the module docstring). Never raises."""
    return _Parser(text).parse()


def check_quick_line(text: str, *, region: str) -> LeadDraft:
    """Read a quick line and check it by the lead rule every face uses (`check_lead`).

    Raises `LeadInvalid`: what the line could not use, else what the rule refuses.
    """
    lead = parse_quick_line(text)
    if lead.problems:
        problems: dict[str, str] = {}
        for problem in lead.problems:
            seen = problems.get(problem.field)
            problems[problem.field] = f"{seen}\n{problem.message}" if seen else problem.message
        raise LeadInvalid(problems)
    customer = {
        "name": lead.company, "source": lead.source, "source_detail": lead.source_detail,
        "industry": lead.industry, "potential": lead.potential, "notes": lead.notes,
    }
    contact = {"name": lead.contact_name, "phone": lead.phone, "email": lead.email}
    return check_lead(customer, contact, region=region)


# --- implementation -------------------------------------------------------------------------

# One character for one character, so positions in the folded text are positions in the text.
_FOLD: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FOLD.update(
    {
        0x3000: " ",  # ideographic space
        0x200B: " ",  # zero-width space
        0xFEFF: " ",  # BOM / zero-width no-break space
        0x201C: '"',  # “
        0x201D: '"',  # ”
        0x300C: '"',  # 「
        0x300D: '"',  # 」
        0x300E: '"',  # 『
        0x300F: '"',  # 』
        0x3008: "<",  # 〈
        0x3009: ">",  # 〉
        0xFE54: ";",  # small semicolon
        0xFE5F: "#",  # small number sign
        0xFE57: "!",  # small exclamation mark
    }
)

_JOINERS = "_.-+@/:&'=%#"

_TAG = re.compile(
    r'#(?P<name>[^\W\d_][^\s;:"#!<>,()\[\]{}、。]*)'
    r'(?::(?:"(?P<quoted>[^"]*)"|"(?P<unclosed>[^"]*?)(?=\s//|$)'
    r'|(?P<plain>[^\s;"!,()\[\]{}、。]*)))?'
)
_ANGLE_EMAIL = re.compile(r"<(?P<addr>[^<>;]*)>")
_BARE_EMAIL = re.compile(
    r"<?(?P<addr>[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9._-]{1,253})>?"
)
_POTENTIAL = re.compile(r"!(?P<value>\w+)")
_PHONE = re.compile(r"(?:\+ ?)?(?:\( ?)?[0-9][0-9().\- ]*+")
#: An extension after a phone number, as the full form takes it (text_rules.phone_problem):
#: "ext 123", "ext. 123", "x123", "#123", "分機 123", "轉123". Matched on the folded text.
_EXTENSION = re.compile(
    r" *(?:(?:ext\.?|extension|x)(?![A-Za-z])|#|分機|轉) *(?P<ext>[0-9]{1,8})(?![0-9A-Za-z_@])",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    out: list[str] = []
    for ch in text:
        mapped = _FOLD.get(ord(ch))
        if mapped is not None:
            out.append(mapped)
        elif ch.isspace() or unicodedata.category(ch) == "Cc":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _clean(text: str) -> str:
    """Collapse whitespace and control characters; trim stray separators at the edges."""
    text = "".join(" " if ch.isspace() or unicodedata.category(ch) == "Cc" else ch for ch in text)
    text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split()).strip(" ,，、")


def _attached(ch: str) -> bool:
    """Does `ch` glue a digit run to a word ("2nd", "0912abc", "123@acme.tw")?"""
    return ch.isascii() and (ch.isalnum() or ch in "_@")


def _snip(text: str, limit: int = 40) -> str:
    return shorten(text, limit)  # in cells, never half a wide character


def _is_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except (EmailNotValidError, ValueError, UnicodeError):
        return False
    return True


@dataclass(frozen=True)
class _Piece:
    kind: str  # "text", "sep", "elem" or "short" (a 3-5 digit run, a phone or a word)
    start: int = 0
    end: int = 0


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self.folded = _fold(self.text)
        self.pieces: list[_Piece] = []
        self.problems: list[ParseProblem] = []
        self.email: str | None = None
        self.phone: str | None = None
        self.source: Source | None = None
        self.source_tag = ""
        self.source_detail: str | None = None
        self.industry: str | None = None
        self.potential: Potential | None = None
        self.notes: str | None = None

    def problem(self, field: str, message: str) -> None:
        self.problems.append(ParseProblem(field, message))

    def at_boundary(self, i: int, *, after_digits: bool = False) -> bool:
        """Can an element start at `i`? Not inside an ASCII word ("C#", "Yahoo!", "a.b@c").

        Tags and the potential may follow digits directly (a phone typed without a space).
        """
        if i == 0:
            return True
        prev = self.folded[i - 1]
        if after_digits and prev.isdigit():
            return True
        return not (prev.isascii() and (prev.isalnum() or prev in _JOINERS))

    # --- scanning ---

    def parse(self) -> QuickLead:
        folded, n = self.folded, len(self.folded)
        i = text_start = 0
        while i < n:
            end = self.element_at(i)
            if end is None:
                if folded[i] == ";":
                    self.add_text(text_start, i)
                    self.pieces.append(_Piece("sep"))
                    text_start = i + 1
                i += 1
                continue
            if isinstance(end, _Piece):  # a piece that is not (yet) an element
                self.add_text(text_start, end.start)
                self.pieces.append(end)
                i = text_start = end.end
                continue
            self.add_text(text_start, i)
            self.pieces.append(_Piece("elem"))
            i = text_start = end
        self.add_text(text_start, n)
        return self.assemble()

    def add_text(self, start: int, end: int) -> None:
        if end > start:
            self.pieces.append(_Piece("text", start, end))

    def element_at(self, i: int) -> int | _Piece | None:
        """Read the element starting at `i`; return where it ends, or None if there is none."""
        folded = self.folded
        ch = folded[i]
        boundary = self.at_boundary(i)
        if ch == "<" and (m := _ANGLE_EMAIL.match(folded, i)):
            self.take_email(m.group("addr").strip(), angled=True)
            return m.end()
        if ch in "#!" and self.at_boundary(i, after_digits=True):
            if ch == "#" and (m := _TAG.match(folded, i)):
                self.take_tag(m)
                return m.end()
            if ch == "!" and (m := _POTENTIAL.match(folded, i)):
                self.take_potential(m.group("value"))
                return m.end()
        if not boundary:
            return None
        if folded.startswith("//", i):
            self.notes = _clean(self.text[i + 2 :]) or None
            return len(folded)
        if m := _BARE_EMAIL.match(folded, i):
            self.take_email(m.group("addr").rstrip("."), angled=False)
            return m.end()
        if m := _PHONE.match(folded, i):
            return self.take_phone(i, m.end())
        return None

    # --- elements ---

    def take_email(self, address: str, *, angled: bool) -> None:
        if not address:
            self.problem("email", _("The e-mail in <> is empty."))
        elif not _is_email(address):
            shown = f"<{address}>" if angled else address
            self.problem(
                "email", _("“{text}” is not a valid e-mail address.").format(text=_snip(shown))
            )
        elif self.email is None:
            self.email = address
        elif address != self.email:
            self.problem(
                "email",
                _("Two e-mail addresses: kept {kept}, ignored {ignored}.").format(
                    kept=_snip(self.email), ignored=_snip(address)
                ),
            )

    def take_tag(self, m: re.Match[str]) -> None:
        word = m.group("name")
        key = word.lower().replace("-", "_")
        source = SOURCE_ALIASES.get(key) or SOURCE_ALIASES.get(key.replace("_", ""))
        detail: str | None = None
        detail_raw = ""
        quoted = "quoted" if m.group("quoted") is not None else "unclosed"
        if m.group(quoted) is not None:
            detail_raw = self.text[m.start(quoted) : m.end(quoted)]
            detail = _clean(detail_raw) or None
        elif m.group("plain") is not None:
            detail_raw = self.text[m.start("plain") : m.end("plain")]
            detail = _clean(detail_raw.replace("_", " ").replace("＿", " ")) or None
        if source is None:
            self.take_industry(m.start("name"), m.end("name"), word, detail_raw)
        else:
            self.take_source(source, word, detail)

    def take_source(self, source: Source, word: str, detail: str | None) -> None:
        if self.source is None:
            self.source, self.source_tag, self.source_detail = source, word, detail
        elif source == self.source and detail in (None, self.source_detail):
            pass
        elif source == self.source and self.source_detail is None:
            self.source_detail = detail
        else:
            self.problem(
                "source",
                _("Two sources: kept #{kept}, ignored #{ignored}.").format(
                    kept=_snip(self.source_tag), ignored=_snip(word)
                ),
            )

    def take_industry(self, start: int, end: int, word: str, detail_raw: str) -> None:
        industry = _clean(self.text[start:end].replace("_", " ").replace("＿", " "))
        if detail_raw.strip():
            self.problem(
                "industry",
                _("Only a source tag takes a detail; ignored “{detail}” after #{tag}.").format(
                    detail=_snip(_clean(detail_raw)), tag=_snip(word)
                ),
            )
        if not industry:
            return
        if self.industry is None:
            self.industry = industry
        elif industry.casefold() != self.industry.casefold():
            self.problem(
                "industry",
                _("Two industries: kept “{kept}”, ignored #{ignored}.").format(
                    kept=_snip(self.industry), ignored=_snip(word)
                ),
            )

    def take_potential(self, value: str) -> None:
        letter = value.upper()
        if letter not in Potential.__members__:
            self.problem(
                "potential",
                _("Unknown potential “!{value}”; use !A, !B or !C.").format(value=_snip(value)),
            )
            return
        potential = Potential(letter)
        if self.potential is None:
            self.potential = potential
        elif potential != self.potential:
            self.problem(
                "potential",
                _("Two potentials: kept !{kept}, ignored !{ignored}.").format(
                    kept=self.potential.value, ignored=potential.value
                ),
            )

    def take_phone(self, start: int, end: int) -> int | _Piece | None:
        folded = self.folded
        while True:
            while end > start and not folded[end - 1].isdigit():
                end -= 1
            if end == start:
                return None
            if not (end < len(folded) and (_attached(folded[end]) or self.in_email(end))):
                break
            # The last group runs into a word ("2nd", "0912abc"): the run ends before it.
            cut = folded.rfind(" ", start, end)
            if cut <= start:
                return _Piece("text", start, end)
            end = cut
        span = folded[start:end]
        if span.count("(") > span.count(")") and folded.startswith(")", end):
            end += 1
            span += ")"
        digits = sum(ch.isdigit() for ch in span)
        if span.startswith("+") or digits >= MIN_PHONE_DIGITS:
            phone = " ".join(span.split())
            if extension := _EXTENSION.match(folded, end):
                # "分機 123" belongs to the phone, not to the contact's name.
                phone += " " + " ".join(folded[extension.start() : extension.end()].split())
                end = extension.end()
            self.check_phone(phone, digits)
            return end
        if digits >= 3:
            return _Piece("short", start, end)
        return _Piece("text", start, end)

    def in_email(self, end: int) -> bool:
        """Whether the word the run ends in is an e-mail address ("0912 345 0.a@b.tw")."""
        folded = self.folded
        word_start = folded.rfind(" ", 0, end) + 1
        match = re.search(r"\s", folded[end:])
        word_end = end + match.start() if match else len(folded)
        return "@" in folded[word_start:word_end]

    def check_phone(self, phone: str, digits: int) -> None:
        if digits < MIN_PHONE_DIGITS:
            self.phone_too_short(phone, digits)
        elif digits > MAX_PHONE_DIGITS:
            self.problem(
                "phone",
                _("“{phone}” has {digits} digits; a phone number has at most {limit}.").format(
                    phone=_snip(phone), digits=digits, limit=MAX_PHONE_DIGITS
                ),
            )
        elif self.phone is None:
            self.phone = phone
        elif phone != self.phone:
            self.problem(
                "phone",
                _("Two phone numbers: kept {kept}, ignored {ignored}.").format(
                    kept=self.phone, ignored=phone
                ),
            )

    def phone_too_short(self, phone: str, digits: int) -> None:
        self.problem(
            "phone",
            _(
                "“{phone}” has only {digits} digits; a phone number needs at least {minimum}."
            ).format(phone=_snip(phone), digits=digits, minimum=MIN_PHONE_DIGITS),
        )

    # --- company and contact ---

    def assemble(self) -> QuickLead:
        pieces = self.pieces
        groups: list[list[_Piece]]
        if any(p.kind == "sep" for p in pieces):
            groups = [[]]
            for piece in pieces:
                if piece.kind == "sep":
                    groups.append([])
                else:
                    groups[-1].append(piece)
        else:
            first = next((k for k, p in enumerate(pieces) if p.kind == "elem"), len(pieces))
            groups = [pieces[:first], pieces[first:]]
        company = self.free_text(groups[0], in_company=True)
        contacts = [c for c in (self.free_text(g, in_company=False) for g in groups[1:]) if c]
        for extra in contacts[1:]:
            self.problem(
                "contact_name",
                _("Extra text “{text}” was not understood; notes go after //.").format(
                    text=_snip(extra)
                ),
            )
        problems = self.problems
        if not company:
            problems.insert(
                0, ParseProblem("company", _("The company name is missing; type it first."))
            )
        return QuickLead(
            company=company,
            contact_name=contacts[0] if contacts else None,
            email=self.email,
            phone=self.phone,
            source=self.source,
            source_detail=self.source_detail,
            industry=self.industry,
            potential=self.potential,
            notes=self.notes,
            problems=tuple(problems),
        )

    def free_text(self, pieces: list[_Piece], *, in_company: bool) -> str:
        parts: list[str] = []
        for piece in pieces:
            if piece.kind == "text" or (piece.kind == "short" and in_company):
                parts.append(self.text[piece.start : piece.end])
            elif piece.kind == "short":
                span = self.folded[piece.start : piece.end]
                self.phone_too_short(" ".join(span.split()), sum(c.isdigit() for c in span))
                parts.append(" ")
            else:
                parts.append(" ")
        return _clean("".join(parts))
