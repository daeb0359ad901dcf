"""The schema version and the forward-only migration runner (PRAGMA user_version).

A new database gets the current schema in one transaction. An older one gets each step in
turn, after a backup, with foreign keys OFF (set before BEGIN: inside a transaction it is
ignored, and a table rebuild with them on silently deletes child rows), then
`foreign_key_check` before commit. A file from a newer salesdev is refused unchanged.

To change the schema: bump SCHEMA_VERSION (db/identity.py) and add
`MIGRATIONS[new_version] = step`, plus a test that builds the previous version with parent
and child rows and migrates it. A step that only adds columns and indexes is wrapped in
`Additive`: the search index stays in place around it. Any other step is taken to rebuild
tables, and the runner drops the search index before it and rebuilds it after (most of a
migration's time: 38 s of 49 at 100,000 customers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from salesdev_tui.db.engine import make_engine, writer
from salesdev_tui.db.errors import Problem, StorageError
from salesdev_tui.db.identity import APPLICATION_ID, SCHEMA_VERSION
from salesdev_tui.db.kpi_summary import (
    create_kpi_triggers,
    drop_kpi_triggers,
    has_kpi_summary,
    install_kpi_summary,
)
from salesdev_tui.db.search_index import (
    create_list_indexes,
    create_search_index,
    drop_search_index,
    has_search_index,
)
from salesdev_tui.db.sync_log import reinstall_change_log
from salesdev_tui.i18n import _

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Additive", "initialise", "migrate"]


Step = Callable[[Connection], None]


@dataclass(frozen=True)
class Additive:
    """A step that only adds columns and indexes (and fills them).

    `ALTER TABLE ... ADD COLUMN` and `CREATE INDEX` work with the search index's view and
    triggers in place, so the runner keeps the index instead of rebuilding it from every
    customer. A step that rebuilds a table (create new, copy, drop, rename) must not be
    wrapped: SQLite refuses the rename while the view names the table.
    """

    run: Step

    def __call__(self, conn: Connection) -> None:
        self.run(conn)


def _named_columns(index: sa.Index, table: sa.Table) -> set[str]:
    """The columns an index names, also inside SQL text (expressions, partial WHERE)."""
    named = {c.name for c in index.columns}
    texts = [str(e) for e in index.expressions if not isinstance(e, sa.Column)]
    where = index.dialect_options["sqlite"].get("where")
    if where is not None:
        texts.append(str(where))
    for text in texts:
        named |= {c.name for c in table.columns if re.search(rf"\b{c.name}\b", text)}
    return named


def _create_missing_indexes(conn: Connection) -> None:
    """Version 2: the indexes of the current models that the file lacks (the partial index
    ix_contact_plan_last_done, and any index a version 1 file made before it was added)."""
    import salesdev_tui.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata

    present = {name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    for table in SQLModel.metadata.sorted_tables:
        columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table.name})")}
        for index in table.indexes:
            # An index on a column a later version adds is made by that version's step.
            if index.name not in present and _named_columns(index, table) <= columns:
                index.create(conn)


#: Indexes of version 2 that version 3's partial covering ones replace (each query that
#: read them asks for live rows, `deleted_at IS NULL`, as the new ones hold).
_REPLACED_IN_3 = (
    "ix_customer_first_signed_at",
    "ix_customer_first_contacted_at",
    "ix_contract_signed_at",
    "ix_survey_taken_at",
)


# -- frozen data steps ------------------------------------------------------------------------
#
# A migration fills its new columns with its own SQL, copied here as it was when the version
# shipped (from store/pipeline_value.py and store/last_contacted.py), never by calling the
# store: the store changes with the app, while a migration must do tomorrow exactly what it
# did on the day it was released. Do not edit these to follow the store.

#: Schema 3: a proposal line fits 64-bit arithmetic when quantity x price x 10000 does.
_V3_SAFE_LINE = "(l.unit_price = 0 OR l.quantity <= 922337203685477 / l.unit_price)"
_V3_NUM = "(l.quantity * l.unit_price * (10000 - l.discount_pct))"
#: Schema 3: the line total in cents, rounded half-even (all terms are non-negative).
_V3_LINE_CENTS = (
    f"({_V3_NUM} / 10000000 + CASE WHEN ({_V3_NUM} % 10000000) * 2 > 10000000 "
    f"OR (({_V3_NUM} % 10000000) * 2 = 10000000 AND ({_V3_NUM} / 10000000) % 2 = 1) "
    "THEN 1 ELSE 0 END)"
)
#: Schema 3: the open proposal is the customer's latest live version, not rejected.
_V3_OPEN_LINES = (
    "FROM proposal AS p {join} proposal_line AS l"
    " ON l.proposal_id = p.id AND l.deleted_at IS NULL"
    " WHERE p.deleted_at IS NULL AND p.status != 'rejected'"
    " AND NOT EXISTS (SELECT 1 FROM proposal AS n WHERE n.customer_id = p.customer_id"
    " AND n.deleted_at IS NULL AND n.version > p.version)"
)
_V3_WRITE = (
    "UPDATE customer SET pipeline_value = v.cents FROM ("
    f"SELECT p.customer_id AS customer_id, coalesce(sum({_V3_LINE_CENTS}), 0) AS cents"
    f" {_V3_OPEN_LINES.format(join='LEFT JOIN')}"
    f" AND (l.id IS NULL OR {_V3_SAFE_LINE}) GROUP BY p.customer_id"
    ") AS v WHERE customer.id = v.customer_id"
)
_V3_UNSAFE = (
    f"SELECT DISTINCT p.customer_id {_V3_OPEN_LINES.format(join='JOIN')}"
    f" AND NOT {_V3_SAFE_LINE}"
)
_V3_LINES_OF = (
    "SELECT l.quantity, l.unit_price, l.discount_pct"
    f" {_V3_OPEN_LINES.format(join='JOIN')} AND p.customer_id = ?"
)
#: Schema 3: the stored value of a total too large for 64-bit cents.
_V3_TOO_LARGE = -1

#: Schema 4: every customer's latest done contact.
_V4_FILL_LAST_CONTACTED = (
    "UPDATE customer SET last_contacted_at = d.last FROM ("
    " SELECT customer_id, max(done_at) AS last FROM contact_plan"
    " WHERE status = 'done' AND deleted_at IS NULL GROUP BY customer_id) AS d"
    " WHERE customer.id = d.customer_id"
)


def _v3_fill_pipeline_values(conn: Connection) -> None:
    """Schema 3's `pipeline_value` of every customer: SQL for the lines that fit 64 bits, exact
    Decimal arithmetic (each line rounded half-even to the cent, then summed) for the rest."""
    from decimal import ROUND_HALF_EVEN, Decimal

    conn.exec_driver_sql(
        "UPDATE customer SET pipeline_value = NULL WHERE pipeline_value IS NOT NULL")
    conn.exec_driver_sql(_V3_WRITE)
    unsafe = [row[0] for row in conn.exec_driver_sql(_V3_UNSAFE)]
    for customer_id in unsafe:
        total = Decimal("0.00")
        for quantity, price, discount in conn.exec_driver_sql(_V3_LINES_OF, (customer_id,)):
            q = Decimal(int(quantity or 0)).scaleb(-3)
            u = Decimal(int(price or 0)).scaleb(-2)
            d = Decimal(int(discount or 0)).scaleb(-2)
            net = q * u * (Decimal(100) - d) / Decimal(100)
            total += net.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        cents = int(total * 100)
        conn.exec_driver_sql(
            "UPDATE customer SET pipeline_value = ? WHERE id = ?",
            (cents if cents <= 2**63 - 1 else _V3_TOO_LARGE, customer_id),
        )


def _add_pipeline_value(conn: Connection) -> None:
    """Version 3: the maintained `customer.pipeline_value`, computed for every customer in
    one set-based pass (about 2 s at 100k customers), and the scorecard's covering indexes
    in place of the plain ones they make redundant."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(customer)")}
    if "pipeline_value" not in columns:  # a file made by this code and marked older has it
        conn.exec_driver_sql("ALTER TABLE customer ADD COLUMN pipeline_value BIGINT")
    for name in _REPLACED_IN_3:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    _create_missing_indexes(conn)
    _v3_fill_pipeline_values(conn)


