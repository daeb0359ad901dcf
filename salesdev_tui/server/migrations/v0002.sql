-- Server schema version 2: a customer's hand-over takes every record with it, a rep
-- attaches records only under parents of their own, changes a rep made offline to a
-- customer handed away are kept for the manager, and targets set by the manager.
-- Hand-written; run as salesdev_owner inside the schema (server/admin.py). Frozen once
-- deployed, like v0001.sql.

-- 0. Members read the schema version: a laptop refuses, in plain words, a server older than
-- what it writes (a target's set_by, the leftovers below) instead of failing mid-sync.
GRANT SELECT ON server_schema TO salesdev_rep, salesdev_manager, salesdev_legal;

-- 1. Records that reach a customer only through a parent (a proposal's lines, a
-- negotiation's points) move with their parent. Version 1's hand_over_records moved only
-- the tables with a customer_id; the parent's owner change now cascades one level down.
CREATE FUNCTION hand_over_grandchildren() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'proposal' THEN
    UPDATE proposal_line SET owner = NEW.owner WHERE proposal_id = NEW.id AND owner <> NEW.owner;
  ELSIF TG_TABLE_NAME = 'negotiation' THEN
    UPDATE negotiation_point SET owner = NEW.owner WHERE negotiation_id = NEW.id AND owner <> NEW.owner;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER proposal_hand_over AFTER UPDATE OF owner ON proposal FOR EACH ROW
  WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION hand_over_grandchildren();

CREATE TRIGGER negotiation_hand_over AFTER UPDATE OF owner ON negotiation FOR EACH ROW
  WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION hand_over_grandchildren();

-- Each owner change finds a customer's records by these (version 1 made no read index on
-- the server: without them each moved customer read every row of every table; 2,000
-- customers took 107 s). Named for this use: the manager's views may add their own.
CREATE INDEX ix_handover_contact ON contact (customer_id);

CREATE INDEX ix_handover_contact_plan ON contact_plan (customer_id);

CREATE INDEX ix_handover_needs_note ON needs_note (customer_id);

CREATE INDEX ix_handover_proposal ON proposal (customer_id);

CREATE INDEX ix_handover_negotiation ON negotiation (customer_id);

CREATE INDEX ix_handover_contract ON contract (customer_id);

CREATE INDEX ix_handover_milestone ON milestone (customer_id);

CREATE INDEX ix_handover_progress_report ON progress_report (customer_id);

CREATE INDEX ix_handover_survey ON survey (customer_id);

CREATE INDEX ix_handover_credit_check ON credit_check (customer_id);

CREATE INDEX ix_handover_competitor_note ON competitor_note (customer_id);

CREATE INDEX ix_handover_stage_change ON stage_change (customer_id);

CREATE INDEX ix_handover_field_edit ON field_edit (customer_id);

CREATE INDEX ix_handover_proposal_line ON proposal_line (proposal_id);

CREATE INDEX ix_handover_negotiation_point ON negotiation_point (negotiation_id);

-- A customer's research note is the old rep's market research, not the customer's
-- history: it stays with the old rep, and the handed-over customer no longer points at a
-- row the new rep cannot see (their laptop's foreign key would refuse the customer).
-- Runs before customer_touch (triggers fire by name), which stamps the change.
CREATE FUNCTION hand_over_unlinks_research() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.research_note_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM research_note r
      WHERE r.id = NEW.research_note_id AND r.owner = NEW.owner) THEN
    NEW.research_note_id := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER customer_hand_over_research BEFORE UPDATE OF owner ON customer FOR EACH ROW
  WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION hand_over_unlinks_research();

-- Hand-overs made under version 1 left lines and points with the old rep: repair them
-- (the owner is subject to its own forced row-level security and has no policy, so the
-- repair lifts the force for this transaction only). The moves are logged in sync_gone
-- and stamped by touch() like any hand-over, so the next syncs move the laptops' copies.
ALTER TABLE proposal NO FORCE ROW LEVEL SECURITY;
ALTER TABLE proposal_line NO FORCE ROW LEVEL SECURITY;
ALTER TABLE negotiation NO FORCE ROW LEVEL SECURITY;
ALTER TABLE negotiation_point NO FORCE ROW LEVEL SECURITY;
ALTER TABLE research_note NO FORCE ROW LEVEL SECURITY;
ALTER TABLE customer NO FORCE ROW LEVEL SECURITY;
ALTER TABLE sync_gone NO FORCE ROW LEVEL SECURITY;

UPDATE proposal_line l SET owner = p.owner FROM proposal p
  WHERE p.id = l.proposal_id AND l.owner <> p.owner;

UPDATE negotiation_point n SET owner = g.owner FROM negotiation g
  WHERE g.id = n.negotiation_id AND n.owner <> g.owner;

UPDATE customer c SET research_note_id = NULL FROM research_note r
  WHERE r.id = c.research_note_id AND r.owner <> c.owner;

ALTER TABLE proposal FORCE ROW LEVEL SECURITY;
ALTER TABLE proposal_line FORCE ROW LEVEL SECURITY;
ALTER TABLE negotiation FORCE ROW LEVEL SECURITY;
ALTER TABLE negotiation_point FORCE ROW LEVEL SECURITY;
ALTER TABLE research_note FORCE ROW LEVEL SECURITY;
ALTER TABLE customer FORCE ROW LEVEL SECURITY;
ALTER TABLE sync_gone FORCE ROW LEVEL SECURITY;

-- 2. A rep writes a record only under parents that are the rep's own. A foreign key does
-- not look through row-level security: without these a rep could attach a proposal line
-- to a proposal (or a plan to a contact, a milestone to a contract) of a customer handed
-- to someone else. Restrictive policies: they add to rep_own (which checks customer_id)
-- without replacing it. The subqueries see the rep's own rows only. (A proposal's
-- previous version is not checked: a policy on proposal cannot read proposal, and both
-- versions are the same customer's, which rep_own checks.)
CREATE POLICY rep_own_parents ON customer AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (research_note_id IS NULL OR EXISTS (SELECT 1 FROM research_note p WHERE p.id = research_note_id));

CREATE POLICY rep_own_parents ON contact_plan AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (contact_id IS NULL OR EXISTS (SELECT 1 FROM contact p WHERE p.id = contact_id));

CREATE POLICY rep_own_parents ON proposal_line AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (EXISTS (SELECT 1 FROM proposal p WHERE p.id = proposal_id));

CREATE POLICY rep_own_parents ON negotiation AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (proposal_id IS NULL OR EXISTS (SELECT 1 FROM proposal p WHERE p.id = proposal_id));

CREATE POLICY rep_own_parents ON negotiation_point AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (EXISTS (SELECT 1 FROM negotiation p WHERE p.id = negotiation_id));

CREATE POLICY rep_own_parents ON contract AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (proposal_id IS NULL OR EXISTS (SELECT 1 FROM proposal p WHERE p.id = proposal_id));

CREATE POLICY rep_own_parents ON milestone AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (contract_id IS NULL OR EXISTS (SELECT 1 FROM contract p WHERE p.id = contract_id));

CREATE POLICY rep_own_parents ON progress_report AS RESTRICTIVE FOR ALL TO salesdev_rep USING (true)
  WITH CHECK (contract_id IS NULL OR EXISTS (SELECT 1 FROM contract p WHERE p.id = contract_id));

-- 3. Changes a rep made offline to a customer the manager has since handed to another rep
-- cannot be written into the new rep's rows (row-level security refuses them). The old
-- rep's sync leaves them here before it removes its copy, for the manager to read and pass
-- on: nothing is silently lost, and nothing of the customer stays on the old laptop.
CREATE TABLE handover_leftover (
  id UUID PRIMARY KEY,
  owner TEXT NOT NULL DEFAULT current_user,
  customer_id UUID NOT NULL,
  table_name TEXT NOT NULL,
  row_id UUID NOT NULL,
  fields JSONB NOT NULL,
  noted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ix_handover_leftover_customer ON handover_leftover (customer_id);

ALTER TABLE handover_leftover ENABLE ROW LEVEL SECURITY;

ALTER TABLE handover_leftover FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT ON handover_leftover TO salesdev_rep;

GRANT SELECT ON handover_leftover TO salesdev_manager;

-- Only about a customer that was this rep's and was handed away from them.
CREATE POLICY rep_leaves_changes ON handover_leftover FOR INSERT TO salesdev_rep
  WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM sync_gone g
    WHERE g.owner = current_user AND g.table_name = 'customer' AND g.row_id = customer_id));

