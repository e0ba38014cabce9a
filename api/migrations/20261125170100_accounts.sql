-- People and partner systems who log in, and the ledger identity each acts as.
CREATE TABLE app_user (
  username text PRIMARY KEY,
  password_hash text NOT NULL,
  member_name text NOT NULL,
  role text NOT NULL,
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Rotating refresh tokens: each use replaces the token; a reused one revokes its whole family.
CREATE TABLE refresh_token (
  token_hash text PRIMARY KEY,
  username text NOT NULL REFERENCES app_user (username),
  family text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_token_family ON refresh_token (family);
