-- The audit trail (issue 18): one row per state-changing operation, append-only and
-- hash-chained. Each row's `hash` is sha256 over the canonical JSON of the entry (seq, time,
-- actor, operation, target, inputs, outcome, digests, prev), and `prev` is the hash of the row
-- before it, so `audit verify` names the first row altered, removed or reordered. The
-- triggers stop ordinary writes from changing history; someone with the file can drop them,
-- which is what the chain is for.
CREATE TABLE audit_trail (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,       -- JSON {user, engineer?, host, via}
  operation TEXT NOT NULL,
  target TEXT NOT NULL,
  inputs TEXT NOT NULL,      -- JSON: plain values; secrets only by name, never their values
  outcome TEXT NOT NULL,     -- JSON {result: ok|refused|failed, reason?, error?}
  digests TEXT NOT NULL,     -- JSON {package?, applicationDeployment?, images?}
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE INDEX audit_trail_time ON audit_trail (time);

CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
