"""Text, phone, e-mail and money rules for what a rep types. Pure: no clock, no database.

The documented normalisation (`clean_text`), applied to every stored text field:

1. Lone surrogates (U+D800-U+DFFF) are refused: they cannot be encoded as UTF-8, so SQLite
   would fail at flush with a `UnicodeEncodeError` instead of a validation message.
2. Multi-line text: `\\r\\n`, `\\r`, U+2028 (line separator) and U+2029 (paragraph separator)
   become `\\n`, which is what Textual's `TextArea` shows as a line break anyway.
   Single-line text: a tab becomes a space; any line break (`\\n`, `\\r`, U+2028, U+2029) is
   refused ("must be a single line").
3. Every other control character (Unicode category Cc: NUL, ESC, DEL, C1 controls such as
   U+0085, ...) is refused, naming the code point. Multi-line text keeps `\\n` and `\\t`.
   NUL in particular breaks SQLite's `length()`, LIKE, full-text search and exports.
4. The text is normalised to NFC (so "e" + combining acute and "é" are the same stored text)
   and surrounding whitespace is stripped (`str.strip`, which includes U+3000, the
   ideographic space). Text that is empty afterwards becomes None.
5. The length limit counts characters (code points) of the result, the same way SQLite's
   `length()` in the CHECK constraints does.

Kept on purpose: format characters (category Cf) such as ZERO WIDTH JOINER (emoji sequences
like 👨‍👩‍👧), variation selectors, right-to-left and left-to-right marks and bidi embeddings
(legitimate in Arabic and Hebrew names), as well as CJK, emoji, private-use and unassigned
code points. Nothing is case-folded or width-folded (full-width letters stay as typed).
Displaying text safely (no markup interpretation) is the UI's job: `rich.text.Text(value)`.

`clean_text(clean_text(x))` equals `clean_text(x)` for every accepted `x`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from rich.cells import cell_len

from salesdev_tui.i18n import _

__all__ = [
    "FREE_MAIL_DOMAINS",
    "MONEY_LIMIT",
    "check_decimal",
    "clean_text",
    "email_domain",
    "is_free_mail",
    "normalize_email",
    "normalize_phone",
    "parse_decimal",
    "parse_money",
    "phone_digits_valid",
    "phone_problem",
]

_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_text(value: str | None, *, max_len: int, multiline: bool = False) -> str | None:
    """Return `value` in the documented normalisation, None for blank, or raise ValueError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(_("must be text"))
    for char in value:
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise ValueError(
                _("contains an invalid character ({code}) that cannot be stored").format(
                    code=_char_name(char)
                )
            )
    text = value
    if multiline:
        for brk in _LINE_BREAKS:
            text = text.replace(brk, "\n")
    else:
        if any(brk in text for brk in ("\n", *_LINE_BREAKS)):
            raise ValueError(_("must be a single line"))
        text = text.replace("\t", " ")
    allowed = "\n\t" if multiline else ""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            raise ValueError(
                _("contains a control character ({code}) that cannot be stored").format(
                    code=_char_name(char)
                )
            )
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return None
    if len(text) > max_len:
        raise ValueError(
            _("is too long: at most {limit} characters (this has {count})").format(
                limit=max_len, count=len(text)
            )
        )
    return text


# --- phone numbers --------------------------------------------------------------------------

_PHONE_EXTENSION = re.compile(
    r"\s*(?:ext\.?|extension|x|#|分機|轉)\s*(?P<ext>\d{1,8})\s*$", re.IGNORECASE
)
_PHONE_MAIN = re.compile(r"[\d +\-.()]*")
PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 20


def _phone_fold(raw: str) -> str:
    # NFKC turns full-width digits and signs (from a CJK input method) into ASCII.
    return unicodedata.normalize("NFKC", raw).strip()