def _add_last_contacted(conn: Connection) -> None:
    """Version 4: the maintained `customer.last_contacted_at` (the latest done contact),
    filled for every customer in one set-based pass, and the index Today's revisits due
    read in due order (ix_customer_revisit_due)."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(customer)")}
    if "last_contacted_at" not in columns:  # a file made by this code and marked older has it
        conn.exec_driver_sql("ALTER TABLE customer ADD COLUMN last_contacted_at VARCHAR(26)")
    # Before the index: one sort instead of a move per update.
    conn.exec_driver_sql(_V4_FILL_LAST_CONTACTED)
    _create_missing_indexes(conn)


def _idle_index(conn: Connection) -> None:
    """Version 5: Today's idle customers read an index of open customers only
    (ix_customer_idle) instead of walking every live one (ix_customer_activity)."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_customer_activity")
    _create_missing_indexes(conn)


def _two_char_search(conn: Connection) -> None:
    """Version 6: the search index's text ends each column with a line break and the index
    gains its vocabulary table, so two-character searches find any substring. Nothing to do
    here: as a non-Additive step, the runner drops the index before and rebuilds it after."""


def _add_outcome_times(conn: Connection) -> None:
    """Version 7: `contact_plan.outcome_at` and `rescheduled_at` (issue 14.6: the review
    counts a missed or moved contact on the day it was logged), with their indexes.

    Older plans get the best time known: a done one its `done_at`, a missed or cancelled
    one its last change (`updated_at`); none had a reschedule time recorded.
    """
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(contact_plan)")}
    for name in ("outcome_at", "rescheduled_at"):
        if name not in columns:  # a file made by this code and marked older has them
            conn.exec_driver_sql(f"ALTER TABLE contact_plan ADD COLUMN {name} VARCHAR(26)")
    conn.exec_driver_sql(
        "UPDATE contact_plan SET outcome_at = CASE status WHEN 'done' THEN done_at"
        " ELSE updated_at END WHERE status != 'planned' AND outcome_at IS NULL")
    _create_missing_indexes(conn)


