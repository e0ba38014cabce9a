-- Alerts raised to the people concerned: one per kind and subject, however often it is noticed.
CREATE TABLE alert (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  subject text NOT NULL,
  raised_at timestamptz NOT NULL,
  work_order_id text,
  lot_id text,
  factory_msp_id text,
  customer_member_id text,
  message text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  UNIQUE (kind, subject)
);
CREATE INDEX alert_raised ON alert (raised_at DESC);
