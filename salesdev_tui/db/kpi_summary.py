"""The scorecard's running sums (schema 11): per UTC day and (source, industry), per open
stage. Kept by triggers, like the search index, so every write path (store, import,
restore, merge, sync pull) keeps them with no extra code.

Why: the scorecard's trend and breakdown count index ranges (first signings, first contacts,
contracts, surveys of twelve months) and its pipeline walks every open customer with a
proposal: proportional to the book. At 1,000,000 customers that was 290 ms against a target
of 20 ms. With the sums, a month is ~30 days of rows (times the (source, industry) pairs)
plus, at each edge of a range that is not a UTC midnight, less than a day read from the
indexes as before (`store.kpi_sums`), whatever the size of the book.

What is summed is exactly what the range reads count (`store.today_queries.kpi_figures`,
`store.scorecard_read`); the rules behind the columns (first signing, first contact, the
pipeline value) stay where they are: these triggers only add up the maintained columns.

- `kpi_day`: per UTC day (the first ten characters of the stored time) and the customer's
  (source, industry): live customers first signed that day, live customers first contacted
  that day, and the number, value and cost of the live contracts signed that day (grouped
  by their customer's pair; a contract counts whether or not its customer is deleted, as the reads
  did). A pair is keyed `ifnull('=' || column, '')`: NULL and the empty text stay apart.
- `kpi_survey_day`: per UTC day, the live surveys' score sum and count.
- `kpi_pipeline`: per stage, the customers of `models.pipeline_rule` and their pipeline
  value (the TOO_LARGE marker included, as the index read summed it).

Money is summed as two columns, `value / 10**9` and `value % 10**9`, which cannot overflow
64 bits (a trigger's `+` would silently turn into a float), and joined in Python.

Write paths must not use `INSERT OR REPLACE` on `customer`, `contract` or `survey` (as for
the search index: SQLite deletes the old row without firing the delete triggers, and the
sums would count it twice); an upsert (`ON CONFLICT DO UPDATE`, the sync's pull) is fine.

A migration that rebuilds `customer`, `contract` or `survey` must drop the triggers first
(`drop_kpi_triggers`; the runner does it around every non-Additive step) and put them back
after (`create_kpi_triggers`): the sums stay right because the rows do not change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesdev_tui.models.pipeline_rule import pipeline_rule

if TYPE_CHECKING:  # `SPLIT` is read by `store.kpi_sums`, which runs before SQLAlchemy loads
    from sqlalchemy.engine import Connection

__all__ = [
    "KPI_TABLES",
    "create_kpi_triggers",
    "drop_kpi_triggers",
    "fill_kpi_summary",
    "has_kpi_summary",
    "install_kpi_summary",
]

SPLIT = 1_000_000_000
_MONEY = ("contracts", "value_hi", "value_lo", "cost_hi", "cost_lo")

KPI_TABLES: dict[str, str] = {
    "kpi_day": (
        "CREATE TABLE IF NOT EXISTS kpi_day (day TEXT NOT NULL, source_key TEXT NOT NULL,"
        " industry_key TEXT NOT NULL, new_customers INTEGER NOT NULL DEFAULT 0,"
        " contacted INTEGER NOT NULL DEFAULT 0, contracts INTEGER NOT NULL DEFAULT 0,"
        " value_hi INTEGER NOT NULL DEFAULT 0,"
        " value_lo INTEGER NOT NULL DEFAULT 0, cost_hi INTEGER NOT NULL DEFAULT 0,"
        " cost_lo INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, source_key, industry_key))"
        " WITHOUT ROWID"
    ),
    "kpi_survey_day": (
        "CREATE TABLE IF NOT EXISTS kpi_survey_day (day TEXT NOT NULL PRIMARY KEY,"
        " score_sum INTEGER NOT NULL DEFAULT 0, responses INTEGER NOT NULL DEFAULT 0)"
        " WITHOUT ROWID"
    ),
    "kpi_pipeline": (
        "CREATE TABLE IF NOT EXISTS kpi_pipeline (stage TEXT NOT NULL PRIMARY KEY,"
        " customers INTEGER NOT NULL DEFAULT 0, value_hi INTEGER NOT NULL DEFAULT 0,"
        " value_lo INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
    ),
}


def key(column: str) -> str:
    """The stored key of a (source, industry) column: NULL -> '', text -> '=' || text."""
    return f"ifnull('=' || {column}, '')"


def _add(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)


_DAY_CONFLICT = "ON CONFLICT (day, source_key, industry_key) DO UPDATE SET "


def _customer_counts(row: str, sign: str) -> str:
    """`row`'s (OLD or NEW) first signing and first contact, counted with `sign`."""
    return "".join(
        f"INSERT INTO kpi_day (day, source_key, industry_key, {column})"
        f" SELECT substr({row}.{at}, 1, 10), {key(f'{row}.source')},"
        f" {key(f'{row}.industry')}, {sign}1"
        f" WHERE {row}.deleted_at IS NULL AND {row}.{at} IS NOT NULL"
        f" {_DAY_CONFLICT}{_add((column,))};"
        for column, at in (("new_customers", "first_signed_at"),
                           ("contacted", "first_contacted_at"))
    )


