-- Live state (issue 16): what differs on the device from what Commissioner deployed, what each
-- container looked like when we made it, when each device was last asked, and settings.

-- JSON array of drift findings {component, service, kind, message}; NULL when none.
ALTER TABLE deployment_components ADD COLUMN drift TEXT;

-- Each container of the current revision as it was right after Commissioner applied it (or,
-- for a deployment made before this table existed, as first seen): the baseline drift is
-- measured against. `snapshot` holds what inspect said (image, environment, ports, mounts,
-- labels); environment values may be secrets, which is why it lives in the owner-only database.
CREATE TABLE deployment_containers (
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  component TEXT NOT NULL,
  service TEXT NOT NULL,
  container_id TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (deployment_id, component, service)
) STRICT;

-- When each device that has deployments was last asked what it runs, and how.
CREATE TABLE device_checks (
  device TEXT PRIMARY KEY,
  checked_at TEXT NOT NULL,            -- the last attempt
  via TEXT NOT NULL CHECK (via IN ('events', 'poll', 'refresh')),
  error TEXT                           -- why that attempt failed (plain words); NULL when the device answered
) STRICT;

-- Station-wide settings, one value per key (text).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
