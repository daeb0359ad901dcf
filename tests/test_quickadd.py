"""The quick line lead-intake parser."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesdev_tui.domain.quickadd import (
    MAX_PHONE_DIGITS,
    MIN_PHONE_DIGITS,
    QUICK_LINE_HELP,
    QUICK_LINE_PLACEHOLDER,
    SOURCE_ALIASES,
    ParseProblem,
    QuickLead,
    parse_quick_line,
)
from salesdev_tui.models.enums import Potential, Source

FIELD_NAMES = {f.name for f in fields(QuickLead)} - {"problems"}


def problem_fields(lead: QuickLead) -> list[str]:
    return [p.field for p in lead.problems]


# --- the brief's example and the published texts --------------------------------------------


def test_the_example_line() -> None:
    lead = parse_quick_line(
        "Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #trade_show #manufacturing !A"
    )
    assert lead == QuickLead(
        company="Acme Trading",
        contact_name="Jane Wu",
        email="jane@acme.tw",
        phone="+886 912 345 678",
        source=Source.TRADE_SHOW,
        source_detail=None,
        industry="manufacturing",
        potential=Potential.A,
        notes=None,
        problems=(),
    )


def test_placeholder_parses_cleanly() -> None:
    lead = parse_quick_line(QUICK_LINE_PLACEHOLDER)
    assert lead.problems == ()
    assert lead.company and lead.contact_name and lead.email and lead.phone
    assert lead.source and lead.industry and lead.potential and lead.notes
    assert "\n" not in QUICK_LINE_PLACEHOLDER


def test_help_example_parses_cleanly() -> None:
    example = QUICK_LINE_HELP.rsplit("Example: ", 1)[1]
    lead = parse_quick_line(example)
    assert lead.problems == ()
    assert (lead.company, lead.contact_name, lead.phone) == ("大同公司", "王小明", "0912-345-678")
    assert (lead.source, lead.potential) == (Source.TRADE_SHOW, Potential.A)
    assert 3 <= len(QUICK_LINE_HELP.splitlines()) <= 8


# --- CJK and full-width ---------------------------------------------------------------------


def test_cjk_names_and_full_width_punctuation() -> None:
    lead = parse_quick_line(
        "大同公司；王小明 ＜ming@tatung.com.tw＞ ＋８８６ ９１２ ３４５ ６７８"
        " ＃展覽業 ＃referral ！ｂ"
    )
    assert lead.company == "大同公司"
    assert lead.contact_name == "王小明"
    assert lead.email == "ming@tatung.com.tw"
    assert lead.phone == "+886 912 345 678"
    assert lead.industry == "展覽業"
    assert lead.source == Source.REFERRAL
    assert lead.potential == Potential.B
    assert lead.problems == ()


def test_cjk_without_spaces_between_name_and_elements() -> None:
    lead = parse_quick_line("台積電；張忠謀0912345678＃半導體！A")
    assert (lead.company, lead.contact_name) == ("台積電", "張忠謀")
    assert lead.phone == "0912345678"
    assert lead.industry == "半導體"
    assert lead.potential == Potential.A


def test_ideographic_space_and_full_width_colon_and_corner_quotes() -> None:
    lead = parse_quick_line("宏碁；王小明　＃show：「台北國際電腦展 2026」")
    assert (lead.company, lead.contact_name) == ("宏碁", "王小明")
    assert lead.source == Source.TRADE_SHOW
    assert lead.source_detail == "台北國際電腦展 2026"


def test_full_width_letters_in_names_are_kept() -> None:
    lead = parse_quick_line("ＡＣＭＥ 台灣；Ｊａｎｅ")
    assert (lead.company, lead.contact_name) == ("ＡＣＭＥ 台灣", "Ｊａｎｅ")


def test_nfc_normalisation() -> None:
    lead = parse_quick_line("Cafe\u0301 Noir; Rene\u0301e")
    assert lead.company == "Café Noir"
    assert lead.contact_name == "Renée"


# --- each element alone ---------------------------------------------------------------------


def test_company_alone() -> None:
    assert parse_quick_line("  Acme   Trading Co.  ") == QuickLead(company="Acme Trading Co.")


def test_company_and_contact() -> None:
    lead = parse_quick_line("Acme; Jane Wu")
    assert (lead.company, lead.contact_name, lead.problems) == ("Acme", "Jane Wu", ())


@pytest.mark.parametrize(
    ("line", "email"),
    [
        ("Acme <jane@acme.tw>", "jane@acme.tw"),
        ("Acme jane@acme.tw", "jane@acme.tw"),
        ("Acme jane.wu+crm@mail.acme.com.tw.", "jane.wu+crm@mail.acme.com.tw"),
        ("Acme < jane@acme.tw >", "jane@acme.tw"),
        ("Acme <jane@acme.tw", "jane@acme.tw"),
        ("Acme <王小明@例子.台灣>", "王小明@例子.台灣"),
    ],
)
def test_email_alone(line: str, email: str) -> None:
    lead = parse_quick_line(line)
    assert (lead.company, lead.email, lead.problems) == ("Acme", email, ())


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("Acme +886 912 345 678", "+886 912 345 678"),
        ("Acme 0912-345-678", "0912-345-678"),
        ("Acme (02) 2345-6789", "(02) 2345-6789"),
        ("Acme 02.2345.6789", "02.2345.6789"),
        ("Acme +886  (0)912   345678", "+886 (0)912 345678"),
        ("Acme 123456", "123456"),
        ("Acme ０９１２３４５６７８", "0912345678"),
    ],
)
def test_phone_alone(line: str, phone: str) -> None:
    lead = parse_quick_line(line)
    assert (lead.company, lead.phone, lead.problems) == ("Acme", phone, ())


@pytest.mark.parametrize(
    ("tag", "source"),
    [(f"#{alias}", source) for alias, source in SOURCE_ALIASES.items()]
    + [
        ("#Trade-Show", Source.TRADE_SHOW),
        ("#TRADESHOW", Source.TRADE_SHOW),
        ("#Web", Source.ONLINE),
        ("#展會", Source.TRADE_SHOW),  # the policy's words, as a Taiwanese rep types them
        ("＃網路", Source.ONLINE),
        ("#轉介", Source.REFERRAL),
        ("#市場調研", Source.RESEARCH),
    ],
)
def test_source_tags_and_aliases(tag: str, source: Source) -> None:
    lead = parse_quick_line(f"Acme {tag}")
    assert (lead.company, lead.source, lead.industry, lead.problems) == ("Acme", source, None, ())


@pytest.mark.parametrize(
    ("line", "source", "detail"),
    [
        ("Acme #trade_show:Computex_2026", Source.TRADE_SHOW, "Computex 2026"),
        ("Acme #referral:Mr_Lin", Source.REFERRAL, "Mr Lin"),
        ('Acme #show:"Computex 2026"', Source.TRADE_SHOW, "Computex 2026"),
        ("Acme #ref:“Mr Lin; our agent”", Source.REFERRAL, "Mr Lin; our agent"),
        (
            'Acme #show:"Computex 2026 // not notes"',
            Source.TRADE_SHOW,
            "Computex 2026 // not notes",
        ),
        ("Acme #show:", Source.TRADE_SHOW, None),
        ('Acme #show:""', Source.TRADE_SHOW, None),
    ],
)
def test_source_detail(line: str, source: Source, detail: str | None) -> None:
    lead = parse_quick_line(line)
    assert (lead.company, lead.source, lead.source_detail, lead.problems) == (
        "Acme",
        source,
        detail,
        (),
    )


def test_unclosed_quote_runs_to_notes() -> None:
    lead = parse_quick_line('Acme #show:"Computex 2026 // see Tom')
    assert lead.source_detail == "Computex 2026"
    assert lead.notes == "see Tom"


def test_industry_tag() -> None:
    lead = parse_quick_line("Acme #food_service")
    assert (lead.industry, lead.source, lead.problems) == ("food service", None, ())
    assert parse_quick_line("Acme #e-commerce,").industry == "e-commerce"
    assert parse_quick_line("Acme #online_retail").industry == "online retail"


@pytest.mark.parametrize(("mark", "potential"), [("!A", "A"), ("!b", "B"), ("！Ｃ", "C")])
def test_potential_alone(mark: str, potential: str) -> None:
    lead = parse_quick_line(f"Acme {mark}")
    assert (lead.company, lead.potential, lead.problems) == ("Acme", Potential(potential), ())


def test_notes() -> None:
    lead = parse_quick_line("Acme; Jane // met at booth #12, wants <samples>; call !A")
    assert (lead.company, lead.contact_name) == ("Acme", "Jane")
    assert lead.notes == "met at booth #12, wants <samples>; call !A"
    assert (lead.potential, lead.email, lead.industry) == (None, None, None)
    assert parse_quick_line("Acme //").notes is None
    assert parse_quick_line("Acme ／／ 下週回電").notes == "下週回電"


def test_url_slashes_are_not_notes() -> None:
    lead = parse_quick_line("Acme http://acme.tw")
    assert lead.notes is None
    assert lead.company == "Acme http://acme.tw"


# --- ordering and the company boundary ------------------------------------------------------


def test_elements_in_any_order() -> None:
    expected = parse_quick_line(
        "Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #trade_show #manufacturing !A"
    )
    for line in [
        "Acme Trading; !A #manufacturing Jane Wu #trade_show +886 912 345 678 <jane@acme.tw>",
        "Acme Trading #trade_show; Jane Wu !A jane@acme.tw #manufacturing +886 912 345 678",
        "Acme Trading; Jane Wu; jane@acme.tw; +886 912 345 678; #trade_show #manufacturing; !A",
        "Acme Trading jane@acme.tw Jane Wu +886 912 345 678 #manufacturing #trade_show !a",
        "Acme Trading !A #manufacturing #trade_show +886 912 345 678 Jane <jane@acme.tw> Wu",
    ]:
        assert parse_quick_line(line) == expected, line


def test_without_semicolon_company_ends_at_first_element() -> None:
    lead = parse_quick_line("Acme Trading #retail Jane Wu")
    assert (lead.company, lead.contact_name, lead.industry) == ("Acme Trading", "Jane Wu", "retail")


def test_digits_and_symbols_in_company_stay() -> None:
    for company in ["7-Eleven", "Studio 54", "Store #5", "3M Taiwan", "AT&T", "C# Labs", "Yahoo!"]:
        lead = parse_quick_line(f"{company}; Jane")
        assert (lead.company, lead.contact_name, lead.problems) == (company, "Jane", ()), company


def test_phone_next_to_a_word_is_not_split() -> None:
    lead = parse_quick_line("Acme; Jane 0912 345 678 2nd floor")
    assert lead.phone == "0912 345 678"
    assert lead.contact_name == "Jane 2nd floor"


def test_phone_in_parentheses() -> None:
    lead = parse_quick_line("Acme; Jane (0912 345 678)")
    assert (lead.phone, lead.contact_name) == ("(0912 345 678)", "Jane")


def test_markup_and_control_characters_stay_as_text() -> None:
    lead = parse_quick_line("[bold]Acme[/]\x00\x1b[31m; Jane\tWu\n")
    assert lead.company == "[bold]Acme[/] [31m"
    assert lead.contact_name == "Jane Wu"
    assert lead.problems == ()


# --- problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["", "   ", ";", "; Jane Wu", "#show !A", "jane@acme.tw Jane"])
def test_empty_company(line: str) -> None:
    lead = parse_quick_line(line)
    assert lead.company == ""
    assert problem_fields(lead)[0] == "company"


def test_two_emails() -> None:
    lead = parse_quick_line("Acme jane@acme.tw <bob@acme.tw>")
    assert lead.email == "jane@acme.tw"
    assert problem_fields(lead) == ["email"]
    assert "bob@acme.tw" in lead.problems[0].message
    assert parse_quick_line("Acme jane@acme.tw <jane@acme.tw>").problems == ()


@pytest.mark.parametrize("line", ["Acme jane@acme", "Acme <jane>", "Acme <>", "Acme a@b@c.tw"])
def test_invalid_email(line: str) -> None:
    lead = parse_quick_line(line)
    assert lead.email is None
    assert problem_fields(lead) == ["email"]
    assert lead.company == "Acme"


def test_invalid_then_valid_email_keeps_the_valid_one() -> None:
    lead = parse_quick_line("Acme jane@acme jane@acme.tw")
    assert lead.email == "jane@acme.tw"
    assert problem_fields(lead) == ["email"]


@pytest.mark.parametrize(
    ("line", "contact"),
    [
        ("Acme +886 91", None),
        ("Acme +886", None),
        ("Acme; Jane 12345", "Jane"),
        ("Acme; Jane 02-345", "Jane"),
    ],
)
def test_phone_with_too_few_digits(line: str, contact: str | None) -> None:
    lead = parse_quick_line(line)
    assert lead.phone is None
    assert problem_fields(lead) == ["phone"]
    assert f"at least {MIN_PHONE_DIGITS}" in lead.problems[0].message
    assert (lead.company, lead.contact_name) == ("Acme", contact)


def test_phone_with_too_many_digits() -> None:
    lead = parse_quick_line("Acme 0912 345 678 02 2345 6789")
    assert lead.phone is None
    assert problem_fields(lead) == ["phone"]
    assert f"at most {MAX_PHONE_DIGITS}" in lead.problems[0].message


def test_two_phones() -> None:
    lead = parse_quick_line("Acme 0912-345-678; (02) 2345-6789")
    assert lead.phone == "0912-345-678"
    assert problem_fields(lead) == ["phone"]


@pytest.mark.parametrize("mark", ["!Z", "!AB", "!1", "!高"])
def test_unknown_potential(mark: str) -> None:
    lead = parse_quick_line(f"Acme {mark}")
    assert lead.potential is None
    assert problem_fields(lead) == ["potential"]
    assert mark in lead.problems[0].message


def test_two_potentials() -> None:
    lead = parse_quick_line("Acme !A !c")
    assert lead.potential == Potential.A
    assert problem_fields(lead) == ["potential"]
    assert parse_quick_line("Acme !A !a").problems == ()


def test_two_sources() -> None:
    lead = parse_quick_line("Acme #show #web")
    assert lead.source == Source.TRADE_SHOW
    assert problem_fields(lead) == ["source"]


def test_same_source_twice_merges_detail() -> None:
    lead = parse_quick_line("Acme #show #expo:Computex")
    assert (lead.source, lead.source_detail, lead.problems) == (Source.TRADE_SHOW, "Computex", ())
    lead = parse_quick_line("Acme #show:Computex #show:Interpack")
    assert (lead.source_detail, problem_fields(lead)) == ("Computex", ["source"])


def test_two_industries() -> None:
    lead = parse_quick_line("Acme #retail #logistics")
    assert lead.industry == "retail"
    assert problem_fields(lead) == ["industry"]
    assert parse_quick_line("Acme #retail #Retail").problems == ()


def test_detail_on_an_industry_tag() -> None:
    lead = parse_quick_line("Acme #retail:shoes")
    assert lead.industry == "retail"
    assert problem_fields(lead) == ["industry"]


def test_extra_free_text_after_another_semicolon() -> None:
    lead = parse_quick_line("Acme; Jane Wu; Sales Manager")
    assert lead.contact_name == "Jane Wu"
    assert problem_fields(lead) == ["contact_name"]
    assert "Sales Manager" in lead.problems[0].message


def test_problem_messages_are_short_for_long_input() -> None:
    lead = parse_quick_line("Acme <" + "x" * 3000 + ">")
    assert problem_fields(lead) == ["email"]
    assert len(lead.problems[0].message) < 120


# --- properties -----------------------------------------------------------------------------

SYNTAX = list(';；#＃!！<>＜＞@/／:："“”「」+＋()-. _0123456789０１aAz王小明\x00\x1b\t\n😀\u3000[]')


def check_invariants(lead: QuickLead) -> None:
    assert isinstance(lead, QuickLead)
    for name in ("company", "contact_name", "industry", "source_detail", "notes"):
        value = getattr(lead, name)
        if value is not None:
            assert value == value.strip()
            assert not any(ch in value for ch in "\x00\x1b\t\n")
            assert name == "company" or value
    if lead.phone is not None:
        assert MIN_PHONE_DIGITS <= sum(ch.isdigit() for ch in lead.phone) <= MAX_PHONE_DIGITS
    for problem in lead.problems:
        assert isinstance(problem, ParseProblem)
        assert problem.field in FIELD_NAMES
        assert problem.message
    assert (lead.company == "") == ("company" in problem_fields(lead))


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    check_invariants(parse_quick_line(text))


@given(st.text(alphabet=st.sampled_from(SYNTAX) | st.characters(), max_size=200))
def test_never_raises_on_syntax_soup(text: str) -> None:
    check_invariants(parse_quick_line(text))


@pytest.mark.parametrize(
    "text",
    [
        "x" * 5000,
        "1 " * 2500,
        "(1" * 2500,
        '#a:"' * 1250,
        "<" * 5000,
        "a@" * 2500,
        "!a" * 2500,
        "；" * 5000,
        "\ud800\udfff lone surrogates <\ud800@x.tw>",
        "😀" * 5000,
    ],
)
def test_never_raises_on_long_or_odd_input(text: str) -> None:
    check_invariants(parse_quick_line(text))


LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñ王小明陳林台灣公司")
)
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=8)
NAME_WORD = st.builds(
    lambda head, tail: head + tail,
    WORD,
    st.sampled_from(["", ".", "&Co", "'s", "-Lin"]),
)
NAME = st.lists(NAME_WORD, min_size=1, max_size=4).map(" ".join)
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
EMAIL = st.builds(
    lambda local, host, tld: f"{local}@{host}.{tld}",
    st.lists(LABEL, min_size=1, max_size=3).map(".".join),
    st.builds(lambda a, b: a + b, st.sampled_from("abcxyz"), LABEL),
    st.sampled_from(["tw", "com", "com.tw", "jp", "de", "io"]),
)


@st.composite
def phones(draw: st.DrawFn) -> str:
    groups = draw(
        st.lists(st.text(alphabet="0123456789", min_size=2, max_size=4), min_size=2, max_size=5)
    )
    digits = sum(len(g) for g in groups)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        groups = ["0912", "345", "678"]
    joiner = draw(st.sampled_from([" ", "-", "."]))
    return draw(st.sampled_from(["", "+"])) + joiner.join(groups)


INDUSTRY = st.lists(WORD, min_size=1, max_size=3).filter(
    lambda words: (
        "_".join(words).lower() not in SOURCE_ALIASES
        and "".join(words).lower() not in SOURCE_ALIASES
    )
)


@settings(max_examples=300)
@given(
    data=st.data(),
    company=NAME,
    contact=st.none() | NAME,
    email=st.none() | EMAIL,
    phone=st.none() | phones(),
    source=st.none() | st.sampled_from(sorted(SOURCE_ALIASES.items())),
    detail=st.none() | st.lists(WORD, min_size=1, max_size=3),
    industry=st.none() | INDUSTRY,
    potential=st.none() | st.sampled_from(["A", "b", "C", "a"]),
    notes=st.none() | NAME,
    full_width=st.booleans(),
)
def test_round_trip_from_generated_parts(
    data: st.DataObject,
    company: str,
    contact: str | None,
    email: str | None,
    phone: str | None,
    source: tuple[str, Source] | None,
    detail: list[str] | None,
    industry: list[str] | None,
    potential: str | None,
    notes: str | None,
    full_width: bool,
) -> None:
    semi, hash_, bang = ("；", "＃", "！") if full_width else (";", "#", "!")
    elements: list[str] = []
    if email is not None:
        elements.append(data.draw(st.sampled_from([f"<{email}>", email])))
    if phone is not None:
        elements.append(phone)
    expected_detail = None
    if source is not None:
        tag = hash_ + source[0]
        if detail is not None:
            quoted = data.draw(st.booleans())
            tag += f':"{" ".join(detail)}"' if quoted else ":" + "_".join(detail)
            expected_detail = " ".join(detail)
        elements.append(tag)
    if industry is not None:
        elements.append(hash_ + "_".join(industry))
    if potential is not None:
        elements.append(bang + potential)
    elements = data.draw(st.permutations(elements))
    if contact is not None:
        at = data.draw(st.integers(0, len(elements)))
        elements.insert(at, contact)
        line = f"{company}{semi} " + " ".join(elements)
    else:
        line = company + data.draw(st.sampled_from([" ", f"{semi} "])) + " ".join(elements)
    if notes is not None:
        line += f" // {notes}"

    lead = parse_quick_line(line)

    assert lead.problems == (), line
    assert lead.company == company, line
    assert lead.contact_name == contact, line
    assert lead.email == email, line
    assert lead.phone == phone, line
    assert lead.source == (source[1] if source else None), line
    assert lead.source_detail == (expected_detail if source else None), line
    assert lead.industry == (" ".join(industry) if industry else None), line
    assert lead.potential == (Potential(potential.upper()) if potential else None), line
    assert lead.notes == notes, line


def test_phone_run_stops_before_an_email_starting_with_a_digit() -> None:
    # Found by the round-trip property: the e-mail's leading "0" was read as phone digits.
    lead = parse_quick_line("A 0912 345 678 0.a@a0.tw")
    assert (lead.phone, lead.email, lead.contact_name) == ("0912 345 678", "0.a@a0.tw", None)