def _money(prefix: str, sign: str, aggregate: bool) -> str:
    """The values of `_MONEY`: the contracts counted, their value and cost in two parts."""
    def part(column: str, op: str) -> str:
        inner = f"{prefix}{column} {op} {SPLIT}"
        return f"{sign}sum({inner})" if aggregate else f"{sign}({inner})"

    count = f"{sign}count(*)" if aggregate else f"{sign}1"
    return ", ".join([count, *(part(c, op) for c in ("value", "cost") for op in ("/", "%"))])


def _contract(row: str, sign: str) -> str:
    """`row`'s (OLD or NEW contract) value and cost, under its customer's pair."""
    return (
        f"INSERT INTO kpi_day (day, source_key, industry_key, {', '.join(_MONEY)})"
        f" SELECT substr({row}.signed_at, 1, 10), {key('c.source')}, {key('c.industry')},"
        f" {_money(f'{row}.', sign, aggregate=False)}"
        f" FROM customer AS c WHERE c.id = {row}.customer_id"
        f" AND {row}.deleted_at IS NULL AND {row}.signed_at IS NOT NULL"
        f" {_DAY_CONFLICT}{_add(_MONEY)};"
    )


def _contracts_of_customer(row: str, sign: str) -> str:
    """The live signed contracts of customer `row`, under `row`'s pair (a pair's change)."""
    return (
        f"INSERT INTO kpi_day (day, source_key, industry_key, {', '.join(_MONEY)})"
        f" SELECT substr(k.signed_at, 1, 10), {key(f'{row}.source')},"
        f" {key(f'{row}.industry')}, {_money('k.', sign, aggregate=True)}"
        f" FROM contract AS k WHERE k.customer_id = {row}.id AND k.deleted_at IS NULL"
        f" AND k.signed_at IS NOT NULL GROUP BY substr(k.signed_at, 1, 10)"
        f" {_DAY_CONFLICT}{_add(_MONEY)};"
    )


def _survey(row: str, sign: str) -> str:
    return (
        "INSERT INTO kpi_survey_day (day, score_sum, responses)"
        f" SELECT substr({row}.taken_at, 1, 10), {sign}{row}.score, {sign}1"
        f" WHERE {row}.deleted_at IS NULL AND {row}.taken_at IS NOT NULL"
        f" ON CONFLICT (day) DO UPDATE SET {_add(('score_sum', 'responses'))};"
    )


def _pipeline(row: str, sign: str) -> str:
    return (
        "INSERT INTO kpi_pipeline (stage, customers, value_hi, value_lo)"
        f" SELECT {row}.stage, {sign}1, {sign}({row}.pipeline_value / {SPLIT}),"
        f" {sign}({row}.pipeline_value % {SPLIT})"
        f" WHERE {pipeline_rule(row + '.')}"
        f" ON CONFLICT (stage) DO UPDATE SET {_add(('customers', 'value_hi', 'value_lo'))};"
    )


def _changed(*columns: str) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_COUNTED = ("first_signed_at", "first_contacted_at", "deleted_at", "source", "industry")
_PAIR = ("source", "industry")
_PIPELINE_COLUMNS = ("stage", "pipeline_value", "deleted_at")
_CONTRACT_COLUMNS = ("signed_at", "value", "cost", "deleted_at", "customer_id")
_SURVEY_COLUMNS = ("taken_at", "score", "deleted_at")