def _add_tax_id_and_mobile(conn: Connection) -> None:
    """Version 8: `customer.tax_id` (統一編號) and `contact.mobile` / `mobile_normalized`,
    with their indexes and length checks' columns; existing rows have none."""
    def checked(table: str, column: str, high: int) -> str:  # schema 8's limits, frozen here
        return (f"{column} VARCHAR CONSTRAINT ck_{table}_{column}_len"
                f" CHECK ({column} IS NULL OR length({column}) BETWEEN 0 AND {high})")

    tables = {
        "customer": (checked("customer", "tax_id", 32),),
        "contact": (checked("contact", "mobile", 40),
                    checked("contact", "mobile_normalized", 40)),
    }
    for table, additions in tables.items():
        columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}
        for addition in additions:
            if addition.split()[0] not in columns:  # a file made by this code has them
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {addition}")
    _create_missing_indexes(conn)


def _add_target_set_by(conn: Connection) -> None:
    """Version 9: `target.set_by`, the manager who set a target on the team server (issue
    19.3), and the rep's own unique target per period and indicator beside the manager's."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(target)")}
    if "set_by" not in columns:  # a file made by this code and marked older has it
        conn.exec_driver_sql(
            "ALTER TABLE target ADD COLUMN set_by VARCHAR CONSTRAINT ck_target_set_by_len"
            " CHECK (set_by IS NULL OR length(set_by) BETWEEN 1 AND 63)")
    conn.exec_driver_sql("DROP INDEX IF EXISTS uq_target_live")
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX uq_target_live ON target (period_kind, period_label, kpi)"
        " WHERE deleted_at IS NULL AND set_by IS NULL")
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS uq_target_by_manager ON target"
        " (period_kind, period_label, kpi) WHERE deleted_at IS NULL AND set_by IS NOT NULL")


#: Version 10's table, frozen as it shipped.
_V10_ASSESSMENT = """CREATE TABLE IF NOT EXISTS assessment (
	id CHAR(32) NOT NULL,
	created_at VARCHAR(26) NOT NULL,
	updated_at VARCHAR(26) NOT NULL,
	deleted_at VARCHAR(26),
	period_kind VARCHAR(20) NOT NULL,
	period_label VARCHAR NOT NULL,
	talk_notes VARCHAR,
	improvement_plan VARCHAR,
	assessed_by VARCHAR NOT NULL,
	assessed_at VARCHAR(26) NOT NULL,
	CONSTRAINT pk_assessment PRIMARY KEY (id),
	CONSTRAINT ck_assessment_period_kind_enum CHECK (period_kind IN ('month', 'quarter', 'year')),
	CONSTRAINT ck_assessment_period_label_len CHECK (period_label IS NULL OR length(period_label) BETWEEN 4 AND 7),
	CONSTRAINT ck_assessment_talk_notes_len CHECK (talk_notes IS NULL OR length(talk_notes) BETWEEN 0 AND 20000),
	CONSTRAINT ck_assessment_improvement_plan_len CHECK (improvement_plan IS NULL OR length(improvement_plan) BETWEEN 0 AND 20000),
	CONSTRAINT ck_assessment_assessed_by_len CHECK (assessed_by IS NULL OR length(assessed_by) BETWEEN 1 AND 200)
)"""  # noqa: E501 - frozen DDL, one constraint a line as SQLAlchemy printed it


def _add_assessment(conn: Connection) -> None:
    """Version 10: `assessment`, the manager's month-end assessments pulled from the team
    server (issue 19.2); a laptop has none until its next sync."""
    conn.exec_driver_sql(_V10_ASSESSMENT)


def _add_kpi_summary(conn: Connection) -> None:
    """Version 11: the scorecard's running sums per UTC day, (source, industry) and stage,
    filled from the rows and kept by triggers (`db.kpi_summary`; issue 22: the whole
    scorecard took 290 ms at 1,000,000 customers)."""
    install_kpi_summary(conn)


#: Version 12's index changes, frozen as they shipped (issue 22: a customer's bytes on disk).
#: Dropped: ix_customer_name_nocase (ix_customer_list_name serves every name read),
#: ix_customer_stage (ix_customer_list_stage serves the review's touched customers) and
#: ix_contact_plan_last_done (only the writes' per-customer refresh read it since schema 4).
_V12_DROPPED = ("ix_customer_name_nocase", "ix_customer_stage", "ix_contact_plan_last_done")
#: Made again over the rows that have the column (NULLs, most rows, no longer stored); the
#: plans' done index without customer_id; stage moves without the first-stage entries.
_V12_REMADE = {
    "ix_customer_research_note_id":
        "customer (research_note_id) WHERE research_note_id IS NOT NULL",
    "ix_customer_tax_id": "customer (tax_id) WHERE tax_id IS NOT NULL",
    "ix_contact_mobile_normalized":
        "contact (mobile_normalized) WHERE mobile_normalized IS NOT NULL",
    "ix_proposal_previous_id": "proposal (previous_id) WHERE previous_id IS NOT NULL",
    "ix_contact_plan_done": "contact_plan (done_at) WHERE done_at IS NOT NULL",
    "ix_contact_plan_outcome_at": "contact_plan (outcome_at) WHERE outcome_at IS NOT NULL",
    "ix_contact_plan_rescheduled_at":
        "contact_plan (rescheduled_at) WHERE rescheduled_at IS NOT NULL",
    "ix_stage_change_changed_at":
        "stage_change (changed_at) WHERE from_stage IS NOT NULL AND deleted_at IS NULL",
}


def _smaller_indexes(conn: Connection) -> None:
    """Version 12: fewer and partial indexes for the same reads (issue 22: about 1.2 KB less
    a customer; `bench/disk_usage.py` says where each byte goes, `bench/index_usage.py`
    which reads use each index). About 7 s at 100k. The freed pages stay in the file, for
    its growth (no VACUUM: a minute and a second copy of the file at 100k)."""
    for name in _V12_DROPPED:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    for name, definition in _V12_REMADE.items():
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE INDEX {name} ON {definition}")


#: Version 13's e-mail index, frozen as it shipped: the address domain first, the domain in
#: lower case ("acme.com@jane"), so the duplicate check's "same e-mail domain" is a range of
#: it instead of a LIKE over every address (`models.email_rule`).
_V13_EMAIL_KEY = (
    "CREATE INDEX ix_contact_email_key ON contact (lower(substr(email, instr(email, '@') + 1))"
    " || '@' || substr(email, 1, instr(email, '@') - 1))"
)


def _email_key_index(conn: Connection) -> None:
    """Version 13: ix_contact_email_key in place of ix_contact_email, which every read of
    it (the same address, the import's known contacts) now reads by key: 2.2 s at 100k
    customers, and no more bytes (the key is the address turned round: 79 B a customer
    there, as the plain index)."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_contact_email")
    # An older file's earlier steps (`_create_missing_indexes`) made it from today's models:
    # made again as frozen.
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_contact_email_key")
    conn.exec_driver_sql(_V13_EMAIL_KEY)


