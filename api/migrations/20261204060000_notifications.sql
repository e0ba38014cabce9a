-- Notifications outside the app: a member subscribes a webhook (its partner system) or an e-mail
-- address to kinds of event; each event it may see becomes one delivery per subscription, tried
-- until it is delivered or has failed for good, every attempt kept in the delivery log.
CREATE TABLE notification_subscription (
  id bigserial PRIMARY KEY,
  member_id text NOT NULL,
  role text NOT NULL,
  msp_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('WEBHOOK', 'EMAIL')),
  target text NOT NULL,
  event_kinds text[] NOT NULL,
  -- The webhook's HMAC key, sealed like every stored secret.
  secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE notification_delivery (
  id bigserial PRIMARY KEY,
  subscription_id bigint NOT NULL REFERENCES notification_subscription (id),
  event_kind text NOT NULL,
  subject text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_kind, subject)
);
CREATE INDEX notification_delivery_due ON notification_delivery (next_attempt_at) WHERE status = 'PENDING';