def phone_problem(raw: str) -> str | None:
    """What is wrong with a typed phone number, in plain words, or None when it is usable.

    Usable: 6-20 digits; only digits, spaces and `+ - . ( )`, a `+` only before the digits;
    optionally followed by an extension ("ext 12", "x12", "#12", "分機 12").
    """
    text = _phone_fold(raw)
    match = _PHONE_EXTENSION.search(text)
    main = text[: match.start()] if match else text
    if not _PHONE_MAIN.fullmatch(main):
        return _("may contain only digits, spaces and + - . ( )")
    digits = sum(char.isdigit() for char in main)
    if main.count("+") > 1 or ("+" in main and any(c.isdigit() for c in main[: main.index("+")])):
        return _("a + may only stand before the digits")
    if digits < PHONE_MIN_DIGITS:
        return _("needs at least {n} digits").format(n=PHONE_MIN_DIGITS)
    if digits > PHONE_MAX_DIGITS:
        return _("has too many digits (at most {n})").format(n=PHONE_MAX_DIGITS)
    return None


def phone_digits_valid(raw: str) -> bool:
    """True when `raw` looks like a phone number a rep could dial (see `phone_problem`)."""
    return phone_problem(raw) is None


def normalize_phone(raw: str, region: str) -> str:
    """The comparable form of a phone number, for finding duplicates.

    E.164 ("+886912345678") when `phonenumbers` reads it as a possible number of `region`
    (an ISO 3166 code such as "TW"; numbers typed with + ignore it); the extension is not part
    of E.164 and is dropped. Otherwise the digits only, keeping a leading + if one was typed.
    """
    text = _phone_fold(raw)
    # Cut the extension first: phonenumbers knows "ext." and "#" but not "分機" or "轉", and
    # the extension is not part of the comparable number anyway.
    extension = _PHONE_EXTENSION.search(text)
    if extension:
        text = text[: extension.start()]
    # Imported here, not at the top: the read commands' start-up need not load its
    # metadata (issue 15.8); after the first call the import is a dictionary lookup.
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    digits = "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())
    return "+" + digits if text.lstrip().startswith("+") else digits


# --- e-mail ---------------------------------------------------------------------------------


def normalize_email(raw: str) -> str:
    """The normalised address (domain in lower case, Unicode NFC), or ValueError in plain words.

    Syntax only: no DNS lookups (the app is offline).
    """
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        raise ValueError(_("not a valid address (it is empty)"))
    if "@" not in text:
        raise ValueError(_("not a valid address (missing @)"))
    local, _sep, domain = text.rpartition("@")
    if not local:
        raise ValueError(_("not a valid address (nothing before the @)"))
    if not domain:
        raise ValueError(_("not a valid address (nothing after the @)"))
    if " " in text:
        raise ValueError(_("not a valid address (contains a space)"))
    # Imported here, not at the top, as `phonenumbers` in `normalize_phone` (issue 15.8).
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        detail = str(error)
        if "should have a period" in detail:
            raise ValueError(
                _("not a valid address (the domain after the @ needs a dot, like example.com)")
            ) from None
        raise ValueError(_("not a valid address ({detail})").format(detail=detail)) from None
    return str(result.normalized)


def email_domain(email: str) -> str:
    """The domain of an address, lower case ("Example.COM" -> "example.com")."""
    _local, sep, domain = email.strip().rpartition("@")
    if not sep or not domain:
        raise ValueError(_("not a valid address (missing @)"))
    return domain.lower().rstrip(".")


#: Free mail providers: an address there says nothing about the customer's company.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # international
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com",
        "hotmail.com", "outlook.com", "live.com", "msn.com", "passport.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "aim.com",
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tuta.io",
        "zoho.com", "zohomail.com", "mail.com", "email.com", "yandex.com", "yandex.ru",
        "mail.ru", "fastmail.com", "hey.com",
        # regional Yahoo / Microsoft
        "yahoo.com.tw", "yahoo.com.hk", "yahoo.co.jp", "yahoo.co.uk", "yahoo.de", "yahoo.fr",
        "hotmail.co.uk", "hotmail.de", "hotmail.fr", "outlook.jp", "live.jp", "live.co.uk",
        # GMX / WEB.DE (Germany, Austria, Switzerland, ...)
        "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "gmx.fr", "gmx.co.uk", "gmx.us",
        "gmx.es", "gmx.it", "web.de", "t-online.de", "freenet.de",
        # Taiwan
        "hinet.net", "msa.hinet.net", "ms1.hinet.net", "pchome.com.tw", "seed.net.tw",
        "kimo.com", "so-net.net.tw",
        # mainland China, Hong Kong
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
        "sohu.com", "aliyun.com", "139.com", "netvigator.com",
        # Japan, Korea
        "naver.com", "daum.net", "hanmail.net",
    }
)  # fmt: skip


