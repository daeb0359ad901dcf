"""The record shapes of docs/json/*.schema.json, made from the table columns the exchange
format carries (`services.exchange.format_columns`).

`tests/test_json_schemas.py` checks that the documented shapes still match the columns.
After a schema change, write them again with:

    python -m tests.json_schema_records
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from salesdev_tui.domain.exchange import COLLECTIONS, format_columns

DOCS = Path(__file__).resolve().parent.parent / "docs" / "json"

#: The value conventions every schema shares (docs/json/README.md).
COMMON_DEFS: dict[str, Any] = {
    "utc_time": {
        "description": "A moment: UTC, ISO 8601 with Z.",
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$",
    },
    "day": {
        "description": "A calendar day (the rep's local day).",
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}$",
    },
    "decimal": {
        "description": "Money, a rate or a score: a decimal number written as a string.",
        "type": "string",
        "pattern": r"^-?\d+(\.\d+)?$",
    },
    "uuid": {
        "type": "string",
        "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    },
}

_KINDS: dict[str, dict[str, Any]] = {
    "uuid": {"$ref": "#/$defs/uuid"},
    "datetime": {"$ref": "#/$defs/utc_time"},
    "decimal": {"$ref": "#/$defs/decimal"},
    "date": {"$ref": "#/$defs/day"},
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "text": {"type": "string"},
}


def record_schema(collection: str) -> dict[str, Any]:
    """The JSON object of one record of `collection` (every column, none more)."""
    model = dict(COLLECTIONS)[collection]
    properties: dict[str, Any] = {}
    for column in format_columns(model):
        if column.kind == "enum":
            assert column.enum_cls is not None
            shape: dict[str, Any] = {"enum": [member.value for member in column.enum_cls]}
        else:
            shape = dict(_KINDS[column.kind])
        properties[column.name] = (
            {"anyOf": [shape, {"type": "null"}]} if column.nullable else shape)
    # No `additionalProperties` here: a use says `unevaluatedProperties: false`, so that
    # `show` can add its lists to the customer's own keys.
    return {"type": "object", "properties": properties, "required": list(properties)}


#: Which record shapes each schema file holds in its $defs.
RECORDS_IN: dict[str, tuple[str, ...]] = {
    "add": ("customers",),
    "show": ("customers", "contacts", "stage_changes", "contracts"),
    "export": tuple(name for name, _model in COLLECTIONS),
}


def expected(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (docs/json/NAME.schema.json) with its shared and record $defs as the code
    has them now, and the export document's collection lists."""
    schema = json.loads(json.dumps(schema))
    defs = schema.setdefault("$defs", {})
    defs.update(COMMON_DEFS)
    for collection in RECORDS_IN.get(name, ()):
        defs[collection] = record_schema(collection)
    if name == "export":
        for collection, _model in COLLECTIONS:
            schema["properties"][collection] = {
                "type": "array",
                "items": {"$ref": f"#/$defs/{collection}", "unevaluatedProperties": False},
            }
        schema["required"] = ["format", "version", "exported_at",
                              *(collection for collection, _model in COLLECTIONS)]
    return schema


def write() -> None:
    """Put the current shared and record shapes into every schema file."""
    for path in sorted(DOCS.glob("*.schema.json")):
        name = path.name.removesuffix(".schema.json")
        schema = expected(name, json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    write()
