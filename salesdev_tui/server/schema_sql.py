"""The server schema written out from the models, for freezing into a migration.

`python -m salesdev_tui.server.schema_sql` prints version 1 as it would be made from
today's models; `server/migrations/v0001.sql` holds what was printed when version 1 was
made, and the migration runs that file, never this code (an old migration must not change
when the models do). `tests/server/test_server_schema.py` fails when a model gains a
column the server schema lacks: then write the next migration by hand.

Only the tables, their checks, primary and foreign keys come from the models. The SQLite
read indexes stay on the laptop: the server is read by sync (owner + change order) and by
the manager's views, which get their own indexes when they are built.
"""

from __future__ import annotations

from salesdev_tui.server.roles import GROUPS, OWNER, SCHEMA, TeamRole

#: The contract columns the legal department may change (policy III.7), and nothing else.
LEGAL_REVIEW_COLUMNS = ("legal_review", "legal_reviewer", "legal_reviewed_at",
                        "legal_comments", "updated_at")
#: The customer columns legal may read: enough to know whose contract it is.
LEGAL_CUSTOMER_COLUMNS = ("id", "name", "tax_id", "owner")


def _tables_sql() -> list[str]:
    # SQLAlchemy only here: `server.admin` imports this module for the preamble, and every
    # team command (legal queue, team status) imports admin for ServerError.
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from salesdev_tui.models.tables import ALL_TABLES

    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    statements = []
    for model in ALL_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        ddl = str(CreateTable(table).compile(dialect=dialect)).strip()
        # Every row carries its owner (the rep's login role) and the transaction that last
        # wrote it, which orders the pulls (see server/pull.py: a txid below the snapshot's
        # xmin is settled, so a cursor over txids never skips a late commit).
        head, tail = ddl.split("\n", 1)
        # field_hlc: each field's last change as [hlc, device] (the sync's merge decides
        # field by field, the later change winning; see server/push.py).
        ddl = (f"{head}\n\towner TEXT NOT NULL DEFAULT current_user,"
               f"\n\tserver_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),"
               f"\n\tfield_hlc JSONB NOT NULL DEFAULT '{{}}',\n{tail}")
        statements.append(ddl)
    return statements


def _per_table_sql(name: str, child: bool = False) -> list[str]:
    rep, manager = TeamRole.REP.group, TeamRole.MANAGER.group
    # A customer's record is written only under the rep's own customer: a foreign key does
    # not look through row-level security, so without this a rep could attach rows to a
    # customer handed to someone else (the policy's subquery sees own customers only).
    check = "owner = current_user" + (
        " AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id)" if child else "")
    return [
        f"CREATE INDEX ix_{name}_owner_txid ON {name} (owner, server_txid)",
        f"CREATE TRIGGER {name}_touch BEFORE INSERT OR UPDATE ON {name}"
        " FOR EACH ROW EXECUTE FUNCTION touch()",
        f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {rep}",
        f"GRANT SELECT ON {name} TO {manager}",
        f"GRANT UPDATE (owner) ON {name} TO {manager}",
        # A rep: own rows only, both ways (a write naming another owner is refused).
        f"CREATE POLICY rep_own ON {name} FOR ALL TO {rep}"
        f" USING (owner = current_user) WITH CHECK ({check})",
        f"CREATE POLICY manager_reads ON {name} FOR SELECT TO {manager} USING (true)",
        # A manager hands a customer (and its records) to another rep; to nobody else.
        f"CREATE POLICY manager_hands_over ON {name} FOR UPDATE TO {manager} USING (true)"
        f" WITH CHECK (pg_has_role(owner, '{rep}', 'MEMBER'))",
    ]


