-- Failed logins per account ('account:<username>') and per client address ('address:<ip>'): each
-- failure past the free ones blocks the key for longer; an account past the lock-out threshold
-- stays locked until an operator lifts it (unlockAccount).
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  blocked_until timestamptz,
  locked_at timestamptz
);
