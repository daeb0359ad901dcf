"""The salesdev exchange format: every record as JSON, and back (docs/EXCHANGE.md).

Pure: no database, no clock, no textual. The store reads and writes the records
(`store.exchange`); this module turns them into a document and a document back into records,
checking everything the table metadata says about each column first, so an import either
passes whole or reports every problem and writes nothing.

What the database alone can tell (whether a reference that points outside the document names
an existing record, unique keys against rows already stored, rules across several columns)
is checked by the store in the import's transaction: `external_references` lists the
references it must look up.
"""
# Over 400 lines on purpose: the JSON exchange format's reading and checking, table by table
# (docs/EXCHANGE.md).

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.orm import configure_mappers

from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.i18n import _, joined
from salesdev_tui.models.date_range import MAX_YEAR, MIN_YEAR, day_in_range, moment_in_range
from salesdev_tui.models.tables import (
    CompetitorNote,
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    FieldEdit,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    Record,
    ResearchNote,
    StageChange,
    Survey,
    Target,
    length_limits,
)
from salesdev_tui.models.types import EnumText, ExactDecimal, LocalDate, UTCDateTime, utc

__all__ = [
    "COLLECTIONS",
    "DERIVED_COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAINTAINED_COLUMNS",
    "ExchangeError",
    "ExchangeProblem",
    "RecordSet",
    "Reference",
    "build_record",
    "collection_of",
    "columns_of",
    "format_columns",
    "dump_document",
    "external_references",
    "parse_document",
    "record_to_dict",
    "record_values",
    "self_references",
]

#: The value of the document's "format" key.
FORMAT_NAME = "salesdev"
#: The version of the format this salesdev writes and reads.
FORMAT_VERSION = 1

#: Collection name -> table, parents before children (the order of the document and of imports).
COLLECTIONS: tuple[tuple[str, type[Record]], ...] = (
    ("research_notes", ResearchNote),
    ("customers", Customer),
    ("contacts", Contact),
    ("contact_plans", ContactPlan),
    ("needs_notes", NeedsNote),
    ("proposals", Proposal),
    ("proposal_lines", ProposalLine),
    ("negotiations", Negotiation),
    ("negotiation_points", NegotiationPoint),
    ("contracts", Contract),
    ("milestones", Milestone),
    ("progress_reports", ProgressReport),
    ("surveys", Survey),
    ("credit_checks", CreditCheck),
    ("competitor_notes", CompetitorNote),
    ("targets", Target),
    ("stage_changes", StageChange),
    ("field_edits", FieldEdit),
)

#: Columns the store maintains from other records: imported as given, then recomputed
#: (`CustomerStore.refresh_customer_facts`), and not a reason on their own to update a row.
MAINTAINED_COLUMNS: dict[str, frozenset[str]] = {
    "customers": frozenset(
        {"first_contacted_at", "last_contacted_at", "first_signed_at", "pipeline_value"}
    ),
}


def _customer_name_key(values: dict[str, Any]) -> str:
    return company_key(values["name"]) if values.get("name") else ""


#: Columns that are not part of the format: search keys the store derives from other columns
#: of the same record. Never exported; computed on import and bulk insertion.
DERIVED_COLUMNS: dict[str, dict[str, Callable[[dict[str, Any]], Any]]] = {
    "customers": {"name_key": _customer_name_key},
}

#: Collection name -> its records (model instances), in document order.
RecordSet: TypeAlias = dict[str, list[Record]]