def _touch_sql() -> str:
    """Every write records its transaction; an UPDATE that changed a field without giving
    it a clock (legal's review, the manager, an administrator's SQL: only the sync writes
    field_hlc) gets a server stamp [max(now, latest stamp + 1), the login role], so a
    device that changed the same field concurrently records a conflict instead of
    silently overwriting it (server/push.py compares stamps)."""
    from salesdev_tui.db.sync_log import DERIVED_COLUMNS, ROW_COLUMNS

    skipped = ", ".join(f"'{c}'" for c in sorted({*DERIVED_COLUMNS, *ROW_COLUMNS,
                                                   "owner", "server_txid", "field_hlc"}))
    return (
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE\n  before JSONB;\n  after JSONB;\n  name TEXT;\n  stamp BIGINT;\n"
        "BEGIN\n  NEW.server_txid := pg_current_xact_id();\n"
        "  IF TG_OP = 'UPDATE' THEN\n"
        "    before := to_jsonb(OLD);\n    after := to_jsonb(NEW);\n"
        "    FOR name IN SELECT key FROM jsonb_object_keys(after) AS key"
        f" WHERE key NOT IN ({skipped})"
        " AND after -> key IS DISTINCT FROM before -> key"
        " AND NEW.field_hlc -> key IS NOT DISTINCT FROM OLD.field_hlc -> key LOOP\n"
        "      SELECT greatest((extract(epoch FROM clock_timestamp()) * 1000)::BIGINT << 16,"
        " coalesce(max((value ->> 0)::BIGINT), 0) + 1) INTO stamp"
        " FROM jsonb_each(NEW.field_hlc);\n"
        "      NEW.field_hlc := NEW.field_hlc || jsonb_build_object(name,"
        " jsonb_build_array(stamp, current_user));\n"
        "    END LOOP;\n  END IF;\n  RETURN NEW;\nEND\n$$")


