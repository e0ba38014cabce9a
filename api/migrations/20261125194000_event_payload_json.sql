-- Events are written once and read whole (the explorer, a rebuild): kept as the JSON text they
-- came as, not parsed into jsonb on every write. Records, which are queried, stay jsonb.
ALTER TABLE ledger_event ALTER COLUMN payload TYPE json USING payload::json;
