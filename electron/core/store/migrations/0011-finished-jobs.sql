-- Issue 16: finished jobs outlive the process that ran them. The job tray lists the last 200
-- (older ones are pruned as new ones finish), after a restart too.
-- (Renumber freely at merge: nothing refers to this file's number.)
CREATE TABLE finished_jobs (
  seq INTEGER PRIMARY KEY,             -- the order they finished in: pruning keeps the newest
  id TEXT NOT NULL UNIQUE,
  ended_at TEXT NOT NULL,
  job TEXT NOT NULL                    -- JSON: the job as the contract shows it (no secrets)
) STRICT;