def render_schema_v1() -> str:
    """The SQL of server schema version 1, run as the owner role inside the schema."""
    from salesdev_tui.models.tables import ALL_TABLES

    names: list[str] = [str(model.__table__.name)  # type: ignore[attr-defined]
                        for model in ALL_TABLES]
    children = [name for name in names
                if "customer_id" in ALL_TABLES[names.index(name)].model_fields]
    legal, manager = TeamRole.LEGAL.group, TeamRole.MANAGER.group
    statements = [
        # The bookkeeping: which server schema version this is.
        "CREATE TABLE server_schema (version INTEGER NOT NULL)",
        "INSERT INTO server_schema VALUES (1)",
        # Who is on the team (names only; what they may do is their group role).
        "CREATE TABLE member (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK"
        " (role IN ('rep', 'manager', 'legal')), added_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        *(f"GRANT SELECT ON member TO {group}" for group in GROUPS),
        _touch_sql(),
        *_tables_sql(),
        # Where two devices (or a rep and the manager) changed the same field: the value
        # kept and the one that lost, for the rep to accept or restore (issue 18.4).
        "CREATE TABLE sync_conflict (id UUID PRIMARY KEY,"
        " owner TEXT NOT NULL DEFAULT current_user,"
        " server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),"
        " field_hlc JSONB NOT NULL DEFAULT '{}',"
        " table_name TEXT NOT NULL, row_id UUID NOT NULL, field TEXT NOT NULL,"
        " kept_value TEXT, lost_value TEXT, kept_hlc BIGINT NOT NULL, lost_hlc BIGINT NOT NULL,"
        " noted_at TIMESTAMPTZ NOT NULL DEFAULT now(), resolved_at TEXT, resolution TEXT)",
    ]
    for name in [*names, "sync_conflict"]:
        statements.extend(_per_table_sql(name, child=name in children))
    # A row handed to another rep disappears from the old owner's view; this log tells the
    # old owner's devices to drop their copy (read by pull.gone_rows).
    rep = TeamRole.REP.group
    statements += [
        "CREATE TABLE sync_gone (id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL,"
        " table_name TEXT NOT NULL, row_id UUID NOT NULL,"
        " server_txid XID8 NOT NULL DEFAULT pg_current_xact_id())",
        "CREATE INDEX ix_sync_gone_owner_txid ON sync_gone (owner, server_txid)",
        "ALTER TABLE sync_gone ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE sync_gone FORCE ROW LEVEL SECURITY",
        f"GRANT SELECT ON sync_gone TO {rep}, {manager}",
        f"GRANT INSERT ON sync_gone TO {manager}",
        f"GRANT USAGE ON SEQUENCE sync_gone_id_seq TO {manager}",
        f"CREATE POLICY rep_reads_gone ON sync_gone FOR SELECT TO {rep}"
        " USING (owner = current_user)",
        f"CREATE POLICY manager_reads_gone ON sync_gone FOR SELECT TO {manager} USING (true)",
        f"CREATE POLICY manager_logs_gone ON sync_gone FOR INSERT TO {manager}"
        " WITH CHECK (true)",
        "CREATE FUNCTION log_gone() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  INSERT INTO sync_gone (owner, table_name, row_id)"
        " VALUES (OLD.owner, TG_TABLE_NAME, OLD.id);\n  RETURN NEW;\nEND\n$$",
        *(f"CREATE TRIGGER {name}_gone AFTER UPDATE OF owner ON {name} FOR EACH ROW"
          " WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone()"
          for name in names),
    ]
    # A handover moves the customer's records with it (the manager may change owner only).
    statements.append(
        "CREATE FUNCTION hand_over_records() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        + "".join(f"  UPDATE {child} SET owner = NEW.owner WHERE customer_id = NEW.id"
                  " AND owner <> NEW.owner;\n" for child in children)
        + "  RETURN NULL;\nEND\n$$")
    statements.append(
        "CREATE TRIGGER customer_hand_over AFTER UPDATE OF owner ON customer"
        " FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner)"
        " EXECUTE FUNCTION hand_over_records()")
    # Targets are the manager's to set too (policy V); rows stay the rep's.
    statements += [
        f"GRANT INSERT, UPDATE, DELETE ON target TO {manager}",
        f"CREATE POLICY manager_sets_targets ON target FOR ALL TO {manager} USING (true)"
        f" WITH CHECK (pg_has_role(owner, '{TeamRole.REP.group}', 'MEMBER'))",
    ]
    # Legal: contracts sent for review, their customer's name, and the review fields only.
    sent = "legal_sent_at IS NOT NULL AND deleted_at IS NULL"
    statements += [
        f"GRANT SELECT ON contract TO {legal}",
        f"GRANT UPDATE ({', '.join(LEGAL_REVIEW_COLUMNS)}) ON contract TO {legal}",
        f"CREATE POLICY legal_reads_sent ON contract FOR SELECT TO {legal} USING ({sent})",
        f"CREATE POLICY legal_reviews ON contract FOR UPDATE TO {legal}"
        f" USING ({sent} AND signed_at IS NULL) WITH CHECK ({sent} AND signed_at IS NULL)",
        f"GRANT SELECT ({', '.join(LEGAL_CUSTOMER_COLUMNS)}) ON customer TO {legal}",
        f"CREATE POLICY legal_reads_customers ON customer FOR SELECT TO {legal} USING"
        " (EXISTS (SELECT 1 FROM contract c WHERE c.customer_id = customer.id"
        " AND c.legal_sent_at IS NOT NULL AND c.deleted_at IS NULL))",
    ]
    return ";\n\n".join(statements) + ";\n"


def schema_preamble() -> list[str]:
    """Run as an administrator before a version's SQL: the roles and the schema."""
    groups = [f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN; EXCEPTION WHEN duplicate_object"
              " THEN NULL; END $$" for group in (OWNER, *GROUPS)]
    return [*groups,
            f"CREATE SCHEMA IF NOT EXISTS {SCHEMA} AUTHORIZATION {OWNER}",
            *(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {group}" for group in GROUPS)]


if __name__ == "__main__":  # pragma: no cover - the freezing step, run by hand
    print(render_schema_v1(), end="")
