-- The read model: every record the ledger's events carried, as it stands now, and every event.
CREATE TABLE ledger_checkpoint (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  block_number bigint NOT NULL,
  transaction_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_event (
  block_number bigint NOT NULL,
  transaction_id text NOT NULL,
  event_name text NOT NULL,
  actor_member_id text,
  at timestamptz,
  payload jsonb NOT NULL,
  PRIMARY KEY (block_number, transaction_id)
);

CREATE TABLE record (
  kind text NOT NULL,
  id text NOT NULL,
  record jsonb NOT NULL,
  block_number bigint NOT NULL,
  transaction_id text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX record_status ON record (kind, (record->>'status'), id);
CREATE INDEX record_work_order ON record ((record->>'workOrderId'), kind);