#: version reached -> the step that reaches it from the version before.
MIGRATIONS: dict[int, Step] = {
    2: Additive(_create_missing_indexes),
    3: Additive(_add_pipeline_value),
    4: Additive(_add_last_contacted),
    5: Additive(_idle_index),
    6: _two_char_search,
    7: Additive(_add_outcome_times),
    8: Additive(_add_tax_id_and_mobile),
    9: Additive(_add_target_set_by),
    10: Additive(_add_assessment),
    11: Additive(_add_kpi_summary),
    12: Additive(_smaller_indexes),
    13: Additive(_email_key_index),
}


class MigrationError(StorageError):
    """A migration failed and was rolled back; the file is as it was."""


def create_schema(conn: Connection) -> None:
    """Create every table and index of the current schema (models + SQLite extras)."""
    import salesdev_tui.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata

    SQLModel.metadata.create_all(conn)
    create_search_index(conn)
    install_kpi_summary(conn)


def initialise(path: Path) -> None:
    """Give the empty file `path` the current schema, application_id and version.

    Runs in rollback-journal mode so the header (application_id, user_version) is in the
    main file when this returns; the file is switched to WAL afterwards.
    """
    engine = make_engine(path, wal=False)
    try:
        with writer(engine).begin() as conn:
            create_schema(conn)
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
    finally:
        engine.dispose()


