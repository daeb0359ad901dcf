"""The JSON importer on hostile documents: every refusal names the record and field, and a
refused import leaves the database exactly as it was."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesdev_tui.domain.exchange import (
    COLLECTIONS,
    ExchangeError,
    columns_of,
    dump_document,
    parse_document,
)
from tests.conftest import FIXED_NOW
from tests.hostile.strategies import EXAMPLES

_SETTINGS = settings(deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """A store holding a small demo, and the document of exactly that data."""
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.demo import generate_demo
    from salesdev_tui.store.combined import Store
    from tests.conftest import Clock

    path: Path = tmp_path_factory.mktemp("exchange") / "demo.db"
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        store.exchange.bulk_insert(generate_demo(customers=3, seed=11, now=FIXED_NOW,
                                        zone=ZoneInfo("Asia/Taipei")))
        yield store, dump_document(store.exchange.export_records(), exported_at=FIXED_NOW)
    finally:
        db.close()


def fingerprint(store: Any) -> str:
    """sha256 of every row of every table (soft-deleted ones included)."""
    document = dump_document(store.exchange.export_records(), exported_at=FIXED_NOW)
    return hashlib.sha256(document.encode()).hexdigest()


def refused(store: Any, text: str) -> ExchangeError:
    """Parse and import `text`: it must be refused, with nothing written."""
    before = fingerprint(store)
    with pytest.raises(ExchangeError) as caught:
        store.exchange.import_records(parse_document(text))
    assert fingerprint(store) == before
    assert caught.value.problems
    for problem in caught.value.problems:
        assert problem.message.strip()
        assert len(str(problem)) < 600  # a 5,000-character value is not echoed whole
    return caught.value


# --- malformed files ---------------------------------------------------------------------------


@settings(_SETTINGS, max_examples=150)
@given(data=st.data())
def test_damaged_json_is_refused_plainly(demo: tuple[Any, str], data: st.DataObject) -> None:
    store, document = demo
    EXAMPLES["exchange: damaged JSON"] += 1
    cut = data.draw(st.integers(0, len(document) - 2), label="cut at")
    junk = data.draw(st.sampled_from(["", "\x00", "}", "{", "[", '"', "\ud800", ",", "\ufeff",
                                      "NaN", "1e400", "//", "\\"]), label="junk")
    damaged = document[:cut] + junk + document[cut + data.draw(st.integers(0, 3)):]
    try:
        records = parse_document(damaged)
    except ExchangeError as exc:
        assert exc.problems and all(p.message.strip() for p in exc.problems)
        return
    # Damage that still parses (a dropped space) must import as the same data.
    before = fingerprint(store)
    store.exchange.import_records(records, dry_run=True)
    assert fingerprint(store) == before


@settings(_SETTINGS, max_examples=100)
@given(blob=st.one_of(st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                      st.text(max_size=200),
                      st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                                   lambda kids: st.lists(kids, max_size=3)
                                   | st.dictionaries(st.text(max_size=8), kids, max_size=3),
                                   max_leaves=10).map(json.dumps)))
def test_any_text_is_refused_or_read(demo: tuple[Any, str], blob: str) -> None:
    EXAMPLES["exchange: arbitrary text"] += 1
    with pytest.raises(ExchangeError):
        parse_document(blob)


def test_deep_nesting_and_wrong_encoding_are_refused() -> None:
    EXAMPLES["exchange: arbitrary text"] += 2
    with pytest.raises(ExchangeError, match="nested too deeply"):
        parse_document("[" * 100_000)
    latin = '{"format": "salesdev", "version": 1, "customers": [{"name": "Müller"}]}'
    with pytest.raises(ExchangeError):
        parse_document(latin.encode("utf-16").decode("latin-1"))


# --- one field made hostile --------------------------------------------------------------------

#: Raw JSON values no column of the kind may take.
_BAD: dict[str, list[str]] = {
    "decimal": ["1e400", "1E400", "10" * 15, '"1000000000000000000000000000000"',
                '"1e400"', '"NaN"', '"-Infinity"', '"12.3456789"', "12.5", '"1,234"', "true",
                "[]"],
    "datetime": ['"2026-02-30T10:00:00+08:00"', '"2026-11-16T14:30:00"',
                 '"9999-12-31T23:59:59-10:00"', '"0001-01-01T00:00:00Z"',
                 '"２０２６-11-16T14:30:00Z"', "1e400", "1763274600",
                 '"tomorrow"', "{}"],
    "date": ['"2026-02-30"', '"0001-01-01"', '"2026-1-5"', '"١٢٣٤-01-01"', "20261116", "null"],
    "enum": ['"FOO"', '"Phone"', '""', '"phone "', "1", "[\"phone\"]"],
    "bool": ['"yes"', "1", '"true"', "null"],
    "int": ["1e400", "10" * 20, "1.5", '"5"', "true", "-99999999999999999999999"],
    "uuid": ['"not-a-uuid"', '"00000000000000000000000000000000"', "7", "{}"],
    "text": ['"\\u0000"', '"a\\u001bb"', '"\\ud800"', '"\\u007f"', "5", "false", "[\"a\"]",
             json.dumps("Ä" * 40_001)],
}


def _columns(collection: str) -> list[Any]:
    model = dict(COLLECTIONS)[collection]
    return list(columns_of(model))


@settings(_SETTINGS, max_examples=250)
@given(data=st.data())
def test_a_hostile_value_is_refused_at_its_record_and_field(
    demo: tuple[Any, str], data: st.DataObject
) -> None:
    store, document = demo
    parsed = json.loads(document)
    names = [name for name, _m in COLLECTIONS if parsed[name]]
    collection = data.draw(st.sampled_from(names), label="collection")
    index = data.draw(st.integers(0, len(parsed[collection]) - 1), label="index")
    column = data.draw(st.sampled_from(_columns(collection)), label="column")
    choices = [raw for raw in _BAD[column.kind] if not (raw == "null" and column.nullable)]
    raw = data.draw(st.sampled_from(choices), label="value")
    EXAMPLES["exchange: hostile value"] += 1
    parsed[collection][index][column.name] = "__HOSTILE__"
    text = json.dumps(parsed, ensure_ascii=False).replace('"__HOSTILE__"', raw)

    error = refused(store, text)
    places = {(p.collection, p.index, p.field) for p in error.problems}
    assert (collection, index, column.name) in places, (raw, places)


@settings(_SETTINGS, max_examples=80)
@given(data=st.data())
def test_dangling_references_and_duplicate_ids_are_named(
    demo: tuple[Any, str], data: st.DataObject
) -> None:
    store, document = demo
    parsed = json.loads(document)
    with_keys = [(name, c) for name, _m in COLLECTIONS if parsed[name]
                 for c in _columns(name) if c.target is not None]
    collection, column = data.draw(st.sampled_from(with_keys), label="reference")
    index = data.draw(st.integers(0, len(parsed[collection]) - 1), label="index")
    duplicate = data.draw(st.booleans(), label="duplicate id instead")
    EXAMPLES["exchange: references and ids"] += 1
    rows = parsed[collection]
    if duplicate and len(rows) > 1:
        other = (index + 1) % len(rows)
        rows[index]["id"] = rows[other]["id"]
        error = refused(store, json.dumps(parsed))
        assert any(p.collection == collection and p.index in (index, other) and p.field == "id"
                   for p in error.problems), error.problems
        return
    rows[index][column.name] = str(uuid.UUID(int=data.draw(st.integers(1, 2**128 - 1))))
    error = refused(store, json.dumps(parsed))
    assert any((p.collection, p.index, p.field) == (collection, index, column.name)
               for p in error.problems), error.problems


def test_the_untouched_document_imports_as_unchanged(demo: tuple[Any, str]) -> None:
    store, document = demo
    before = fingerprint(store)
    summary = store.exchange.import_records(parse_document(document))
    assert summary.created == summary.updated == 0
    assert fingerprint(store) == before
