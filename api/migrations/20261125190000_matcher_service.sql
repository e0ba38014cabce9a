-- What the matcher service reads beside the ledger, and what it did.

-- Live load a factory's own systems report: minutes of a process in a shift already taken by work
-- outside the pool. The last report of each factory says it is alive.
CREATE TABLE factory_load (
  factory_id text NOT NULL,
  process text NOT NULL,
  bucket timestamptz NOT NULL,
  load_minutes integer NOT NULL CHECK (load_minutes >= 0),
  reported_at timestamptz NOT NULL,
  PRIMARY KEY (factory_id, process, bucket)
);

CREATE TABLE factory_report (
  factory_id text PRIMARY KEY,
  reported_at timestamptz NOT NULL,
  reported_by text NOT NULL
);

-- A factory out of service over a time window (declared by the factory or the operator).
CREATE TABLE factory_outage (
  id bigserial PRIMARY KEY,
  factory_id text NOT NULL,
  from_at timestamptz NOT NULL,
  until_at timestamptz NOT NULL CHECK (until_at > from_at),
  reason text NOT NULL,
  declared_by text NOT NULL,
  declared_at timestamptz NOT NULL
);
CREATE INDEX factory_outage_until ON factory_outage (until_at);

-- A supplier's word that a work order's material comes later than planned.
CREATE TABLE supply_delay (
  id bigserial PRIMARY KEY,
  work_order_id text NOT NULL,
  material_code text NOT NULL,
  delay_hours numeric NOT NULL CHECK (delay_hours > 0),
  expected_at timestamptz NOT NULL,
  reason text NOT NULL,
  reported_by text NOT NULL,
  reported_at timestamptz NOT NULL
);
CREATE INDEX supply_delay_work_order ON supply_delay (work_order_id);

-- Every run of the matcher service: why it ran, what it published, what it cost.
CREATE TABLE matcher_run (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL,
  millis integer NOT NULL,
  triggers jsonb NOT NULL,
  ledger_run_ids text[] NOT NULL DEFAULT '{}',
  input_hash text,
  solver text,
  lots_added integer NOT NULL DEFAULT 0,
  lots_withdrawn integer NOT NULL DEFAULT 0,
  lots_kept integer NOT NULL DEFAULT 0,
  unplaced_units integer NOT NULL DEFAULT 0,
  cost jsonb,
  moved jsonb NOT NULL DEFAULT '[]',
  error text
);
