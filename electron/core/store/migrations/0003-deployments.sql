-- Deployments: one per application per device. The id is the ApplicationDeployment id, kept
-- across updates; `revision` is the one the device should run, `known_good` the last one that
-- became installed (what a rollback restores).
CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  device TEXT NOT NULL,                -- inventory name
  profile_id TEXT NOT NULL,
  version TEXT NOT NULL,               -- application version of `revision`
  revision INTEGER NOT NULL,
  known_good INTEGER,
  state TEXT NOT NULL CHECK (state IN ('pending', 'installing', 'installed', 'failed', 'removing', 'removed')),
  error TEXT,                          -- JSON {code, message, source} of the last failure
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (app_id, device)
) STRICT;

-- Every revision applied, as rendered: a rollback restores one exactly. `deployment` holds the
-- secrets that go to the device, which is why the database file is readable by its owner only.
CREATE TABLE deployment_revisions (
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  version TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  deployment TEXT NOT NULL,            -- the ApplicationDeployment YAML, byte for byte
  digest TEXT NOT NULL,                -- sha256 of those bytes
  rendered TEXT NOT NULL,              -- JSON: per component the compose model, files, image ids
  outcome TEXT NOT NULL CHECK (outcome IN ('applying', 'installed', 'failed', 'rolled-back', 'superseded')),
  error TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (deployment_id, revision)
) STRICT;

-- The Margo state of each component of the current revision.
CREATE TABLE deployment_components (
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'installing', 'installed', 'failed', 'removing', 'removed')),
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (deployment_id, name)
) STRICT;

-- What happened, in order: the timeline the engineer reads.
CREATE TABLE deployment_events (
  seq INTEGER PRIMARY KEY,
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  revision INTEGER,
  at TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
  component TEXT,
  code TEXT,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX deployment_events_deployment ON deployment_events (deployment_id, seq);

-- Operations on devices. At most one runs per device, whichever process runs it (the CLI, the
-- browser host and the desktop app share this database): the partial unique index is the lock.
CREATE TABLE device_operations (
  id TEXT PRIMARY KEY,
  device TEXT NOT NULL,
  deployment_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback', 'remove')),
  state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'interrupted')),
  owner_pid INTEGER NOT NULL,
  owner_host TEXT NOT NULL,
  owner_start TEXT NOT NULL,           -- the owner's start time, so a reused pid is not mistaken for it
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  ended_at TEXT,
  error TEXT
) STRICT;
CREATE UNIQUE INDEX device_operations_one_running ON device_operations (device) WHERE state = 'running';