# Timestamps and dates outside these years are refused: the app's one range
# (models.date_range), the same for every write path.
_MIN_YEAR = MIN_YEAR
_MAX_YEAR = MAX_YEAR
#: Exact decimals must stay below this (as the app's own input rules: ten trillion).
_DECIMAL_LIMIT = Decimal(10) ** 13
#: SQLite integers are 64-bit.
_INT_LIMIT = 2**63
#: A text column without a length CHECK still gets a ceiling.
_DEFAULT_TEXT_LIMIT = 40_000

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# re.ASCII: \d must not match other scripts' digits ("２０２６", "١٢٣").
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME_RE = re.compile(
    r"(?P<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?P<offset>Z|[+-]\d{2}:\d{2})?",
    re.ASCII,
)
_DECIMAL_RE = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
# Unicode category Cc except \t and \n, and lone surrogates (they cannot be stored as UTF-8).
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Range CHECKs the importer can read: "x BETWEEN a AND b", "x >= a", optionally NULL-tolerant.
_RANGE_RE = re.compile(
    r"(?:(?P<n>\w+) IS NULL OR )?(?P<col>\w+) "
    r"(?:BETWEEN (?P<low>-?\d+) AND (?P<high>-?\d+)|>= (?P<min>-?\d+))"
)


# --- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeProblem:
    """One thing wrong with a document: where (collection, record index, field) and what."""

    collection: str
    index: int | None
    field: str | None
    message: str

    @property
    def location(self) -> str:
        """`contacts[3].email`, `customers[0]`, `format`, or "" for the whole document."""
        where = self.collection
        if self.index is not None:
            where += f"[{self.index}]"
        if self.field:
            where += f".{self.field}" if where else self.field
        return where

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class ExchangeError(Exception):
    """A document (or an import of it) was refused; `problems` lists every reason."""

    def __init__(self, problems: list[ExchangeProblem]) -> None:
        self.problems = problems
        first = joined(str(p) for p in problems[:3])
        more = len(problems) - 3
        text = (
            _("{first}; and {n} more problems").format(first=first, n=more) if more > 0 else first
        )
        super().__init__(text)


@dataclass(frozen=True)
class Reference:
    """A foreign key in the document that names a record the document does not hold."""

    collection: str
    index: int
    field: str
    target: str  # the collection the id must belong to
    target_id: uuid.UUID


# --- the columns, read from the table metadata --------------------------------------------------


class _Invalid(ValueError):
    """A value a column cannot take; the message is for the user."""


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # uuid | datetime | decimal | enum | date | bool | int | text
    nullable: bool
    places: int = 0
    enum_cls: type[StrEnum] | None = None
    low: Decimal | None = None  # inclusive, in the column's own units
    high: Decimal | None = None
    min_len: int = 0
    max_len: int = _DEFAULT_TEXT_LIMIT
    target: str | None = None  # the collection a foreign key points to

    def encode(self, value: Any) -> Any:
        """The JSON value of a Python value of this column."""
        return None if value is None else _ENCODERS[self.kind](self, value)

    def decode(self, value: Any) -> Any:
        """The Python value of a JSON value (not None), or _Invalid with a plain message."""
        return _DECODERS[self.kind](self, value)


def _encode_uuid(column: _Column, value: Any) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _encode_datetime(column: _Column, value: Any) -> str:
    # The one time convention of every JSON salesdev writes (docs/json/README.md).
    return utc(value).isoformat().replace("+00:00", "Z")


def _encode_decimal(column: _Column, value: Any) -> str:
    exact = Decimal(value).quantize(Decimal(1).scaleb(-column.places))
    return format(exact + 0, "f")  # `+ 0` turns -0.00 into 0.00


def _encode_enum(column: _Column, value: Any) -> str:
    assert column.enum_cls is not None
    return column.enum_cls(value).value


_ENCODERS: dict[str, Callable[[_Column, Any], Any]] = {
    "uuid": _encode_uuid,
    "datetime": _encode_datetime,
    "decimal": _encode_decimal,
    "enum": _encode_enum,
    "date": lambda _column, value: value.isoformat(),
    "bool": lambda _column, value: bool(value),
    "int": lambda _column, value: int(value),
    "text": lambda _column, value: str(value),
}