def migrate(
    path: Path,
    current: int,
    *,
    steps: Mapping[int, Step] | None = None,
    target: int = SCHEMA_VERSION,
) -> None:
    """Bring the database at `path` from version `current` to `target`, all or nothing."""
    steps = MIGRATIONS if steps is None else steps
    engine: Engine = make_engine(path, foreign_keys=False)
    try:
        with writer(engine).begin() as conn:
            versions = range(current + 1, target + 1)
            # The search index's views and triggers name the tables: a table rebuild cannot
            # rename over them, so they come down first and go back up at the end. Steps
            # that only add columns and indexes leave them be (38 s saved at 100k).
            rebuilds = any(not isinstance(steps[v], Additive) for v in versions)
            if rebuilds:
                drop_search_index(conn)
                drop_kpi_triggers(conn)  # they name the tables too; the rows stay as they are
            for version in versions:
                steps[version](conn)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise MigrationError(
                    Problem.INVALID,
                    path,
                    _("The migration would break {count} references; nothing was changed.").format(
                        count=len(broken)
                    ),
                )
            if rebuilds and has_kpi_summary(conn):
                create_kpi_triggers(conn)
            if rebuilds or not has_search_index(conn):
                create_search_index(conn)
            else:
                create_list_indexes(conn)  # as create_search_index would: idempotent
            # A laptop on a team logs its changes by triggers; a step that rebuilt or
            # widened a table needs them with today's columns, before any write.
            reinstall_change_log(conn)
            conn.exec_driver_sql(f"PRAGMA user_version={target}")
    finally:
        engine.dispose()