CREATE POLICY rep_reads_own_leftovers ON handover_leftover FOR SELECT TO salesdev_rep
  USING (owner = current_user);

CREATE POLICY manager_reads_leftovers ON handover_leftover FOR SELECT TO salesdev_manager
  USING (true);

-- 4. Targets set by the manager (issue 19.3): set_by names the manager; a rep's own have
-- none. The rep reads the manager's but may neither write one nor change or delete it (a
-- forbidden change is 0 rows, as row-level security does); the manager writes only
-- targets set by a manager, signed with their own name, never the rep's own.
ALTER TABLE target ADD COLUMN set_by VARCHAR
  CONSTRAINT ck_target_set_by_len CHECK (set_by IS NULL OR length(set_by) BETWEEN 1 AND 63);

CREATE UNIQUE INDEX uq_target_set_by_manager ON target (owner, period_kind, period_label, kpi)
  WHERE deleted_at IS NULL AND set_by IS NOT NULL;

CREATE POLICY rep_adds_own_targets ON target AS RESTRICTIVE FOR INSERT TO salesdev_rep
  WITH CHECK (set_by IS NULL);

CREATE POLICY rep_changes_own_targets ON target AS RESTRICTIVE FOR UPDATE TO salesdev_rep
  USING (set_by IS NULL) WITH CHECK (set_by IS NULL);

CREATE POLICY rep_deletes_own_targets ON target AS RESTRICTIVE FOR DELETE TO salesdev_rep
  USING (set_by IS NULL);

CREATE POLICY manager_adds_targets ON target AS RESTRICTIVE FOR INSERT TO salesdev_manager
  WITH CHECK (set_by = current_user);

CREATE POLICY manager_changes_targets ON target AS RESTRICTIVE FOR UPDATE TO salesdev_manager
  USING (set_by IS NOT NULL) WITH CHECK (set_by = current_user);

CREATE POLICY manager_deletes_targets ON target AS RESTRICTIVE FOR DELETE TO salesdev_manager
  USING (set_by IS NOT NULL);