def _table(model: type[Record]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _ranges(table: sa.Table) -> dict[str, tuple[int | None, int | None]]:
    found: dict[str, tuple[int | None, int | None]] = {}
    for constraint in table.constraints:
        if not isinstance(constraint, sa.CheckConstraint):
            continue
        match = _RANGE_RE.fullmatch(str(constraint.sqltext).strip())
        if not match or (match["n"] and match["n"] != match["col"]):
            continue
        if match["min"] is not None:
            found[match["col"]] = (int(match["min"]), None)
        else:
            found[match["col"]] = (int(match["low"]), int(match["high"]))
    return found


@functools.cache
def format_columns(model: type[Record]) -> tuple[_Column, ...]:
    """The columns of `model` the format carries (all but the derived ones), in table order."""
    derived = DERIVED_COLUMNS.get(collection_of(model), {})
    return tuple(column for column in columns_of(model) if column.name not in derived)


@functools.cache
def columns_of(model: type[Record]) -> tuple[_Column, ...]:
    """Every column of `model` in table order, with what the importer checks about it."""
    configure_mappers()  # instances are built through the mapper (see `build_record`)
    table = _table(model)
    ranges = _ranges(table)
    lengths = length_limits(model)
    tables = {_table(m).name: name for name, m in COLLECTIONS}
    columns: list[_Column] = []
    for column in table.columns:
        kind, places, enum_cls = _kind(column.type)
        low, high = ranges.get(column.name, (None, None))
        scale = Decimal(1).scaleb(-places)
        targets = [tables[fk.column.table.name] for fk in column.foreign_keys]
        min_len, max_len = lengths.get(column.name, (0, _DEFAULT_TEXT_LIMIT))
        columns.append(
            _Column(
                name=column.name,
                kind=kind,
                nullable=bool(column.nullable) and not column.primary_key,
                places=places,
                enum_cls=enum_cls,
                low=None if low is None else low * scale,
                high=None if high is None else high * scale,
                min_len=min_len,
                max_len=max_len,
                target=targets[0] if targets else None,
            )
        )
    return tuple(columns)


def _kind(column_type: Any) -> tuple[str, int, type[StrEnum] | None]:
    if isinstance(column_type, UTCDateTime):
        return "datetime", 0, None
    if isinstance(column_type, ExactDecimal):
        return "decimal", column_type.places, None
    if isinstance(column_type, EnumText):
        return "enum", 0, column_type.enum_cls
    if isinstance(column_type, LocalDate):
        return "date", 0, None
    if isinstance(column_type, sa.Uuid):
        return "uuid", 0, None
    if isinstance(column_type, sa.Boolean):
        return "bool", 0, None
    if isinstance(column_type, sa.Integer):
        return "int", 0, None
    if isinstance(column_type, sa.String) or isinstance(
        getattr(column_type, "impl_instance", None), sa.String
    ):
        return "text", 0, None
    raise TypeError(f"the exchange format has no rule for column type {column_type!r}")


@functools.cache
def _by_name() -> dict[str, type[Record]]:
    return dict(COLLECTIONS)


@functools.cache
def _collection_by_model() -> dict[type[Record], str]:
    return {model: name for name, model in COLLECTIONS}


def collection_of(model: type[Record]) -> str:
    """The collection name of a table model ("customers" for Customer)."""
    return _collection_by_model()[model]


# --- decoding one value ------------------------------------------------------------------------


class _Number:
    """A JSON number the format never accepts as is (a float, a huge integer, NaN)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _json_int(text: str) -> int | _Number:
    # Python refuses to convert integers of more than 4300 digits (and it would be slow).
    return _Number(text) if len(text) > 24 else int(text)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    return str(value)


def _decode_uuid(column: _Column, value: Any) -> uuid.UUID:
    if isinstance(value, str) and _UUID_RE.fullmatch(value):
        return uuid.UUID(value)
    raise _Invalid(
        _("not a valid id: {value} (write a UUID with dashes, like {example})").format(
            value=_describe(value), example="0f8fad5b-d9cb-469f-a165-70867728950e"
        )
    )


def _decode_datetime(column: _Column, value: Any) -> datetime:
    example = "2026-11-16T14:30:00+08:00"
    match = _DATETIME_RE.fullmatch(value) if isinstance(value, str) and len(value) < 40 else None
    if match is None:
        raise _Invalid(
            _("not a valid date and time: {value} (write it like {example})").format(
                value=_describe(value), example=example
            )
        )
    if match["offset"] is None:
        raise _Invalid(
            _("{value} has no time zone offset (write it like {example})").format(
                value=_describe(value), example=example
            )
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Invalid(
            _("not a valid date and time: {value}").format(value=_describe(value))
        ) from None
    if not moment_in_range(moment):
        raise _Invalid(
            _("{value} is out of range (years {low} to {high})").format(
                value=_describe(value), low=_MIN_YEAR, high=_MAX_YEAR
            )
        )
    return moment


def _decode_date(column: _Column, value: Any) -> date:
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if day_in_range(day):
                return day
            raise _Invalid(
                _("{value} is out of range (years {low} to {high})").format(
                    value=_describe(value), low=_MIN_YEAR, high=_MAX_YEAR
                )
            )
    raise _Invalid(
        _("not a valid date: {value} (write it as YYYY-MM-DD, like 2026-11-16)").format(
            value=_describe(value)
        )
    )


def _check_range(column: _Column, number: Decimal | int) -> None:
    low, high = column.low, column.high
    if high is not None and low is not None:
        if not low <= number <= high:
            raise _Invalid(_("must be between {low} and {high}").format(low=low, high=high))
    elif low is not None and number < low:
        if low == 0:
            raise _Invalid(_("cannot be negative"))
        raise _Invalid(_("must be at least {low}").format(low=low))


def _decode_decimal(column: _Column, value: Any) -> Decimal:
    example = "1234." + "5".ljust(column.places, "0") if column.places else "1234"
    if not isinstance(value, str):
        raise _Invalid(
            _('write decimals as text, like "{example}" (not {value})').format(
                example=example, value=_describe(value)
            )
        )
    if len(value) > 40 or not _DECIMAL_RE.fullmatch(value):
        raise _Invalid(
            _('not a valid decimal: {value} (write it like "{example}")').format(
                value=_describe(value), example=example
            )
        )
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        raise _Invalid(_("not a valid decimal: {value}").format(value=_describe(value))) from None
    if abs(number) >= _DECIMAL_LIMIT:
        raise _Invalid(
            _("{value} is too large (must be less than {limit:,})").format(
                value=_describe(value), limit=_DECIMAL_LIMIT
            )
        )
    quantum = Decimal(1).scaleb(-column.places)
    exact = number.quantize(quantum)
    if exact != number:
        raise _Invalid(
            _("{value} has more than {places} decimal places").format(
                value=_describe(value), places=column.places
            )
        )
    _check_range(column, exact)
    return exact


def _decode_enum(column: _Column, value: Any) -> StrEnum:
    assert column.enum_cls is not None
    if isinstance(value, str):
        try:
            return column.enum_cls(value)
        except ValueError:
            pass
    raise _Invalid(
        _("{value} is not one of {choices}").format(
            value=_describe(value), choices=", ".join(m.value for m in column.enum_cls)
        )
    )


def _decode_bool(column: _Column, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid(_("must be true or false, not {value}").format(value=_describe(value)))


def _decode_int(column: _Column, value: Any) -> int:
    if isinstance(value, _Number) and re.fullmatch(r"-?\d+", value.text):
        raise _Invalid(_("{value} is too large").format(value=value.text))
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid(_("must be a whole number, not {value}").format(value=_describe(value)))
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise _Invalid(_("{value} is too large").format(value=value))
    _check_range(column, value)
    return value


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored as is (a control character, a lone surrogate), or None."""
    bad = _BAD_CHAR_RE.search(value)
    if bad is None:
        return None
    code = f"U+{ord(bad.group()):04X}"
    if 0xD800 <= ord(bad.group()) <= 0xDFFF:
        return _("contains an invalid character ({code}) that cannot be stored").format(code=code)
    return _("contains a control character ({code}) that cannot be stored").format(code=code)


def _decode_text(column: _Column, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("must be text, not {value}").format(value=_describe(value)))
    problem = text_problem(value)
    if problem:
        raise _Invalid(problem)
    if len(value) > column.max_len:
        raise _Invalid(
            _("is too long: at most {limit} characters (this has {count})").format(
                limit=column.max_len, count=len(value)
            )
        )
    if len(value) < column.min_len:
        raise _Invalid(_("is too short: at least {limit} characters").format(limit=column.min_len))
    return value


_DECODERS: dict[str, Callable[[_Column, Any], Any]] = {
    "uuid": _decode_uuid,
    "datetime": _decode_datetime,
    "decimal": _decode_decimal,
    "enum": _decode_enum,
    "date": _decode_date,
    "bool": _decode_bool,
    "int": _decode_int,
    "text": _decode_text,
}


# --- records -----------------------------------------------------------------------------------


def record_to_dict(row: Record) -> dict[str, Any]:
    """A record as JSON-ready values, keys in column order (the format's record object)."""
    return {
        column.name: column.encode(getattr(row, column.name))
        for column in format_columns(type(row))
    }


def record_values(row: Record) -> dict[str, Any]:
    """Every column value of a record, keyed by column name, derived columns computed afresh
    (what the store writes with Core statements)."""
    model = type(row)
    values = {column.name: getattr(row, column.name) for column in columns_of(model)}
    for name, derive in DERIVED_COLUMNS.get(collection_of(model), {}).items():
        values[name] = derive(values)
    return values


def build_record(model: type[Record], values: dict[str, Any], *, derive: bool = True) -> Record:
    """A `model` instance holding `values` (every column, by name); derived columns computed.

    Built by the mapper's own constructor, as when the ORM loads a row (about 3 µs a record;
    the SQLModel __init__ costs over 100 µs, and table models do not validate anyway).
    """
    if derive:
        for name, rule in DERIVED_COLUMNS.get(collection_of(model), {}).items():
            values[name] = rule(values)
    row = sa.inspect(model).class_manager.new_instance()
    row.__dict__.update(values)
    assert isinstance(row, model)
    return row


def dump_document(records: RecordSet, *, exported_at: datetime) -> str:
    """The exchange document of `records`: collections in fixed order, records by id."""
    unknown = set(records) - set(_by_name())
    if unknown:
        raise ValueError(f"unknown collections: {sorted(unknown)}")
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _encode_datetime(_Column("exported_at", "datetime", False), exported_at),
    }
    for name, _model in COLLECTIONS:
        rows = sorted(records.get(name, []), key=lambda row: row.id)
        document[name] = [record_to_dict(row) for row in rows]
    return json.dumps(document, ensure_ascii=False, indent=2)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    duplicates: list[str] = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicates = tuple(duplicates)
    return obj


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_int=_json_int,
            parse_float=_Number,
            parse_constant=_Number,
        )
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            [
                ExchangeProblem(
                    "",
                    None,
                    None,
                    _("not valid JSON: line {line}, column {column}: {why}").format(
                        line=exc.lineno, column=exc.colno, why=exc.msg
                    ),
                )
            ]
        ) from None
    except RecursionError:
        raise ExchangeError(
            [ExchangeProblem("", None, None, _("not valid: the JSON is nested too deeply"))]
        ) from None


