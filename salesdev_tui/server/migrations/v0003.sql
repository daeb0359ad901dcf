-- Server schema version 3 (issue 19.1 and 19.2): the manager's team scorecard and the
-- month-end assessment. Hand-written; run as salesdev_owner inside the schema, in one
-- transaction with the other versions (server/admin.migrate).

-- 1. The customers' maintained facts, kept on the server too.
--
-- first_contacted_at, last_contacted_at and first_signed_at are computed on the laptop from
-- the customer's records and never pushed as fields (db/sync_log.DERIVED_COLUMNS): on the
-- server they kept the value the row was inserted with. The team scorecard counts new
-- customers and prospects contacted from them exactly as the rep's scorecard does, so the
-- server now recomputes them from its own records, by the laptop's rule
-- (store/customers.refresh_customer_facts): the first and last done, live contact plan;
-- the first signed, live contract. The triggers run as the person writing (a rep's push):
-- every record of a customer is its owner's, so row-level security hides none of them.

CREATE INDEX ix_contact_plan_customer ON contact_plan (customer_id);

CREATE INDEX ix_contract_customer ON contract (customer_id);

CREATE FUNCTION customer_facts_of(customer UUID, OUT first_done VARCHAR,
    OUT last_done VARCHAR, OUT first_signed VARCHAR) LANGUAGE sql STABLE AS $$
  SELECT (SELECT min(done_at) FROM contact_plan WHERE customer_id = customer
            AND status = 'done' AND deleted_at IS NULL),
         (SELECT max(done_at) FROM contact_plan WHERE customer_id = customer
            AND status = 'done' AND deleted_at IS NULL),
         (SELECT min(signed_at) FROM contract WHERE customer_id = customer
            AND signed_at IS NOT NULL AND deleted_at IS NULL)
$$;

CREATE FUNCTION refresh_customer_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  customer UUID;
  ids UUID[];
BEGIN
  IF TG_TABLE_NAME = 'customer' THEN
    ids := ARRAY[NEW.id];
  ELSIF TG_OP = 'UPDATE' AND OLD.customer_id IS DISTINCT FROM NEW.customer_id THEN
    ids := ARRAY[OLD.customer_id, NEW.customer_id];
  ELSE
    ids := ARRAY[NEW.customer_id];
  END IF;
  FOREACH customer IN ARRAY ids LOOP
    UPDATE customer AS c
       SET first_contacted_at = f.first_done, last_contacted_at = f.last_done,
           first_signed_at = f.first_signed
      FROM customer_facts_of(customer) AS f
     WHERE c.id = customer
       AND (c.first_contacted_at, c.last_contacted_at, c.first_signed_at)
           IS DISTINCT FROM (f.first_done, f.last_done, f.first_signed);
  END LOOP;
  RETURN NULL;
END
$$;

-- Checked at commit (deferred), when a push's whole batch is in: a customer arrives before
-- its records (parents first) carrying the facts its laptop computed from them, and its
-- records then find those facts right, so a first sync writes no customer row twice (fired
-- row by row at once, they made a first push of 1,000 demo customers, 19,838 rows, take
-- 49 s instead of 29 s; deferred, 22 s against 17 s, one run each on a busy machine). What
-- a device sent is not taken on trust: a fact its records do not bear out is corrected by
-- the server's records. Only the columns the facts depend on: legal's review
-- and the manager's hand-over (owner) change none of them; a plan not done and a contract
-- not signed cannot change them when inserted.
CREATE CONSTRAINT TRIGGER customer_facts AFTER INSERT ON customer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refresh_customer_facts();

CREATE CONSTRAINT TRIGGER contract_customer_facts AFTER INSERT ON contract
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.signed_at IS NOT NULL)
    EXECUTE FUNCTION refresh_customer_facts();

CREATE CONSTRAINT TRIGGER contract_customer_facts_changed AFTER UPDATE OF signed_at,
    deleted_at, customer_id ON contract DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION refresh_customer_facts();

CREATE CONSTRAINT TRIGGER contact_plan_customer_facts AFTER INSERT ON contact_plan
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'done')
    EXECUTE FUNCTION refresh_customer_facts();

