-- The device inventory. Key material lives in keys/devices/<name>/, never in this database.
CREATE TABLE devices (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('docker', 'margo')),
  connection TEXT NOT NULL,            -- JSON DockerConnection (paths into keys/, no key bytes)
  labels TEXT NOT NULL DEFAULT '{}',   -- engineer labels (JSON object of strings)
  described TEXT NOT NULL DEFAULT '{}',-- engineer-described capabilities (JSON)
  probe TEXT,                          -- the last probe result (JSON ProbeResult)
  probed_at TEXT,
  reachable INTEGER,                   -- 1, 0, or NULL when never probed
  added_at TEXT NOT NULL
) STRICT;

-- The last probe that reached the device: compatibility uses it while the device is away.
ALTER TABLE devices ADD COLUMN last_good TEXT;