def _check_header(document: Any) -> list[ExchangeProblem]:
    if not isinstance(document, dict):
        return [
            ExchangeProblem(
                "",
                None,
                None,
                _('not a salesdev export: expected an object with "format": "{name}"').format(
                    name=FORMAT_NAME
                ),
            )
        ]
    problems: list[ExchangeProblem] = []
    fmt = document.get("format")
    if fmt != FORMAT_NAME:
        message = (
            _('missing: a salesdev export has "format": "{name}"')
            if "format" not in document
            else _('is {value}, not "{name}": this is not a salesdev export')
        )
        problems.append(
            ExchangeProblem(
                "format", None, None, message.format(value=_describe(fmt), name=FORMAT_NAME)
            )
        )
    version = document.get("version")
    if "version" not in document:
        problems.append(
            ExchangeProblem(
                "version",
                None,
                None,
                _("missing: this salesdev reads version {known}").format(known=FORMAT_VERSION),
            )
        )
    elif isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        problems.append(
            ExchangeProblem(
                "version",
                None,
                None,
                _(
                    "the file is version {found}; this salesdev reads version {known}. "
                    "Update salesdev to import it."
                ).format(found=version, known=FORMAT_VERSION),
            )
        )
    elif version != FORMAT_VERSION or isinstance(version, bool):
        problems.append(
            ExchangeProblem(
                "version",
                None,
                None,
                _("{value} is not a version this salesdev reads ({known})").format(
                    value=_describe(version), known=FORMAT_VERSION
                ),
            )
        )
    return problems


