-- Serving Margo devices (the Workload Management API): accepted clients, the devices they
-- report, what each client should run, and what it reports back. Keys live in keys/margo/.
CREATE TABLE margo_clients (
  client_id TEXT PRIMARY KEY,
  spiffe_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('accepted', 'revoked')),
  certificate_serial TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  -- The last manifestVersion served to this client and the digest of the content it described:
  -- the version is bumped (never reused, also across restarts) only when the content changes.
  manifest_version INTEGER NOT NULL DEFAULT 0,
  manifest_content TEXT,
  last_seen TEXT
) STRICT;

-- Devices as their client reports them (device ids are scoped per client).
CREATE TABLE margo_devices (
  client_id TEXT NOT NULL REFERENCES margo_clients (client_id),
  device_id TEXT NOT NULL,
  capabilities TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  PRIMARY KEY (client_id, device_id)
) STRICT;

-- The desired state per client: the ApplicationDeployment bytes each of its devices should run.
CREATE TABLE margo_desired (
  client_id TEXT NOT NULL REFERENCES margo_clients (client_id),
  deployment_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  yaml BLOB NOT NULL,
  digest TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (client_id, deployment_id)
) STRICT;

-- Bytes a client may fetch by digest: current ones, and superseded ones for a while (a client
-- may fetch a digest after the manifest moved on; 404 only means "not available").
CREATE TABLE margo_served (
  client_id TEXT NOT NULL REFERENCES margo_clients (client_id),
  digest TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('deployment', 'bundle')),
  deployment_id TEXT,
  bytes BLOB NOT NULL,
  superseded_at TEXT,
  PRIMARY KEY (client_id, digest, kind)
) STRICT;

-- The status each client reported per deployment.
CREATE TABLE margo_status (
  client_id TEXT NOT NULL REFERENCES margo_clients (client_id),
  deployment_id TEXT NOT NULL,
  device_id TEXT,
  status TEXT NOT NULL,
  adopted_manifest_version INTEGER NOT NULL,
  reported_at TEXT NOT NULL,
  PRIMARY KEY (client_id, deployment_id)
) STRICT;
