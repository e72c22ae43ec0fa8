-- The laptop's trust store and trust policy (issue 15). An entry keeps the bytes of the file it
-- was added from (checked before they were written), so the stick it came from can go.
CREATE TABLE trust_entries (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  type TEXT NOT NULL CHECK (type IN ('ca', 'tsa', 'signingAuthority', 'sigstore-key', 'sigstore-root')),
  content BLOB NOT NULL,
  fingerprint TEXT NOT NULL,           -- sha256:<hex> of the first certificate (DER), the key (SPKI) or the file
  subjects TEXT NOT NULL DEFAULT '[]', -- JSON array: certificate subjects, key kind, or trusted-root parties
  not_before TEXT,                     -- when every certificate is valid (null for keys and roots)
  not_after TEXT,
  added_at TEXT NOT NULL
) STRICT;

-- One policy per scope: `*`, an application id pattern, org:<organization>, or a
-- registry/repository pattern (canonical form, see shared/trust/policy-scope.ts).
CREATE TABLE trust_policies (
  scope TEXT PRIMARY KEY COLLATE NOCASE,
  level TEXT NOT NULL CHECK (level IN ('strict', 'audit', 'skip')),
  -- 1: every entry of the store is trusted. 0: only the entries in trust_policy_entries (none
  -- left after their removal means none: removing an entry never widens a policy).
  trusts_all INTEGER NOT NULL CHECK (trusts_all IN (0, 1)),
  identities TEXT NOT NULL DEFAULT '[]', -- JSON array of subject DNs; [] = any
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE trust_policy_entries (
  scope TEXT NOT NULL COLLATE NOCASE REFERENCES trust_policies (scope) ON DELETE CASCADE,
  entry TEXT NOT NULL COLLATE NOCASE REFERENCES trust_entries (name),
  PRIMARY KEY (scope, entry)
) STRICT;
CREATE INDEX trust_policy_entries_entry ON trust_policy_entries (entry);

-- Bumped by every change of entries or policies: stored verification results name the version
-- they were computed at, and are computed again when it moved.
CREATE TABLE trust_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
INSERT INTO trust_version (id, version) VALUES (1, 0);

CREATE TRIGGER trust_entries_inserted AFTER INSERT ON trust_entries
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_entries_updated AFTER UPDATE ON trust_entries
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_entries_deleted AFTER DELETE ON trust_entries
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_policies_inserted AFTER INSERT ON trust_policies
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_policies_updated AFTER UPDATE ON trust_policies
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_policies_deleted AFTER DELETE ON trust_policies
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_policy_entries_inserted AFTER INSERT ON trust_policy_entries
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER trust_policy_entries_deleted AFTER DELETE ON trust_policy_entries
BEGIN UPDATE trust_version SET version = version + 1 WHERE id = 1; END;