def parse_document(text: str) -> RecordSet:
    """Read and check an exchange document; raise ExchangeError listing every problem.

    Checks the header, every collection, record and field against the table metadata
    (types, NOT NULL, enums, decimal places, ranges, text lengths and characters), unknown
    collections and fields, duplicate keys and ids, and references between the document's
    own records. References to records outside the document are left to the store
    (`external_references`). Returns the records in document order.
    """
    document = _load_json(text.removeprefix("\ufeff"))
    problems = _check_header(document)
    if problems:
        raise ExchangeError(problems)
    assert isinstance(document, _Object)
    for key in document.duplicates:
        problems.append(ExchangeProblem(key, None, None, _("appears more than once")))
    if "exported_at" in document:
        try:
            _decode_datetime(_Column("exported_at", "datetime", True), document["exported_at"])
        except _Invalid as exc:
            problems.append(ExchangeProblem("exported_at", None, None, str(exc)))
    known = _by_name()
    records: RecordSet = {}
    for key, value in document.items():
        if key in ("format", "version", "exported_at"):
            continue
        model = known.get(key)
        if model is None:
            problems.append(
                ExchangeProblem(
                    key,
                    None,
                    None,
                    _("unknown collection (known: {names})").format(names=", ".join(known)),
                )
            )
            continue
        records[key] = _parse_collection(key, model, value, problems)
    if not problems:
        problems.extend(_internal_reference_problems(records))
    if problems:
        raise ExchangeError(problems)
    return {name: records[name] for name, _model in COLLECTIONS if name in records}