#: name -> (when, body)
_TRIGGERS: dict[str, tuple[str, str]] = {
    "kpi_customer_insert": ("AFTER INSERT ON customer",
                            _customer_counts("NEW", "+") + _pipeline("NEW", "+")),
    "kpi_customer_delete": ("AFTER DELETE ON customer",
                            _customer_counts("OLD", "-") + _pipeline("OLD", "-")),
    "kpi_customer_counts": (
        f"AFTER UPDATE OF {', '.join(_COUNTED)} ON customer WHEN {_changed(*_COUNTED)}",
        _customer_counts("OLD", "-") + _customer_counts("NEW", "+")),
    # A contract counts under its customer's pair: when the pair changes, its contracts move.
    "kpi_customer_pair": (
        f"AFTER UPDATE OF {', '.join(_PAIR)} ON customer WHEN {_changed(*_PAIR)}",
        _contracts_of_customer("OLD", "-") + _contracts_of_customer("NEW", "+")),
    "kpi_customer_pipeline": (
        f"AFTER UPDATE OF {', '.join(_PIPELINE_COLUMNS)} ON customer"
        f" WHEN {_changed(*_PIPELINE_COLUMNS)}",
        _pipeline("OLD", "-") + _pipeline("NEW", "+")),
    "kpi_contract_insert": ("AFTER INSERT ON contract", _contract("NEW", "+")),
    "kpi_contract_delete": ("AFTER DELETE ON contract", _contract("OLD", "-")),
    "kpi_contract_update": (
        f"AFTER UPDATE OF {', '.join(_CONTRACT_COLUMNS)} ON contract"
        f" WHEN {_changed(*_CONTRACT_COLUMNS)}",
        _contract("OLD", "-") + _contract("NEW", "+")),
    "kpi_survey_insert": ("AFTER INSERT ON survey", _survey("NEW", "+")),
    "kpi_survey_delete": ("AFTER DELETE ON survey", _survey("OLD", "-")),
    "kpi_survey_update": (
        f"AFTER UPDATE OF {', '.join(_SURVEY_COLUMNS)} ON survey"
        f" WHEN {_changed(*_SURVEY_COLUMNS)}",
        _survey("OLD", "-") + _survey("NEW", "+")),
}

#: The sums from scratch (the migration, the demo loader, a repair).
_FILL = (
    "DELETE FROM kpi_day",
    "DELETE FROM kpi_survey_day",
    "DELETE FROM kpi_pipeline",
    f"INSERT INTO kpi_day (day, source_key, industry_key, new_customers, contacted,"
    f" {', '.join(_MONEY)})"
    " SELECT day, s, i, sum(n), sum(r), sum(k), sum(vh), sum(vl), sum(ch), sum(cl) FROM ("
    f" SELECT substr(first_signed_at, 1, 10) AS day, {key('source')} AS s,"
    f" {key('industry')} AS i, 1 AS n, 0 AS r, 0 AS k, 0 AS vh, 0 AS vl, 0 AS ch, 0 AS cl"
    " FROM customer WHERE first_signed_at IS NOT NULL AND deleted_at IS NULL"
    f" UNION ALL SELECT substr(first_contacted_at, 1, 10), {key('source')},"
    f" {key('industry')}, 0, 1, 0, 0, 0, 0, 0"
    " FROM customer WHERE first_contacted_at IS NOT NULL AND deleted_at IS NULL"
    f" UNION ALL SELECT substr(k.signed_at, 1, 10), {key('c.source')}, {key('c.industry')},"
    f" 0, 0, {_money('k.', '', aggregate=False)}"
    " FROM contract AS k JOIN customer AS c ON c.id = k.customer_id"
    " WHERE k.signed_at IS NOT NULL AND k.deleted_at IS NULL"
    ") WHERE true GROUP BY day, s, i",
    "INSERT INTO kpi_survey_day (day, score_sum, responses)"
    " SELECT substr(taken_at, 1, 10), sum(score), count(*) FROM survey"
    " WHERE taken_at IS NOT NULL AND deleted_at IS NULL GROUP BY 1",
    "INSERT INTO kpi_pipeline (stage, customers, value_hi, value_lo)"
    f" SELECT stage, count(*), sum(pipeline_value / {SPLIT}), sum(pipeline_value % {SPLIT})"
    f" FROM customer WHERE {pipeline_rule()} GROUP BY stage",
)


def create_kpi_triggers(conn: Connection) -> None:
    """(Re)create the triggers that keep the sums (idempotent)."""
    drop_kpi_triggers(conn)
    for name, (when, body) in _TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def drop_kpi_triggers(conn: Connection) -> None:
    for name in _TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def fill_kpi_summary(conn: Connection) -> None:
    """Compute every sum from the rows (set-based; a few seconds at 1,000,000 customers)."""
    for statement in _FILL:
        conn.exec_driver_sql(statement)


def install_kpi_summary(conn: Connection) -> None:
    """The tables, filled from the rows, and their triggers (a new file, schema 11, a load)."""
    for ddl in KPI_TABLES.values():
        conn.exec_driver_sql(ddl)
    fill_kpi_summary(conn)
    create_kpi_triggers(conn)


def has_kpi_summary(conn: Connection) -> bool:
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'kpi_day'"
    ).first() is not None
