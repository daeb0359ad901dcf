"""The search box grammar: free text plus key:value filters; problems, never exceptions."""

from __future__ import annotations

import pytest

from salesdev_tui.domain.customer_query import (
    QUERY_HELP,
    CustomerQuery,
    SortKey,
    parse_customer_query,
)
from salesdev_tui.models.enums import OPEN_STAGES, CompanySize, Potential, Source, Stage


def test_plain_text_is_normalised_and_has_no_filters() -> None:
    query = parse_customer_query("  Acme   東京 ")
    assert query == CustomerQuery(text="Acme 東京")
    assert not query.has_filters
    assert query.sort is SortKey.UPDATED
    assert query.problems == ()


def test_filters_with_text_in_any_order() -> None:
    query = parse_customer_query("st:prop acme pot:A source:show idle:30 sort:name size:large")
    assert query.text == "acme"
    assert query.stages == {Stage.PROPOSAL}
    assert query.potentials == {Potential.A}
    assert query.sources == {Source.TRADE_SHOW}
    assert query.sizes == {CompanySize.LARGE}
    assert query.idle_days == 30
    assert query.sort is SortKey.NAME
    assert query.problems == ()


@pytest.mark.parametrize(
    ("typed", "stages"),
    [
        ("stage:proposal", {Stage.PROPOSAL}),
        ("STAGE:Prop", {Stage.PROPOSAL}),
        ("st:neg,won", {Stage.NEGOTIATION, Stage.WON}),
        ("stage:prop stage:lost", {Stage.PROPOSAL, Stage.LOST}),
        ("stage:open", set(OPEN_STAGES)),
        ("sta:needs", {Stage.NEEDS}),
    ],
)
def test_stage_values_and_prefixes(typed: str, stages: set[Stage]) -> None:
    query = parse_customer_query(typed)
    assert query.stages == stages
    assert query.problems == ()


@pytest.mark.parametrize(
    ("typed", "sources"),
    [
        ("source:trade_show", {Source.TRADE_SHOW}),
        ("source:show", {Source.TRADE_SHOW}),
        ("src:ref", {Source.REFERRAL}),
        ("source:web", {Source.ONLINE}),
        ("source:res,oth", {Source.RESEARCH, Source.OTHER}),
        ("source:cold", {Source.RESEARCH}),  # one table of words with the quick line's
        ("source:展會,推薦", {Source.TRADE_SHOW, Source.REFERRAL}),
    ],
)
def test_source_values_aliases_and_prefixes(typed: str, sources: set[Source]) -> None:
    assert parse_customer_query(typed).sources == sources


def test_potential_letters() -> None:
    assert parse_customer_query("pot:ab").potentials == {Potential.A, Potential.B}
    assert parse_customer_query("potential:C").potentials == {Potential.C}
    assert parse_customer_query("pot:D").problems


def test_industry_is_free_text_and_may_be_quoted() -> None:
    assert parse_customer_query("industry:manu").industry == "manu"
    query = parse_customer_query('ind:"food service" acme')
    assert query.industry == "food service"
    assert query.text == "acme"
    # An unclosed quote (still being typed) runs to the end.
    assert parse_customer_query('ind:"food ser').industry == "food ser"


def test_idle_days() -> None:
    assert parse_customer_query("idle:30").idle_days == 30
    assert parse_customer_query("idle:14d").idle_days == 14
    query = parse_customer_query("idle:soon acme")
    assert query.idle_days is None
    assert query.text == "acme"
    assert len(query.problems) == 1


@pytest.mark.parametrize(
    ("typed", "sort"),
    [("sort:name", SortKey.NAME), ("sort:up", SortKey.UPDATED), ("order:next", SortKey.NEXT),
     ("sort:i", SortKey.IDLE)],
)
def test_sort(typed: str, sort: SortKey) -> None:
    assert parse_customer_query(typed).sort is sort


@pytest.mark.parametrize(
    "typed",
    [
        "colour:red",  # unknown key
        "stage:c",  # ambiguous: contacted or contract
        "stage:nothing",  # unknown value
        "size:m",  # ambiguous: micro or medium
        "stage:",  # being typed: no value yet
        "sort:sideways",
        "s:prop",  # ambiguous key: stage, source, size, sort
    ],
)
def test_bad_filters_become_problems_not_exceptions(typed: str) -> None:
    query = parse_customer_query(f"acme {typed}")
    assert query.text == "acme"
    assert len(query.problems) == 1
    assert query.problems[0]  # a message in words


def test_ambiguous_value_lists_the_choices() -> None:
    (problem,) = parse_customer_query("stage:con").problems
    assert "contacted" in problem and "contract" in problem


def test_words_with_colons_that_are_not_filters_stay_text() -> None:
    assert parse_customer_query("10:30 meeting").text == "10:30 meeting"


def test_markup_and_cjk_are_plain_text() -> None:
    query = parse_customer_query("[@click=app.quit]x[/] 株式会社")
    assert query.text == "[@click=app.quit]x[/] 株式会社"
    assert query.problems == ()


def test_help_names_every_key() -> None:
    for key in ("stage:", "source:", "industry:", "size:", "pot:", "idle:", "sort:"):
        assert key in QUERY_HELP


def test_queries_are_frozen_and_comparable() -> None:
    query = parse_customer_query("acme st:prop")
    with pytest.raises(AttributeError):
        query.text = "x"  # type: ignore[misc]
    assert query == parse_customer_query("st:prop   acme")