def _parse_collection(
    name: str, model: type[Record], items: Any, problems: list[ExchangeProblem]
) -> list[Record]:
    if not isinstance(items, list):
        problems.append(
            ExchangeProblem(
                name,
                None,
                None,
                _("must be a list of records, not {value}").format(value=_describe(items)),
            )
        )
        return []
    columns = format_columns(model)
    names = {column.name for column in columns}
    seen: dict[uuid.UUID, int] = {}
    rows: list[Record] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                ExchangeProblem(
                    name,
                    index,
                    None,
                    _("must be an object, not {value}").format(value=_describe(item)),
                )
            )
            continue
        before = len(problems)
        for key in getattr(item, "duplicates", ()):
            problems.append(ExchangeProblem(name, index, key, _("appears more than once")))
        for key in item:
            if key not in names:
                problems.append(ExchangeProblem(name, index, key, _("unknown field")))
        values: dict[str, Any] = {}
        for column in columns:
            raw = item.get(column.name)
            if raw is None:
                if not column.nullable:
                    message = _("is required") if column.name not in item else _("must not be null")
                    problems.append(ExchangeProblem(name, index, column.name, message))
                values[column.name] = None
                continue
            try:
                values[column.name] = column.decode(raw)
            except _Invalid as exc:
                problems.append(ExchangeProblem(name, index, column.name, str(exc)))
        record_id = values.get("id")
        if isinstance(record_id, uuid.UUID):
            if record_id in seen:
                problems.append(
                    ExchangeProblem(
                        name,
                        index,
                        "id",
                        _("duplicate id: {name}[{first}] has the same id").format(
                            name=name, first=seen[record_id]
                        ),
                    )
                )
            else:
                seen[record_id] = index
        if len(problems) == before:
            rows.append(build_record(model, values))
    return rows


