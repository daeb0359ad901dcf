-- Server schema version 4: legal review is the legal department's (policy III.7, issue 19.5).
--
-- Version 1 already lets legal read the contracts sent for review and update only the
-- review columns (column privileges + policy legal_reviews). What it did not stop: a rep
-- writing the review columns of their own contract (the rep owns the row). This trigger
-- makes the review legal's alone, whatever the client sends:
--
-- * legal: a verdict is approved or rejected (a rejection needs a comment); the reviewer
--   (the login role) and the time are the server's, never typed; the review fields get a
--   server stamp [hlc, reviewer] in field_hlc (the laptop reads it as the evidence that
--   the approval was recorded here).
-- * a rep, UPDATE: the reviewer and comments stay the server's; the verdict may only go
--   back to pending (sending again, or a clause changed: legal read other words), any
--   other value is replaced by the server's; a signature on a contract the server does not
--   show approved is not taken (else the CHECK signed_needs_approval would abort the whole
--   push batch, every time). Nothing is raised: the row's other fields are written, the
--   refused fields keep the server's value and stamp, so the next pull brings them back
--   and the push reports them (server/legal_guard.py).
-- * a rep, INSERT: a new contract arrives pending with no reviewer, no verdict and no
--   signature; except a contract signed before the rep was added to the team (solo-mode
--   history, signed with the rep's own record of legal's verdict), kept as it was.
-- * anyone else (administrators, the owner, a manager who may change only the owner):
--   untouched.
-- The trigger's name sorts before contract_touch, so it runs first: touch() then sees
-- the refused fields unchanged and stamps nothing for them.

CREATE FUNCTION guard_legal_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  is_admin BOOLEAN;
  stamp BIGINT;
  col TEXT;
  refused TEXT[] := ARRAY[]::TEXT[];
  clause_changed BOOLEAN;
  joined_at TEXT;
BEGIN
  SELECT r.rolsuper OR current_user = 'salesdev_owner' INTO is_admin
    FROM pg_roles r WHERE r.rolname = current_user;
  IF coalesce(is_admin, false) THEN
    RETURN NEW;
  END IF;
  IF pg_has_role(current_user, 'salesdev_legal', 'MEMBER') THEN
    IF NEW.legal_review NOT IN ('approved', 'rejected') THEN
      RAISE EXCEPTION 'legal review: a verdict is approved or rejected'
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.legal_review = 'rejected' AND coalesce(btrim(NEW.legal_comments), '') = '' THEN
      RAISE EXCEPTION 'legal review: a rejection needs a comment'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.legal_reviewer := current_user;
    NEW.legal_reviewed_at := to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD HH24:MI:SS.US');
    NEW.updated_at := NEW.legal_reviewed_at;
    SELECT greatest((extract(epoch FROM clock_timestamp()) * 1000)::BIGINT << 16,
                    coalesce(max((value ->> 0)::BIGINT), 0) + 1) INTO stamp
      FROM jsonb_each(NEW.field_hlc);
    FOREACH col IN ARRAY ARRAY['legal_review', 'legal_reviewer', 'legal_reviewed_at',
                               'legal_comments', 'updated_at'] LOOP
      NEW.field_hlc := NEW.field_hlc || jsonb_build_object(col,
                         jsonb_build_array(stamp, current_user));
    END LOOP;
    RETURN NEW;
  END IF;
  IF NOT pg_has_role(current_user, 'salesdev_rep', 'MEMBER') THEN
    RETURN NEW;
  END IF;

  IF TG_OP = 'INSERT' THEN
    SELECT to_char(m.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') INTO joined_at
      FROM member m WHERE m.name = current_user;
    IF NEW.signed_at IS NOT NULL AND NEW.legal_review = 'approved'
       AND joined_at IS NOT NULL AND NEW.signed_at < joined_at THEN
      RETURN NEW;  -- signed before the team existed for this rep: history, as recorded
    END IF;
    NEW.legal_review := 'pending';
    NEW.legal_reviewer := NULL;
    NEW.legal_reviewed_at := NULL;
    NEW.legal_comments := NULL;
    NEW.signed_at := NULL;
    NEW.credit_override_reason := NULL;
    NEW.field_hlc := NEW.field_hlc - ARRAY['legal_review', 'legal_reviewer',
                     'legal_reviewed_at', 'legal_comments', 'signed_at',
                     'credit_override_reason'];
    RETURN NEW;
  END IF;

  -- UPDATE by a rep.
  IF OLD.signed_at IS NOT NULL THEN
    refused := ARRAY['legal_review', 'legal_reviewer', 'legal_reviewed_at', 'legal_comments'];
    NEW.legal_review := OLD.legal_review;
    NEW.legal_reviewed_at := OLD.legal_reviewed_at;
  ELSE
    clause_changed :=
      NEW.clause_rights_obligations IS DISTINCT FROM OLD.clause_rights_obligations
      OR NEW.clause_specification IS DISTINCT FROM OLD.clause_specification
      OR NEW.clause_price IS DISTINCT FROM OLD.clause_price
      OR NEW.clause_delivery_time IS DISTINCT FROM OLD.clause_delivery_time
      OR NEW.clause_quality_standard IS DISTINCT FROM OLD.clause_quality_standard
      OR NEW.clause_breach_liability IS DISTINCT FROM OLD.clause_breach_liability;
    refused := ARRAY['legal_reviewer', 'legal_comments'];
    IF NEW.legal_review = 'pending' OR (clause_changed AND OLD.legal_review <> 'pending') THEN
      NEW.legal_review := 'pending';
      NEW.legal_reviewed_at := NULL;
    ELSE
      NEW.legal_review := OLD.legal_review;
      NEW.legal_reviewed_at := OLD.legal_reviewed_at;
      refused := refused || ARRAY['legal_review', 'legal_reviewed_at'];
    END IF;
    IF NEW.signed_at IS NOT NULL AND NEW.legal_review <> 'approved' THEN
      NEW.signed_at := NULL;
      NEW.credit_override_reason := OLD.credit_override_reason;
      refused := refused || ARRAY['signed_at', 'credit_override_reason'];
    END IF;
  END IF;
  NEW.legal_reviewer := OLD.legal_reviewer;
  NEW.legal_comments := OLD.legal_comments;
  -- A refused field keeps the server's stamp too: the device's newer stamp would tell the
  -- next pull that the laptop's (refused) value is the current one.
  FOREACH col IN ARRAY refused LOOP
    IF OLD.field_hlc ? col THEN
      NEW.field_hlc := NEW.field_hlc || jsonb_build_object(col, OLD.field_hlc -> col);
    ELSE
      NEW.field_hlc := NEW.field_hlc - col;
    END IF;
  END LOOP;
  RETURN NEW;
END
$$;

CREATE TRIGGER contract_legal_guard BEFORE INSERT OR UPDATE ON contract
  FOR EACH ROW EXECUTE FUNCTION guard_legal_review();

-- Legal's queue reads the contracts sent and not yet signed, newest first.
CREATE INDEX ix_contract_legal_queue ON contract (legal_sent_at)
  WHERE legal_sent_at IS NOT NULL AND signed_at IS NULL AND deleted_at IS NULL;
