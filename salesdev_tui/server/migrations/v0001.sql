CREATE TABLE server_schema (version INTEGER NOT NULL);

INSERT INTO server_schema VALUES (1);

CREATE TABLE member (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'legal')), added_at TIMESTAMPTZ NOT NULL DEFAULT now());

GRANT SELECT ON member TO salesdev_rep;

GRANT SELECT ON member TO salesdev_manager;

GRANT SELECT ON member TO salesdev_legal;

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before JSONB;
  after JSONB;
  name TEXT;
  stamp BIGINT;
BEGIN
  NEW.server_txid := pg_current_xact_id();
  IF TG_OP = 'UPDATE' THEN
    before := to_jsonb(OLD);
    after := to_jsonb(NEW);
    FOR name IN SELECT key FROM jsonb_object_keys(after) AS key WHERE key NOT IN ('created_at', 'field_hlc', 'first_contacted_at', 'first_signed_at', 'id', 'last_contacted_at', 'mobile_normalized', 'name_key', 'owner', 'phone_normalized', 'pipeline_value', 'server_txid') AND after -> key IS DISTINCT FROM before -> key AND NEW.field_hlc -> key IS NOT DISTINCT FROM OLD.field_hlc -> key LOOP
      SELECT greatest((extract(epoch FROM clock_timestamp()) * 1000)::BIGINT << 16, coalesce(max((value ->> 0)::BIGINT), 0) + 1) INTO stamp FROM jsonb_each(NEW.field_hlc);
      NEW.field_hlc := NEW.field_hlc || jsonb_build_object(name, jsonb_build_array(stamp, current_user));
    END LOOP;
  END IF;
  RETURN NEW;
END
$$;