def is_free_mail(email_or_domain: str) -> bool:
    """True for an address or domain at a free mail provider (also any gmx.* domain)."""
    domain = email_domain(email_or_domain) if "@" in email_or_domain else email_or_domain
    domain = domain.strip().lower().rstrip(".")
    return domain in FREE_MAIL_DOMAINS or domain.startswith("gmx.")


# --- money and other exact decimals ---------------------------------------------------------

#: Amounts must stay below this (ten trillion): they are stored as integer cents.
MONEY_LIMIT = Decimal(10) ** 13

_CURRENCY = re.compile(
    r"^(?:nt\$|us\$|hk\$|rmb|twd|ntd|usd|eur|cny|jpy|\$|€|£|¥|￥)"
    r"|(?:twd|ntd|usd|eur|cny|jpy|rmb|元|圓|円|\$|€|£|¥)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
_NOT_FINITE = {"nan", "snan", "inf", "infinity", "+inf", "+infinity", "-inf", "-infinity"}
_MINUS = ("-", "\u2212", "\u2012", "\u2013", "\u2014")


def parse_decimal(
    text: str,
    *,
    places: int,
    below: Decimal,
    currency: bool = False,
    percent: bool = False,
) -> Decimal:
    """Read a non-negative exact number with at most `places` decimals, less than `below`.

    Accepts full-width digits, thousands commas ("1,234.50"), a currency sign or code when
    `currency` ("NT$1,234", "1234 元"), a trailing "%" when `percent`. Refuses negatives,
    NaN and infinity, more decimals than `places` (trailing zeros are fine) and a too-large
    value, each with a plain message. Returns the value quantized to `places`.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        raise ValueError(_("enter an amount"))
    if folded.lower() in _NOT_FINITE:
        raise ValueError(_("must be a number, not {text}").format(text=folded))
    if folded.startswith(_MINUS) or (folded.startswith("(") and folded.endswith(")")):
        raise ValueError(_("cannot be negative"))
    if percent and folded.endswith("%"):
        folded = folded[:-1].strip()
    if currency:
        for _i in range(2):  # a sign and a code: "NT$ 1,234 元" is still one amount
            folded = _CURRENCY.sub("", folded, count=1).strip()
    if folded.startswith(_MINUS):
        raise ValueError(_("cannot be negative"))
    if not _NUMBER.fullmatch(folded):
        raise ValueError(_("is not a number (write digits, like 1234.50 or 1,234.50)"))
    try:
        value = Decimal(folded.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        raise ValueError(_("is not a number (write digits, like 1234.50)")) from None
    return check_decimal(value, places=places, below=below)


def check_decimal(value: Decimal, *, places: int, below: Decimal) -> Decimal:
    """Check an exact value against the same rules as `parse_decimal`, and quantize it."""
    if not value.is_finite():
        raise ValueError(_("must be a number, not {text}").format(text=str(value)))
    if value < 0:
        raise ValueError(_("cannot be negative"))
    if value >= below:
        raise ValueError(_("is too large (must be less than {limit:,})").format(limit=below))
    # Below `below` (at most 10**17 here), quantize stays within the context's precision.
    quantum = Decimal(1).scaleb(-places)
    if value.quantize(quantum, rounding=ROUND_DOWN) != value:
        raise ValueError(_("has more than {places} decimal places").format(places=places))
    return value.quantize(quantum)


def parse_money(text: str) -> Decimal:
    """Read an amount of money: "1234.5", "1,234.50", "NT$1,234", full-width digits.

    Returns a Decimal with two places; refuses negatives, more than two decimals, NaN/inf
    and values of 10**13 or more with plain messages.
    """
    return parse_decimal(text, places=2, below=MONEY_LIMIT, currency=True)


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells, ending in "…" when cut.

    Measured in cells, not characters: a CJK character takes two, so 70 characters of
    Chinese would be 140 cells; and a wide character is never cut in half.
    """
    if cell_len(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + "…"


def pad_left(text: str, width: int) -> str:
    """`text` right-aligned in `width` cells (str.rjust counts characters, not cells)."""
    return " " * max(0, width - cell_len(text)) + text
