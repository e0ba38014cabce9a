-- The projector now lets PostgreSQL parse each event's payload once and take the records out of
-- it, so the event keeps that parsed payload whole instead of a second, trimmed copy as text.
ALTER TABLE ledger_event ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