CREATE TABLE research_note (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	title VARCHAR NOT NULL, 
	industry VARCHAR, 
	region VARCHAR, 
	trends VARCHAR, 
	competitors_seen VARCHAR, 
	leads_found VARCHAR, 
	noted_on VARCHAR(10) NOT NULL, 
	CONSTRAINT pk_research_note PRIMARY KEY (id), 
	CONSTRAINT ck_research_note_title_len CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200), 
	CONSTRAINT ck_research_note_industry_len CHECK (industry IS NULL OR length(industry) BETWEEN 0 AND 120), 
	CONSTRAINT ck_research_note_region_len CHECK (region IS NULL OR length(region) BETWEEN 0 AND 120), 
	CONSTRAINT ck_research_note_trends_len CHECK (trends IS NULL OR length(trends) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_research_note_competitors_seen_len CHECK (competitors_seen IS NULL OR length(competitors_seen) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_research_note_leads_found_len CHECK (leads_found IS NULL OR length(leads_found) BETWEEN 0 AND 20000)
);

CREATE TABLE customer (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	name VARCHAR NOT NULL, 
	name_key VARCHAR NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	lost_reason VARCHAR, 
	source VARCHAR(20), 
	source_detail VARCHAR, 
	research_note_id UUID, 
	industry VARCHAR, 
	size VARCHAR(20), 
	potential VARCHAR(20), 
	needs_preferences VARCHAR, 
	purchasing_power VARCHAR(20), 
	address VARCHAR, 
	website VARCHAR, 
	notes VARCHAR, 
	revisit_days INTEGER, 
	first_contacted_at VARCHAR(26), 
	first_signed_at VARCHAR(26), 
	last_activity_at VARCHAR(26), 
	pipeline_value BIGINT, 
	last_contacted_at VARCHAR(26), 
	tax_id VARCHAR, 
	CONSTRAINT pk_customer PRIMARY KEY (id), 
	CONSTRAINT ck_customer_name_len CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200), 
	CONSTRAINT ck_customer_tax_id_len CHECK (tax_id IS NULL OR length(tax_id) BETWEEN 0 AND 32), 
	CONSTRAINT ck_customer_stage_enum CHECK (stage IN ('prospect', 'contacted', 'needs', 'proposal', 'negotiation', 'contract', 'won', 'lost')), 
	CONSTRAINT ck_customer_source_enum CHECK (source IS NULL OR source IN ('trade_show', 'online', 'referral', 'research', 'other')), 
	CONSTRAINT ck_customer_size_enum CHECK (size IS NULL OR size IN ('micro', 'small', 'medium', 'large', 'enterprise')), 
	CONSTRAINT ck_customer_potential_enum CHECK (potential IS NULL OR potential IN ('A', 'B', 'C')), 
	CONSTRAINT ck_customer_purchasing_power_enum CHECK (purchasing_power IS NULL OR purchasing_power IN ('low', 'medium', 'high')), 
	CONSTRAINT ck_customer_lost_reason_len CHECK (lost_reason IS NULL OR length(lost_reason) BETWEEN 0 AND 1000), 
	CONSTRAINT ck_customer_source_detail_len CHECK (source_detail IS NULL OR length(source_detail) BETWEEN 0 AND 200), 
	CONSTRAINT ck_customer_industry_len CHECK (industry IS NULL OR length(industry) BETWEEN 0 AND 120), 
	CONSTRAINT ck_customer_needs_preferences_len CHECK (needs_preferences IS NULL OR length(needs_preferences) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_customer_address_len CHECK (address IS NULL OR length(address) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_customer_website_len CHECK (website IS NULL OR length(website) BETWEEN 0 AND 200), 
	CONSTRAINT ck_customer_notes_len CHECK (notes IS NULL OR length(notes) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_customer_revisit_days_range CHECK (revisit_days IS NULL OR revisit_days BETWEEN 1 AND 3650), 
	CONSTRAINT fk_customer_research_note_id_research_note FOREIGN KEY(research_note_id) REFERENCES research_note (id) ON DELETE RESTRICT
);

CREATE TABLE contact (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	name VARCHAR NOT NULL, 
	role VARCHAR, 
	phone VARCHAR, 
	phone_normalized VARCHAR, 
	email VARCHAR, 
	is_primary BOOLEAN NOT NULL, 
	notes VARCHAR, 
	mobile VARCHAR, 
	mobile_normalized VARCHAR, 
	CONSTRAINT pk_contact PRIMARY KEY (id), 
	CONSTRAINT ck_contact_name_len CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200), 
	CONSTRAINT ck_contact_role_len CHECK (role IS NULL OR length(role) BETWEEN 0 AND 120), 
	CONSTRAINT ck_contact_phone_len CHECK (phone IS NULL OR length(phone) BETWEEN 0 AND 40), 
	CONSTRAINT ck_contact_phone_normalized_len CHECK (phone_normalized IS NULL OR length(phone_normalized) BETWEEN 0 AND 40), 
	CONSTRAINT ck_contact_mobile_len CHECK (mobile IS NULL OR length(mobile) BETWEEN 0 AND 40), 
	CONSTRAINT ck_contact_mobile_normalized_len CHECK (mobile_normalized IS NULL OR length(mobile_normalized) BETWEEN 0 AND 40), 
	CONSTRAINT ck_contact_email_len CHECK (email IS NULL OR length(email) BETWEEN 0 AND 254), 
	CONSTRAINT ck_contact_notes_len CHECK (notes IS NULL OR length(notes) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_contact_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE contact_plan (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	contact_id UUID, 
	method VARCHAR(20) NOT NULL, 
	scheduled_at VARCHAR(26) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	done_at VARCHAR(26), 
	agenda VARCHAR, 
	outcome VARCHAR, 
	next_step VARCHAR, 
	outcome_at VARCHAR(26), 
	rescheduled_at VARCHAR(26), 
	CONSTRAINT pk_contact_plan PRIMARY KEY (id), 
	CONSTRAINT ck_contact_plan_method_enum CHECK (method IN ('phone', 'email', 'visit', 'meeting', 'other')), 
	CONSTRAINT ck_contact_plan_status_enum CHECK (status IN ('planned', 'done', 'missed', 'cancelled')), 
	CONSTRAINT ck_contact_plan_done_at_iff_done CHECK ((status = 'done') = (done_at IS NOT NULL)), 
	CONSTRAINT ck_contact_plan_agenda_len CHECK (agenda IS NULL OR length(agenda) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contact_plan_outcome_len CHECK (outcome IS NULL OR length(outcome) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contact_plan_next_step_len CHECK (next_step IS NULL OR length(next_step) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_contact_plan_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_contact_plan_contact_id_contact FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE RESTRICT
);

CREATE TABLE needs_note (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	text VARCHAR NOT NULL, 
	priority VARCHAR(20) NOT NULL, 
	budget BIGINT, 
	decision_maker VARCHAR, 
	timeline VARCHAR, 
	noted_at VARCHAR(26) NOT NULL, 
	CONSTRAINT pk_needs_note PRIMARY KEY (id), 
	CONSTRAINT ck_needs_note_kind_enum CHECK (kind IN ('need', 'pain_point', 'concern', 'requirement')), 
	CONSTRAINT ck_needs_note_priority_enum CHECK (priority IN ('high', 'medium', 'low')), 
	CONSTRAINT ck_needs_note_text_len CHECK (text IS NULL OR length(text) BETWEEN 1 AND 20000), 
	CONSTRAINT ck_needs_note_budget_nonneg CHECK (budget IS NULL OR budget >= 0), 
	CONSTRAINT ck_needs_note_decision_maker_len CHECK (decision_maker IS NULL OR length(decision_maker) BETWEEN 0 AND 200), 
	CONSTRAINT ck_needs_note_timeline_len CHECK (timeline IS NULL OR length(timeline) BETWEEN 0 AND 120), 
	CONSTRAINT fk_needs_note_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE proposal (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	previous_id UUID, 
	version INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	price_structure VARCHAR, 
	delivery_method VARCHAR, 
	delivery_time VARCHAR, 
	after_sales VARCHAR, 
	valid_until VARCHAR(10), 
	presented_at VARCHAR(26), 
	notes VARCHAR, 
	CONSTRAINT pk_proposal PRIMARY KEY (id), 
	CONSTRAINT ck_proposal_status_enum CHECK (status IN ('draft', 'presented', 'accepted', 'rejected')), 
	CONSTRAINT ck_proposal_title_len CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200), 
	CONSTRAINT ck_proposal_version_positive CHECK (version >= 1), 
	CONSTRAINT ck_proposal_price_structure_len CHECK (price_structure IS NULL OR length(price_structure) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_proposal_delivery_method_len CHECK (delivery_method IS NULL OR length(delivery_method) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_proposal_delivery_time_len CHECK (delivery_time IS NULL OR length(delivery_time) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_proposal_after_sales_len CHECK (after_sales IS NULL OR length(after_sales) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_proposal_notes_len CHECK (notes IS NULL OR length(notes) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_proposal_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_proposal_previous_id_proposal FOREIGN KEY(previous_id) REFERENCES proposal (id) ON DELETE RESTRICT
);

CREATE TABLE proposal_line (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	proposal_id UUID NOT NULL, 
	position INTEGER NOT NULL, 
	product VARCHAR NOT NULL, 
	description VARCHAR, 
	quantity BIGINT NOT NULL, 
	unit_price BIGINT NOT NULL, 
	discount_pct BIGINT NOT NULL, 
	CONSTRAINT pk_proposal_line PRIMARY KEY (id), 
	CONSTRAINT ck_proposal_line_product_len CHECK (product IS NULL OR length(product) BETWEEN 1 AND 200), 
	CONSTRAINT ck_proposal_line_description_len CHECK (description IS NULL OR length(description) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_proposal_line_quantity_nonneg CHECK (quantity IS NULL OR quantity >= 0), 
	CONSTRAINT ck_proposal_line_unit_price_nonneg CHECK (unit_price IS NULL OR unit_price >= 0), 
	CONSTRAINT ck_proposal_line_discount_pct_range CHECK (discount_pct BETWEEN 0 AND 10000), 
	CONSTRAINT fk_proposal_line_proposal_id_proposal FOREIGN KEY(proposal_id) REFERENCES proposal (id) ON DELETE RESTRICT
);

CREATE TABLE negotiation (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	proposal_id UUID, 
	held_at VARCHAR(26) NOT NULL, 
	our_attendees VARCHAR, 
	their_attendees VARCHAR, 
	next_steps VARCHAR, 
	strategy_notes VARCHAR, 
	CONSTRAINT pk_negotiation PRIMARY KEY (id), 
	CONSTRAINT ck_negotiation_our_attendees_len CHECK (our_attendees IS NULL OR length(our_attendees) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_negotiation_their_attendees_len CHECK (their_attendees IS NULL OR length(their_attendees) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_negotiation_next_steps_len CHECK (next_steps IS NULL OR length(next_steps) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_negotiation_strategy_notes_len CHECK (strategy_notes IS NULL OR length(strategy_notes) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_negotiation_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_negotiation_proposal_id_proposal FOREIGN KEY(proposal_id) REFERENCES proposal (id) ON DELETE RESTRICT
);

CREATE TABLE negotiation_point (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	negotiation_id UUID NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	text VARCHAR NOT NULL, 
	resolved BOOLEAN NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_negotiation_point PRIMARY KEY (id), 
	CONSTRAINT ck_negotiation_point_kind_enum CHECK (kind IN ('key_info', 'agreed', 'open')), 
	CONSTRAINT ck_negotiation_point_text_len CHECK (text IS NULL OR length(text) BETWEEN 1 AND 20000), 
	CONSTRAINT fk_negotiation_point_negotiation_id_negotiation FOREIGN KEY(negotiation_id) REFERENCES negotiation (id) ON DELETE RESTRICT
);

CREATE TABLE contract (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	proposal_id UUID, 
	number VARCHAR, 
	value BIGINT NOT NULL, 
	cost BIGINT NOT NULL, 
	clause_rights_obligations VARCHAR, 
	clause_specification VARCHAR, 
	clause_price VARCHAR, 
	clause_delivery_time VARCHAR, 
	clause_quality_standard VARCHAR, 
	clause_breach_liability VARCHAR, 
	legal_review VARCHAR(20) NOT NULL, 
	legal_sent_at VARCHAR(26), 
	legal_reviewer VARCHAR, 
	legal_reviewed_at VARCHAR(26), 
	legal_comments VARCHAR, 
	signed_at VARCHAR(26), 
	credit_override_reason VARCHAR, 
	CONSTRAINT pk_contract PRIMARY KEY (id), 
	CONSTRAINT ck_contract_legal_review_enum CHECK (legal_review IN ('pending', 'approved', 'rejected')), 
	CONSTRAINT ck_contract_number_len CHECK (number IS NULL OR length(number) BETWEEN 0 AND 80), 
	CONSTRAINT ck_contract_value_nonneg CHECK (value IS NULL OR value >= 0), 
	CONSTRAINT ck_contract_cost_nonneg CHECK (cost IS NULL OR cost >= 0), 
	CONSTRAINT ck_contract_clause_rights_obligations_len CHECK (clause_rights_obligations IS NULL OR length(clause_rights_obligations) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_clause_specification_len CHECK (clause_specification IS NULL OR length(clause_specification) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_clause_price_len CHECK (clause_price IS NULL OR length(clause_price) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_clause_delivery_time_len CHECK (clause_delivery_time IS NULL OR length(clause_delivery_time) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_clause_quality_standard_len CHECK (clause_quality_standard IS NULL OR length(clause_quality_standard) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_clause_breach_liability_len CHECK (clause_breach_liability IS NULL OR length(clause_breach_liability) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_legal_reviewer_len CHECK (legal_reviewer IS NULL OR length(legal_reviewer) BETWEEN 0 AND 200), 
	CONSTRAINT ck_contract_legal_comments_len CHECK (legal_comments IS NULL OR length(legal_comments) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_contract_credit_override_reason_len CHECK (credit_override_reason IS NULL OR length(credit_override_reason) BETWEEN 0 AND 1000), 
	CONSTRAINT ck_contract_signed_needs_approval CHECK (signed_at IS NULL OR legal_review = 'approved'), 
	CONSTRAINT fk_contract_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_contract_proposal_id_proposal FOREIGN KEY(proposal_id) REFERENCES proposal (id) ON DELETE RESTRICT
);

CREATE TABLE milestone (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	contract_id UUID, 
	kind VARCHAR(20) NOT NULL, 
	title VARCHAR NOT NULL, 
	due_on VARCHAR(10), 
	done_at VARCHAR(26), 
	quality_note VARCHAR, 
	CONSTRAINT pk_milestone PRIMARY KEY (id), 
	CONSTRAINT ck_milestone_kind_enum CHECK (kind IN ('kickoff', 'milestone')), 
	CONSTRAINT ck_milestone_title_len CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200), 
	CONSTRAINT ck_milestone_quality_note_len CHECK (quality_note IS NULL OR length(quality_note) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_milestone_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_milestone_contract_id_contract FOREIGN KEY(contract_id) REFERENCES contract (id) ON DELETE RESTRICT
);

CREATE TABLE progress_report (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	contract_id UUID, 
	sent_at VARCHAR(26) NOT NULL, 
	channel VARCHAR, 
	summary VARCHAR NOT NULL, 
	CONSTRAINT pk_progress_report PRIMARY KEY (id), 
	CONSTRAINT ck_progress_report_channel_len CHECK (channel IS NULL OR length(channel) BETWEEN 0 AND 120), 
	CONSTRAINT ck_progress_report_summary_len CHECK (summary IS NULL OR length(summary) BETWEEN 1 AND 20000), 
	CONSTRAINT fk_progress_report_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_progress_report_contract_id_contract FOREIGN KEY(contract_id) REFERENCES contract (id) ON DELETE RESTRICT
);

CREATE TABLE survey (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	score INTEGER NOT NULL, 
	comment VARCHAR, 
	taken_at VARCHAR(26) NOT NULL, 
	method VARCHAR(20), 
	CONSTRAINT pk_survey PRIMARY KEY (id), 
	CONSTRAINT ck_survey_score_range CHECK (score BETWEEN 1 AND 5), 
	CONSTRAINT ck_survey_comment_len CHECK (comment IS NULL OR length(comment) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_survey_method_enum CHECK (method IS NULL OR method IN ('phone', 'email', 'visit', 'form', 'other')), 
	CONSTRAINT fk_survey_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE credit_check (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	checked_on VARCHAR(10) NOT NULL, 
	rating VARCHAR(20) NOT NULL, 
	source VARCHAR, 
	credit_limit BIGINT, 
	notes VARCHAR, 
	CONSTRAINT pk_credit_check PRIMARY KEY (id), 
	CONSTRAINT ck_credit_check_rating_enum CHECK (rating IN ('A', 'B', 'C', 'D')), 
	CONSTRAINT ck_credit_check_source_len CHECK (source IS NULL OR length(source) BETWEEN 0 AND 120), 
	CONSTRAINT ck_credit_check_credit_limit_nonneg CHECK (credit_limit IS NULL OR credit_limit >= 0), 
	CONSTRAINT ck_credit_check_notes_len CHECK (notes IS NULL OR length(notes) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_credit_check_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE competitor_note (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	competitor VARCHAR NOT NULL, 
	offer VARCHAR, 
	strengths VARCHAR, 
	weaknesses VARCHAR, 
	CONSTRAINT pk_competitor_note PRIMARY KEY (id), 
	CONSTRAINT ck_competitor_note_competitor_len CHECK (competitor IS NULL OR length(competitor) BETWEEN 1 AND 200), 
	CONSTRAINT ck_competitor_note_offer_len CHECK (offer IS NULL OR length(offer) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_competitor_note_strengths_len CHECK (strengths IS NULL OR length(strengths) BETWEEN 0 AND 20000), 
	CONSTRAINT ck_competitor_note_weaknesses_len CHECK (weaknesses IS NULL OR length(weaknesses) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_competitor_note_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE target (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	period_kind VARCHAR(20) NOT NULL, 
	period_label VARCHAR NOT NULL, 
	kpi VARCHAR(20) NOT NULL, 
	value BIGINT NOT NULL, 
	CONSTRAINT pk_target PRIMARY KEY (id), 
	CONSTRAINT ck_target_period_kind_enum CHECK (period_kind IN ('month', 'quarter', 'year')), 
	CONSTRAINT ck_target_kpi_enum CHECK (kpi IN ('new_customers', 'success_rate', 'revenue', 'profit', 'satisfaction')), 
	CONSTRAINT ck_target_period_label_len CHECK (period_label IS NULL OR length(period_label) BETWEEN 4 AND 7), 
	CONSTRAINT ck_target_value_nonneg CHECK (value IS NULL OR value >= 0)
);

CREATE TABLE stage_change (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	from_stage VARCHAR(20), 
	to_stage VARCHAR(20) NOT NULL, 
	changed_at VARCHAR(26) NOT NULL, 
	reason VARCHAR, 
	warnings VARCHAR, 
	CONSTRAINT pk_stage_change PRIMARY KEY (id), 
	CONSTRAINT ck_stage_change_from_stage_enum CHECK (from_stage IS NULL OR from_stage IN ('prospect', 'contacted', 'needs', 'proposal', 'negotiation', 'contract', 'won', 'lost')), 
	CONSTRAINT ck_stage_change_to_stage_enum CHECK (to_stage IN ('prospect', 'contacted', 'needs', 'proposal', 'negotiation', 'contract', 'won', 'lost')), 
	CONSTRAINT ck_stage_change_reason_len CHECK (reason IS NULL OR length(reason) BETWEEN 0 AND 1000), 
	CONSTRAINT ck_stage_change_warnings_len CHECK (warnings IS NULL OR length(warnings) BETWEEN 0 AND 20000), 
	CONSTRAINT fk_stage_change_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE field_edit (
	owner TEXT NOT NULL DEFAULT current_user,
	server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
	field_hlc JSONB NOT NULL DEFAULT '{}',
	id UUID NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	deleted_at VARCHAR(26), 
	customer_id UUID NOT NULL, 
	entity VARCHAR NOT NULL, 
	entity_id UUID NOT NULL, 
	field VARCHAR NOT NULL, 
	old_value VARCHAR, 
	new_value VARCHAR, 
	edited_at VARCHAR(26) NOT NULL, 
	edited_by VARCHAR, 
	CONSTRAINT pk_field_edit PRIMARY KEY (id), 
	CONSTRAINT ck_field_edit_entity_len CHECK (entity IS NULL OR length(entity) BETWEEN 1 AND 40), 
	CONSTRAINT ck_field_edit_edited_by_len CHECK (edited_by IS NULL OR length(edited_by) BETWEEN 0 AND 200), 
	CONSTRAINT ck_field_edit_field_len CHECK (field IS NULL OR length(field) BETWEEN 1 AND 60), 
	CONSTRAINT ck_field_edit_old_value_len CHECK (old_value IS NULL OR length(old_value) BETWEEN 0 AND 40000), 
	CONSTRAINT ck_field_edit_new_value_len CHECK (new_value IS NULL OR length(new_value) BETWEEN 0 AND 40000), 
	CONSTRAINT fk_field_edit_customer_id_customer FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE RESTRICT
);

CREATE TABLE sync_conflict (id UUID PRIMARY KEY, owner TEXT NOT NULL DEFAULT current_user, server_txid XID8 NOT NULL DEFAULT pg_current_xact_id(), field_hlc JSONB NOT NULL DEFAULT '{}', table_name TEXT NOT NULL, row_id UUID NOT NULL, field TEXT NOT NULL, kept_value TEXT, lost_value TEXT, kept_hlc BIGINT NOT NULL, lost_hlc BIGINT NOT NULL, noted_at TIMESTAMPTZ NOT NULL DEFAULT now(), resolved_at TEXT, resolution TEXT);

CREATE INDEX ix_research_note_owner_txid ON research_note (owner, server_txid);

CREATE TRIGGER research_note_touch BEFORE INSERT OR UPDATE ON research_note FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE research_note ENABLE ROW LEVEL SECURITY;

ALTER TABLE research_note FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON research_note TO salesdev_rep;

GRANT SELECT ON research_note TO salesdev_manager;

GRANT UPDATE (owner) ON research_note TO salesdev_manager;

CREATE POLICY rep_own ON research_note FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON research_note FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON research_note FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_customer_owner_txid ON customer (owner, server_txid);

CREATE TRIGGER customer_touch BEFORE INSERT OR UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;

ALTER TABLE customer FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON customer TO salesdev_rep;

GRANT SELECT ON customer TO salesdev_manager;

GRANT UPDATE (owner) ON customer TO salesdev_manager;

CREATE POLICY rep_own ON customer FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON customer FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON customer FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_contact_owner_txid ON contact (owner, server_txid);

CREATE TRIGGER contact_touch BEFORE INSERT OR UPDATE ON contact FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE contact ENABLE ROW LEVEL SECURITY;

ALTER TABLE contact FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON contact TO salesdev_rep;

GRANT SELECT ON contact TO salesdev_manager;

GRANT UPDATE (owner) ON contact TO salesdev_manager;

CREATE POLICY rep_own ON contact FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON contact FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON contact FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_contact_plan_owner_txid ON contact_plan (owner, server_txid);

CREATE TRIGGER contact_plan_touch BEFORE INSERT OR UPDATE ON contact_plan FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE contact_plan ENABLE ROW LEVEL SECURITY;

ALTER TABLE contact_plan FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON contact_plan TO salesdev_rep;

GRANT SELECT ON contact_plan TO salesdev_manager;

GRANT UPDATE (owner) ON contact_plan TO salesdev_manager;

CREATE POLICY rep_own ON contact_plan FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON contact_plan FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON contact_plan FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_needs_note_owner_txid ON needs_note (owner, server_txid);

CREATE TRIGGER needs_note_touch BEFORE INSERT OR UPDATE ON needs_note FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE needs_note ENABLE ROW LEVEL SECURITY;

ALTER TABLE needs_note FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON needs_note TO salesdev_rep;

GRANT SELECT ON needs_note TO salesdev_manager;

GRANT UPDATE (owner) ON needs_note TO salesdev_manager;

CREATE POLICY rep_own ON needs_note FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON needs_note FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON needs_note FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_proposal_owner_txid ON proposal (owner, server_txid);

CREATE TRIGGER proposal_touch BEFORE INSERT OR UPDATE ON proposal FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE proposal ENABLE ROW LEVEL SECURITY;

ALTER TABLE proposal FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON proposal TO salesdev_rep;

GRANT SELECT ON proposal TO salesdev_manager;

GRANT UPDATE (owner) ON proposal TO salesdev_manager;

CREATE POLICY rep_own ON proposal FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON proposal FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON proposal FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_proposal_line_owner_txid ON proposal_line (owner, server_txid);

CREATE TRIGGER proposal_line_touch BEFORE INSERT OR UPDATE ON proposal_line FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE proposal_line ENABLE ROW LEVEL SECURITY;

ALTER TABLE proposal_line FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON proposal_line TO salesdev_rep;

GRANT SELECT ON proposal_line TO salesdev_manager;

GRANT UPDATE (owner) ON proposal_line TO salesdev_manager;

CREATE POLICY rep_own ON proposal_line FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON proposal_line FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON proposal_line FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_negotiation_owner_txid ON negotiation (owner, server_txid);

CREATE TRIGGER negotiation_touch BEFORE INSERT OR UPDATE ON negotiation FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE negotiation ENABLE ROW LEVEL SECURITY;

ALTER TABLE negotiation FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON negotiation TO salesdev_rep;

GRANT SELECT ON negotiation TO salesdev_manager;

GRANT UPDATE (owner) ON negotiation TO salesdev_manager;

CREATE POLICY rep_own ON negotiation FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON negotiation FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON negotiation FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_negotiation_point_owner_txid ON negotiation_point (owner, server_txid);

CREATE TRIGGER negotiation_point_touch BEFORE INSERT OR UPDATE ON negotiation_point FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE negotiation_point ENABLE ROW LEVEL SECURITY;

ALTER TABLE negotiation_point FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON negotiation_point TO salesdev_rep;

GRANT SELECT ON negotiation_point TO salesdev_manager;

GRANT UPDATE (owner) ON negotiation_point TO salesdev_manager;

CREATE POLICY rep_own ON negotiation_point FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON negotiation_point FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON negotiation_point FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_contract_owner_txid ON contract (owner, server_txid);

CREATE TRIGGER contract_touch BEFORE INSERT OR UPDATE ON contract FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE contract ENABLE ROW LEVEL SECURITY;

ALTER TABLE contract FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON contract TO salesdev_rep;

GRANT SELECT ON contract TO salesdev_manager;

GRANT UPDATE (owner) ON contract TO salesdev_manager;

CREATE POLICY rep_own ON contract FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON contract FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON contract FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_milestone_owner_txid ON milestone (owner, server_txid);

CREATE TRIGGER milestone_touch BEFORE INSERT OR UPDATE ON milestone FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE milestone ENABLE ROW LEVEL SECURITY;

ALTER TABLE milestone FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON milestone TO salesdev_rep;

GRANT SELECT ON milestone TO salesdev_manager;

GRANT UPDATE (owner) ON milestone TO salesdev_manager;

CREATE POLICY rep_own ON milestone FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON milestone FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON milestone FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_progress_report_owner_txid ON progress_report (owner, server_txid);

CREATE TRIGGER progress_report_touch BEFORE INSERT OR UPDATE ON progress_report FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE progress_report ENABLE ROW LEVEL SECURITY;

ALTER TABLE progress_report FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON progress_report TO salesdev_rep;

GRANT SELECT ON progress_report TO salesdev_manager;

GRANT UPDATE (owner) ON progress_report TO salesdev_manager;

CREATE POLICY rep_own ON progress_report FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON progress_report FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON progress_report FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_survey_owner_txid ON survey (owner, server_txid);

CREATE TRIGGER survey_touch BEFORE INSERT OR UPDATE ON survey FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE survey ENABLE ROW LEVEL SECURITY;

ALTER TABLE survey FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON survey TO salesdev_rep;

GRANT SELECT ON survey TO salesdev_manager;

GRANT UPDATE (owner) ON survey TO salesdev_manager;

CREATE POLICY rep_own ON survey FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON survey FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON survey FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_credit_check_owner_txid ON credit_check (owner, server_txid);

CREATE TRIGGER credit_check_touch BEFORE INSERT OR UPDATE ON credit_check FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE credit_check ENABLE ROW LEVEL SECURITY;

ALTER TABLE credit_check FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON credit_check TO salesdev_rep;

GRANT SELECT ON credit_check TO salesdev_manager;

GRANT UPDATE (owner) ON credit_check TO salesdev_manager;

CREATE POLICY rep_own ON credit_check FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON credit_check FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON credit_check FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_competitor_note_owner_txid ON competitor_note (owner, server_txid);

CREATE TRIGGER competitor_note_touch BEFORE INSERT OR UPDATE ON competitor_note FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE competitor_note ENABLE ROW LEVEL SECURITY;

ALTER TABLE competitor_note FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON competitor_note TO salesdev_rep;

GRANT SELECT ON competitor_note TO salesdev_manager;

GRANT UPDATE (owner) ON competitor_note TO salesdev_manager;

CREATE POLICY rep_own ON competitor_note FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON competitor_note FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON competitor_note FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_target_owner_txid ON target (owner, server_txid);

CREATE TRIGGER target_touch BEFORE INSERT OR UPDATE ON target FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE target ENABLE ROW LEVEL SECURITY;

ALTER TABLE target FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON target TO salesdev_rep;

GRANT SELECT ON target TO salesdev_manager;

GRANT UPDATE (owner) ON target TO salesdev_manager;

CREATE POLICY rep_own ON target FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON target FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON target FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_stage_change_owner_txid ON stage_change (owner, server_txid);

CREATE TRIGGER stage_change_touch BEFORE INSERT OR UPDATE ON stage_change FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE stage_change ENABLE ROW LEVEL SECURITY;

ALTER TABLE stage_change FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON stage_change TO salesdev_rep;

GRANT SELECT ON stage_change TO salesdev_manager;

GRANT UPDATE (owner) ON stage_change TO salesdev_manager;

CREATE POLICY rep_own ON stage_change FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON stage_change FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON stage_change FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_field_edit_owner_txid ON field_edit (owner, server_txid);

CREATE TRIGGER field_edit_touch BEFORE INSERT OR UPDATE ON field_edit FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE field_edit ENABLE ROW LEVEL SECURITY;

ALTER TABLE field_edit FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON field_edit TO salesdev_rep;

GRANT SELECT ON field_edit TO salesdev_manager;

GRANT UPDATE (owner) ON field_edit TO salesdev_manager;

CREATE POLICY rep_own ON field_edit FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

CREATE POLICY manager_reads ON field_edit FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON field_edit FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE INDEX ix_sync_conflict_owner_txid ON sync_conflict (owner, server_txid);

CREATE TRIGGER sync_conflict_touch BEFORE INSERT OR UPDATE ON sync_conflict FOR EACH ROW EXECUTE FUNCTION touch();

ALTER TABLE sync_conflict ENABLE ROW LEVEL SECURITY;

ALTER TABLE sync_conflict FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON sync_conflict TO salesdev_rep;

GRANT SELECT ON sync_conflict TO salesdev_manager;

GRANT UPDATE (owner) ON sync_conflict TO salesdev_manager;

CREATE POLICY rep_own ON sync_conflict FOR ALL TO salesdev_rep USING (owner = current_user) WITH CHECK (owner = current_user);

CREATE POLICY manager_reads ON sync_conflict FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_hands_over ON sync_conflict FOR UPDATE TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

CREATE TABLE sync_gone (id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL, table_name TEXT NOT NULL, row_id UUID NOT NULL, server_txid XID8 NOT NULL DEFAULT pg_current_xact_id());

CREATE INDEX ix_sync_gone_owner_txid ON sync_gone (owner, server_txid);

ALTER TABLE sync_gone ENABLE ROW LEVEL SECURITY;

ALTER TABLE sync_gone FORCE ROW LEVEL SECURITY;

GRANT SELECT ON sync_gone TO salesdev_rep, salesdev_manager;

GRANT INSERT ON sync_gone TO salesdev_manager;

GRANT USAGE ON SEQUENCE sync_gone_id_seq TO salesdev_manager;

CREATE POLICY rep_reads_gone ON sync_gone FOR SELECT TO salesdev_rep USING (owner = current_user);

CREATE POLICY manager_reads_gone ON sync_gone FOR SELECT TO salesdev_manager USING (true);

CREATE POLICY manager_logs_gone ON sync_gone FOR INSERT TO salesdev_manager WITH CHECK (true);

CREATE FUNCTION log_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_gone (owner, table_name, row_id) VALUES (OLD.owner, TG_TABLE_NAME, OLD.id);
  RETURN NEW;
END
$$;

CREATE TRIGGER research_note_gone AFTER UPDATE OF owner ON research_note FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER customer_gone AFTER UPDATE OF owner ON customer FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER contact_gone AFTER UPDATE OF owner ON contact FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER contact_plan_gone AFTER UPDATE OF owner ON contact_plan FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER needs_note_gone AFTER UPDATE OF owner ON needs_note FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER proposal_gone AFTER UPDATE OF owner ON proposal FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER proposal_line_gone AFTER UPDATE OF owner ON proposal_line FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER negotiation_gone AFTER UPDATE OF owner ON negotiation FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER negotiation_point_gone AFTER UPDATE OF owner ON negotiation_point FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER contract_gone AFTER UPDATE OF owner ON contract FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER milestone_gone AFTER UPDATE OF owner ON milestone FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER progress_report_gone AFTER UPDATE OF owner ON progress_report FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER survey_gone AFTER UPDATE OF owner ON survey FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER credit_check_gone AFTER UPDATE OF owner ON credit_check FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER competitor_note_gone AFTER UPDATE OF owner ON competitor_note FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER target_gone AFTER UPDATE OF owner ON target FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER stage_change_gone AFTER UPDATE OF owner ON stage_change FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE TRIGGER field_edit_gone AFTER UPDATE OF owner ON field_edit FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION log_gone();

CREATE FUNCTION hand_over_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contact SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE contact_plan SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE needs_note SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE proposal SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE negotiation SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE contract SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE milestone SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE progress_report SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE survey SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE credit_check SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE competitor_note SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE stage_change SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  UPDATE field_edit SET owner = NEW.owner WHERE customer_id = NEW.id AND owner <> NEW.owner;
  RETURN NULL;
END
$$;

CREATE TRIGGER customer_hand_over AFTER UPDATE OF owner ON customer FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION hand_over_records();

GRANT INSERT, UPDATE, DELETE ON target TO salesdev_manager;

CREATE POLICY manager_sets_targets ON target FOR ALL TO salesdev_manager USING (true) WITH CHECK (pg_has_role(owner, 'salesdev_rep', 'MEMBER'));

GRANT SELECT ON contract TO salesdev_legal;

GRANT UPDATE (legal_review, legal_reviewer, legal_reviewed_at, legal_comments, updated_at) ON contract TO salesdev_legal;

CREATE POLICY legal_reads_sent ON contract FOR SELECT TO salesdev_legal USING (legal_sent_at IS NOT NULL AND deleted_at IS NULL);

CREATE POLICY legal_reviews ON contract FOR UPDATE TO salesdev_legal USING (legal_sent_at IS NOT NULL AND deleted_at IS NULL AND signed_at IS NULL) WITH CHECK (legal_sent_at IS NOT NULL AND deleted_at IS NULL AND signed_at IS NULL);

GRANT SELECT (id, name, tax_id, owner) ON customer TO salesdev_legal;

CREATE POLICY legal_reads_customers ON customer FOR SELECT TO salesdev_legal USING (EXISTS (SELECT 1 FROM contract c WHERE c.customer_id = customer.id AND c.legal_sent_at IS NOT NULL AND c.deleted_at IS NULL));
