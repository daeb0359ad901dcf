"""Text, phone, e-mail and money rules (services.text_rules)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdev_tui.domain.text_rules import (
    FREE_MAIL_DOMAINS,
    clean_text,
    email_domain,
    is_free_mail,
    normalize_email,
    normalize_phone,
    parse_money,
    phone_digits_valid,
    phone_problem,
)

# The strategies of RELIABILITY-NOTES 5a, plus surrogates and line separators.
cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)
emoji = st.lists(st.sampled_from(["👍", "👨‍👩‍👧", "🇩🇪", "❤️", "🧑🏽‍💻", "e\u0301"]), min_size=1).map(
    "".join
)
controls = st.text(alphabet=st.characters(categories=["Cc", "Cf"]), min_size=1)
odd = st.text(alphabet=st.characters(categories=["Cs", "Zl", "Zp", "Zs", "Mn", "Co", "Cn"]))
long = st.integers(190, 5000).map(lambda n: "Ä" * n)
markup = st.lists(
    st.sampled_from(["[/]", "[b]", "[@click=app.quit]x[/]", "[link=x]", "\\[", "]"])
).map("".join)
anything = st.one_of(
    cjk, emoji, controls, odd, long, st.text(max_size=300), markup, st.just(""), st.just("   ")
)
mixed = st.lists(anything, max_size=4).map("".join)


# --- clean_text: allowing -------------------------------------------------------------------


@pytest.mark.parametrize("blank", [None, "", "   ", "\t", "\u3000", " \u00a0 "])
def test_blank_is_none(blank: str | None) -> None:
    assert clean_text(blank, max_len=10) is None
    assert clean_text(blank, max_len=10, multiline=True) is None


def test_strips_and_normalises_to_nfc() -> None:
    assert clean_text("  Mu\u0308ller  ", max_len=10) == "Müller"
    assert clean_text("e\u0301", max_len=1) == "é"
    assert clean_text("\u212b", max_len=5) == "\u00c5"  # ANGSTROM SIGN -> A WITH RING


@pytest.mark.parametrize(
    "text",
    [
        "台灣積體電路製造股份有限公司",
        "株式会社トヨタ",
        "삼성전자",
        "👨‍👩‍👧 family",  # ZWJ sequence
        "🧑🏽‍💻 dev",
        "🇩🇪 GmbH",
        "❤️",
        "\u200fشركة\u200f",  # RTL marks around Arabic
        "\u05e9\u05dc\u05d5\u05dd\u200e Ltd",  # Hebrew with LRM
        "a\u200db",  # ZWJ
        "[@click=app.quit]x[/]",  # markup is data, not refused (the UI shows it as Text)
    ],
)
def test_keeps_scripts_emoji_and_format_characters(text: str) -> None:
    assert clean_text(text, max_len=100) == unicodedata.normalize("NFC", text)


def test_single_line_turns_tab_into_space() -> None:
    assert clean_text("a\tb", max_len=10) == "a b"
    assert clean_text("\ta\t", max_len=10) == "a"


def test_multiline_unifies_line_breaks_and_keeps_tabs() -> None:
    assert clean_text("a\r\nb\rc\nd", max_len=20, multiline=True) == "a\nb\nc\nd"
    assert clean_text("a\u2028b\u2029c", max_len=20, multiline=True) == "a\nb\nc"
    assert clean_text("\n\n a\tb \n\n", max_len=20, multiline=True) == "a\tb"


# --- clean_text: refusing -------------------------------------------------------------------


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028", "\u2029"])
def test_single_line_refuses_line_breaks(brk: str) -> None:
    with pytest.raises(ValueError, match="single line"):
        clean_text(f"a{brk}b", max_len=10)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x1c", "\x0b", "\x0c"])
@pytest.mark.parametrize("multiline", [False, True])
def test_refuses_control_characters(char: str, multiline: bool) -> None:
    with pytest.raises(ValueError, match=r"control character \(U\+00[0-9A-F]{2}\)"):
        clean_text(f"ok{char}ok", max_len=10, multiline=multiline)


def test_refuses_nul_even_at_the_edge() -> None:
    # strip() would not remove it, and a NUL breaks SQLite's length(), LIKE and FTS.
    with pytest.raises(ValueError, match="U\\+0000"):
        clean_text("name\x00", max_len=10)


def test_refuses_escape_sequences() -> None:
    with pytest.raises(ValueError, match="U\\+001B"):
        clean_text("\x1b[2J", max_len=10)


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\udc00", "\ud83d"])
@pytest.mark.parametrize("multiline", [False, True])
def test_refuses_lone_surrogates(char: str, multiline: bool) -> None:
    with pytest.raises(ValueError, match="cannot be stored"):
        clean_text(f"a{char}b", max_len=10, multiline=multiline)


def test_refuses_non_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        clean_text(12, max_len=10)  # type: ignore[arg-type]


# --- clean_text: the limit ------------------------------------------------------------------


def test_limit_exactly_max_is_accepted_and_one_more_refused() -> None:
    assert clean_text("Ä" * 200, max_len=200) == "Ä" * 200
    with pytest.raises(ValueError, match="at most 200 characters \\(this has 201\\)"):
        clean_text("Ä" * 201, max_len=200)


def test_limit_counts_after_normalisation_and_stripping() -> None:
    # 400 code points before NFC, 200 after: accepted.
    assert clean_text("A\u0308" * 200, max_len=200) == "Ä" * 200
    assert clean_text("  " + "x" * 5 + "  ", max_len=5) == "xxxxx"


def test_limit_counts_emoji_sequences_in_code_points() -> None:
    family = "👨‍👩‍👧"  # 5 code points, as SQLite's length() counts them
    assert clean_text(family, max_len=5) == family
    with pytest.raises(ValueError, match="too long"):
        clean_text(family, max_len=4)


# --- clean_text: properties -----------------------------------------------------------------


@given(text=mixed, max_len=st.integers(0, 400), multiline=st.booleans())
def test_clean_text_raises_only_value_error_and_is_idempotent(
    text: str, max_len: int, multiline: bool
) -> None:
    try:
        cleaned = clean_text(text, max_len=max_len, multiline=multiline)
    except ValueError:
        return
    if cleaned is None:
        return
    assert clean_text(cleaned, max_len=max_len, multiline=multiline) == cleaned
    assert 0 < len(cleaned) <= max_len
    assert unicodedata.normalize("NFC", cleaned) == cleaned
    assert cleaned == cleaned.strip()
    allowed = "\n\t" if multiline else ""
    for char in cleaned:
        assert unicodedata.category(char) not in {"Cs"}
        assert unicodedata.category(char) != "Cc" or char in allowed
    cleaned.encode("utf-8")  # storable


@given(text=st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs", "Cf"])))
def test_clean_text_accepts_printable_text_within_the_limit(text: str) -> None:
    cleaned = clean_text(text, max_len=10_000)
    assert cleaned == (unicodedata.normalize("NFC", text).strip() or None)


# --- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912 345 678",
        "0912-345-678",
        "+886 912 345 678",
        "+886 (2) 2345-6789",
        "(+886) 2 2345 6789",
        "02.2345.6789",
        "02-2345-6789 ext 12",
        "02-2345-6789 ext. 12",
        "02-2345-6789 x12",
        "02-2345-6789#12",
        "02-2345-6789 分機 12",
        "０９１２３４５６７８",  # full-width digits from a CJK input method
        "123456",  # 6 digits
        "1" * 20,  # 20 digits
    ],
)
def test_phone_digits_valid_accepts(raw: str) -> None:
    assert phone_digits_valid(raw), phone_problem(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "at least 6 digits"),
        ("12345", "at least 6 digits"),
        ("12-34 ext 5678", "at least 6 digits"),  # the extension does not count
        ("1" * 21, "at most 20"),
        ("0800-FLOWERS", "only digits"),
        ("0912/345/678", "only digits"),
        ("0912345678 ext", "only digits"),
        ("09123+45678", "before the digits"),
        ("++886912345678", "before the digits"),
    ],
)
def test_phone_digits_valid_refuses(raw: str, message: str) -> None:
    assert not phone_digits_valid(raw)
    assert message in (phone_problem(raw) or "")


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0912 345 678", "TW", "+886912345678"),
        ("0912-345-678", "tw", "+886912345678"),
        ("+886 912 345 678", "US", "+886912345678"),  # a + overrides the region
        ("(02) 2345-6789 ext 12", "TW", "+886223456789"),  # extension dropped
        ("０９１２３４５６７８", "TW", "+886912345678"),
        ("(202) 555-0123", "US", "+12025550123"),
        ("030 1234567", "DE", "+49301234567"),
        ("123456", "TW", "123456"),  # not a possible TW number: digits only
        ("0912-345-678", "ZZ", "0912345678"),  # unknown region: digits only
        ("0912-345-678", "", "0912345678"),
        ("+12345678901234567890", "TW", "+12345678901234567890"),  # + kept
    ],
)
def test_normalize_phone(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


def test_same_number_typed_differently_normalises_alike() -> None:
    forms = ["0912345678", "0912 345 678", "+886 912-345-678", "(0912) 345.678"]
    assert {normalize_phone(form, "TW") for form in forms} == {"+886912345678"}


@given(st.text(max_size=60))
def test_phone_functions_never_crash(raw: str) -> None:
    valid = phone_digits_valid(raw)
    if valid:
        normalized = normalize_phone(raw, "TW")
        assert normalized
        assert len(normalized) <= 21


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A.B@Example.COM", "A.B@example.com"),  # domain lower-cased, local part kept
        ("  sales@acme.com.tw ", "sales@acme.com.tw"),
        ("ü@Bücher.de", "ü@bücher.de"),
        ("a@xn--bcher-kva.de", "a@bücher.de"),
        ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
    ],
)
def test_normalize_email_accepts(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("nobody", "missing @"),
        ("@example.com", "nothing before the @"),
        ("a@", "nothing after the @"),
        ("a@localhost", "needs a dot"),
        ("a b@example.com", "contains a space"),
        ("a..b@example.com", "two periods"),
        ("a@@example.com", "not a valid address"),
    ],
)
def test_normalize_email_refuses_in_plain_words(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match="not a valid address") as caught:
        normalize_email(raw)
    assert message in str(caught.value)


def test_email_domain() -> None:
    assert email_domain("Sales@Example.COM") == "example.com"
    assert email_domain("a@b@c.org") == "c.org"
    with pytest.raises(ValueError, match="missing @"):
        email_domain("nobody")


def test_free_mail_domains() -> None:
    listed = {
        "gmail.com", "yahoo.com", "yahoo.com.tw", "hotmail.com", "outlook.com", "live.com",
        "icloud.com", "me.com", "qq.com", "163.com", "126.com", "sina.com", "msn.com",
        "aol.com", "proton.me", "protonmail.com", "hinet.net", "pchome.com.tw", "gmx.de",
    }  # fmt: skip
    assert listed <= FREE_MAIL_DOMAINS
    assert all(domain == domain.lower() for domain in FREE_MAIL_DOMAINS)
    assert is_free_mail("someone@GMAIL.com")
    assert is_free_mail("gmx.at")
    assert is_free_mail("x@gmx.info")  # any gmx.*
    assert not is_free_mail("buyer@tsmc.com")
    assert not is_free_mail("example.com.tw")


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("NT$1,234", "1234.00"),
        ("NT$ 1,234 元", "1234.00"),
        ("US$99.99", "99.99"),
        ("1234 TWD", "1234.00"),
        ("１２３４．５", "1234.50"),  # full-width digits and point
        ("１，２３４", "1234.00"),  # full-width comma
        ("0", "0.00"),
        (".5", "0.50"),
        ("1.230", "1.23"),  # trailing zeros are not extra places
        ("  42  ", "42.00"),
        ("9999999999999.99", "9999999999999.99"),  # just under 10**13
    ],
)
def test_parse_money_accepts(text: str, expected: str) -> None:
    value = parse_money(text)
    assert value == Decimal(expected)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "negative"),
        ("\u22125", "negative"),  # MINUS SIGN
        ("NT$-5", "negative"),
        ("(5)", "negative"),
        ("1.005", "more than 2 decimal places"),
        ("0.001", "more than 2 decimal places"),
        ("NaN", "must be a number"),
        ("inf", "must be a number"),
        ("-Infinity", "must be a number"),
        ("10000000000000", "too large"),
        ("10,000,000,000,000.00", "too large"),
        ("1e5", "not a number"),
        ("1,23", "not a number"),
        ("1_000", "not a number"),
        ("12 34", "not a number"),
        ("abc", "not a number"),
        ("", "enter an amount"),
    ],
)
def test_parse_money_refuses_in_plain_words(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_money(text)


@given(st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2))
def test_parse_money_reads_what_it_would_print(value: Decimal) -> None:
    assert parse_money(f"{value:,}") == value
    assert parse_money(f"NT${value}") == value


@given(st.text(max_size=40))
def test_parse_money_raises_only_value_error(text: str) -> None:
    try:
        value = parse_money(text)
    except ValueError:
        return
    assert Decimal(0) <= value < Decimal(10) ** 13


def test_chinese_extension_words_are_cut_before_normalising() -> None:
    from salesdev_tui.domain.text_rules import normalize_phone

    for typed in ("02-7251-0201 分機 849", "02-7251-0201 轉 849", "02-7251-0201 ext. 849"):
        assert normalize_phone(typed, "TW") == "+886272510201"
