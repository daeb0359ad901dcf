"""The quick-add parser on hostile lines: never raises, keeps no control characters, and
what it calls usable is what the forms accept (or refuse with LeadInvalid, nothing else)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from salesdev_tui.domain.quickadd import parse_quick_line
from tests.hostile.strategies import EXAMPLES, hostile_text

_SYNTAX = st.sampled_from([";", "；", "#", "＃", "!", "！", "<", ">", "//", "@", ":", '"', "「",
                           "」", " ", "+", "0912 345 678", "#show:", "!A", "<a@b.tw>", "\u200b"])
lines = st.lists(st.one_of(hostile_text, _SYNTAX), max_size=8).map("".join)
with_surrogates = st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=20)

_TEXT_FIELDS = ("company", "contact_name", "email", "phone", "source_detail", "industry",
                "notes")


@settings(max_examples=1500, deadline=None)
@given(st.one_of(lines, with_surrogates))
def test_never_raises_and_keeps_no_control_characters(line: str) -> None:
    EXAMPLES["quickadd: parse"] += 1
    lead = parse_quick_line(line)
    for name in _TEXT_FIELDS:
        value = getattr(lead, name)
        if value is None:
            continue
        assert isinstance(value, str)
        # "Control characters become spaces"; names are NFC; nothing is padded.
        assert not any(unicodedata.category(c) == "Cc" for c in value), (name, value)
        assert value == value.strip(), (name, value)
        assert unicodedata.is_normalized("NFC", value), (name, value)
    for problem in lead.problems:
        assert problem.message.strip()
        assert problem.field in {*_TEXT_FIELDS, "source", "potential"}, problem
        assert len(problem.message) < 400  # a line of 5,000 characters is not echoed whole


@settings(max_examples=400, deadline=None)
@given(st.one_of(lines, with_surrogates))
def test_usable_parts_are_checked_by_the_forms_rules_or_refused_plainly(line: str) -> None:
    """What the quick line hands to `check_lead` is saved or refused with field messages."""
    from salesdev_tui.domain.validation import LeadInvalid, check_lead

    EXAMPLES["quickadd: check_lead"] += 1
    lead = parse_quick_line(line)
    customer = {"name": lead.company, "source": lead.source,
                "source_detail": lead.source_detail, "industry": lead.industry,
                "potential": lead.potential, "notes": lead.notes}
    contact = {"name": lead.contact_name, "phone": lead.phone, "email": lead.email}
    try:
        draft = check_lead(customer, contact, region="TW")
    except LeadInvalid as exc:
        assert exc.problems
        assert all(message.strip() for message in exc.problems.values())
        return
    assert draft.customer.name == unicodedata.normalize("NFC", lead.company).strip()


@settings(max_examples=400, deadline=None)
@given(company=st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"],
                                     blacklist_characters=";；#＃!！<>＜＞/\u200b\ufeff"),
                       min_size=1, max_size=60),
       notes=hostile_text)
def test_notes_keep_everything_after_the_slashes(company: str, notes: str) -> None:
    """`// notes` takes the rest of the line literally (markup, tags, `;` and all), with
    control characters and runs of spaces made single spaces."""
    EXAMPLES["quickadd: notes round trip"] += 1
    lead = parse_quick_line(f"Acme {company} // {notes}")
    spaced = "".join(" " if c.isspace() or unicodedata.category(c) == "Cc" else c
                     for c in notes).replace("\u200b", " ").replace("\ufeff", " ")
    words = " ".join(spaced.split()).strip(" ,，、")
    expected = unicodedata.normalize("NFC", words) or None
    assert lead.notes == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(lines, hostile_text))
def test_parsing_is_stable_under_surrounding_space(line: str) -> None:
    EXAMPLES["quickadd: surrounding space"] += 1
    assert parse_quick_line(f"  {line}\u3000 ") == parse_quick_line(line)