CREATE CONSTRAINT TRIGGER contact_plan_customer_facts_changed AFTER UPDATE OF status,
    done_at, deleted_at, customer_id ON contact_plan DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_customer_facts();

-- The rows already on the server: their facts once, from their records. The owner role
-- is subject to row-level security (FORCE) and has no policy: lifted for this transaction.
ALTER TABLE customer NO FORCE ROW LEVEL SECURITY;

ALTER TABLE contact_plan NO FORCE ROW LEVEL SECURITY;

ALTER TABLE contract NO FORCE ROW LEVEL SECURITY;

UPDATE customer AS c
   SET first_contacted_at = f.first_done, last_contacted_at = f.last_done,
       first_signed_at = f.first_signed
  FROM customer AS k CROSS JOIN LATERAL customer_facts_of(k.id) AS f
 WHERE c.id = k.id
   AND (c.first_contacted_at, c.last_contacted_at, c.first_signed_at)
       IS DISTINCT FROM (f.first_done, f.last_done, f.first_signed);

ALTER TABLE customer FORCE ROW LEVEL SECURITY;

ALTER TABLE contact_plan FORCE ROW LEVEL SECURITY;

ALTER TABLE contract FORCE ROW LEVEL SECURITY;

-- 2. The team scorecard's reads (server/team_figures.py): each figure one range read of a
-- covering partial index of live rows, grouped by owner (the same ranges as the laptop's
-- store/today_queries.kpi_figures).

CREATE INDEX ix_customer_first_signed_team ON customer (first_signed_at) INCLUDE (owner)
    WHERE deleted_at IS NULL;

CREATE INDEX ix_customer_first_contacted_team ON customer (first_contacted_at)
    INCLUDE (owner) WHERE deleted_at IS NULL;

CREATE INDEX ix_contract_signed_team ON contract (signed_at) INCLUDE (owner, value, cost)
    WHERE deleted_at IS NULL;

CREATE INDEX ix_survey_taken_team ON survey (taken_at) INCLUDE (owner, score)
    WHERE deleted_at IS NULL;

CREATE INDEX ix_target_owner_period ON target (owner, period_kind, period_label)
    WHERE deleted_at IS NULL;

-- The manager reads one rep's customers (the drill-down), by name.
CREATE INDEX ix_customer_owner_name ON customer (owner, name) WHERE deleted_at IS NULL;

-- 3. The month-end assessment (issue 19.2): written by the manager for a rep (its owner),
-- read by that rep (pulled to the laptop), never written by a rep.

CREATE TABLE assessment (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL,
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
);

-- One live assessment per rep and period: saving again updates it.
CREATE UNIQUE INDEX uq_assessment_owner_period ON assessment (owner, period_kind, period_label)
    WHERE deleted_at IS NULL;

CREATE INDEX ix_assessment_owner_txid ON assessment (owner, server_txid);

CREATE TRIGGER assessment_touch BEFORE INSERT OR UPDATE ON assessment FOR EACH ROW
    EXECUTE FUNCTION touch();

CREATE TRIGGER assessment_gone AFTER UPDATE OF owner ON assessment FOR EACH ROW
    WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

ALTER TABLE assessment ENABLE ROW LEVEL SECURITY;

ALTER TABLE assessment FORCE ROW LEVEL SECURITY;

GRANT SELECT ON assessment TO salesdev_rep;

GRANT SELECT, INSERT, UPDATE ON assessment TO salesdev_manager;

CREATE POLICY rep_reads_own ON assessment FOR SELECT TO salesdev_rep
    USING (owner = current_user);

CREATE POLICY manager_reads ON assessment FOR SELECT TO salesdev_manager USING (true);

-- A manager assesses reps only, under the manager's own name.
CREATE POLICY manager_assesses ON assessment FOR INSERT TO salesdev_manager
    WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER') AND assessed_by = current_user);

CREATE POLICY manager_revises ON assessment FOR UPDATE TO salesdev_manager USING (true)
    WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER') AND assessed_by = current_user);
