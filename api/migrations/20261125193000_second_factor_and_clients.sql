-- A second factor for people (TOTP), and partner systems that log in with client credentials.
ALTER TABLE app_user
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_confirmed boolean NOT NULL DEFAULT false,
  -- The last time step accepted: a code is good once.
  ADD COLUMN totp_last_step bigint;

CREATE TABLE oauth_client (
  client_id text PRIMARY KEY,
  secret_hash text NOT NULL,
  member_name text NOT NULL,
  role text NOT NULL,
  display_name text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