# --- references --------------------------------------------------------------------------------


def _foreign_keys(model: type[Record]) -> list[_Column]:
    return [column for column in columns_of(model) if column.target is not None]


def external_references(records: RecordSet) -> list[Reference]:
    """Foreign keys naming a record that is not in the document: the store must find them."""
    ids = {name: {row.id for row in rows} for name, rows in records.items()}
    found: list[Reference] = []
    for name, model in COLLECTIONS:
        keys = _foreign_keys(model)
        for index, row in enumerate(records.get(name, [])):
            for column in keys:
                assert column.target is not None
                value = getattr(row, column.name)
                if value is not None and value not in ids.get(column.target, ()):
                    found.append(Reference(name, index, column.name, column.target, value))
    return found


def self_references(model: type[Record]) -> list[str]:
    """The columns of `model` that point at its own table (a proposal's previous version)."""
    name = collection_of(model)
    return [column.name for column in _foreign_keys(model) if column.target == name]


def _internal_reference_problems(records: RecordSet) -> list[ExchangeProblem]:
    """Chains of self-references that loop (a proposal that is its own earlier version)."""
    problems: list[ExchangeProblem] = []
    for name, model in COLLECTIONS:
        rows = records.get(name, [])
        for field in self_references(model):
            index_of = {row.id: index for index, row in enumerate(rows)}
            parent = {row.id: getattr(row, field) for row in rows}
            state: dict[uuid.UUID, int] = {}  # 1 on the current path, 2 done
            for start in parent:
                path: list[uuid.UUID] = []
                node: uuid.UUID | None = start
                while node is not None and node in parent and state.get(node) != 2:
                    if state.get(node) == 1:
                        problems.append(
                            ExchangeProblem(
                                name,
                                index_of[node],
                                field,
                                _("the records' {field} values form a loop").format(field=field),
                            )
                        )
                        break
                    state[node] = 1
                    path.append(node)
                    node = parent[node]
                for visited in path:
                    state[visited] = 2
    return problems


def parents_first(rows: Iterable[dict[str, Any]], fields: list[str]) -> list[dict[str, Any]]:
    """Rows ordered so that a row comes after the rows its self-references (`fields`) name.

    A depth-first topological sort, linear in the rows; a loop (which `parse_document`
    refuses) is cut where it closes, so the database reports it instead of this looping.
    """
    pending = list(rows)
    if not fields:
        return pending
    by_id = {row["id"]: row for row in pending}

    def parents(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for name in fields:
            target = row[name]
            if target is not None and target != row["id"] and target in by_id:
                yield by_id[target]

    ordered: list[dict[str, Any]] = []
    state: dict[int, int] = {}  # id(row) -> 1 while its parents are placed, 2 once placed
    for root in pending:
        if id(root) in state:
            continue
        state[id(root)] = 1
        stack = [(root, parents(root))]
        while stack:
            row, unplaced = stack[-1]
            parent = next(unplaced, None)
            if parent is None:
                stack.pop()
                state[id(row)] = 2
                ordered.append(row)
            elif id(parent) not in state:
                state[id(parent)] = 1
                stack.append((parent, parents(parent)))
    return ordered
