-- Events the read model cannot hold (a payload PostgreSQL refuses): kept with where they are on the
-- ledger and why, so that one such event never stops the read model. The projector tries them
-- again when it starts and when the operator asks (a fix deployed); `attempts` counts the tries.
CREATE TABLE quarantined_event (
  block_number bigint NOT NULL,
  transaction_id text NOT NULL,
  event_name text NOT NULL,
  payload bytea NOT NULL,
  error text NOT NULL,
  error_code text,
  attempts integer NOT NULL DEFAULT 1,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  last_tried_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (block_number, transaction_id)
);
