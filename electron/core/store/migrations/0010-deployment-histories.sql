-- Issue 16: removal ends a deployment's history. A deploy after a removal keeps the id (and
-- revision numbers keep counting) but starts a new history: rollbacks only ever go to revisions
-- of the current one, and the last revision before a removal is marked `removed`.
-- (Renumber freely at merge: nothing refers to this file's number.)
ALTER TABLE deployments ADD COLUMN history INTEGER NOT NULL DEFAULT 1;

-- SQLite cannot widen a CHECK: the table is rebuilt with `history` and the `removed` outcome.
CREATE TABLE deployment_revisions_0010 (
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  history INTEGER NOT NULL DEFAULT 1,  -- deployments.history when this revision was recorded
  version TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  deployment TEXT NOT NULL,            -- the ApplicationDeployment YAML, byte for byte
  digest TEXT NOT NULL,                -- sha256 of those bytes
  rendered TEXT NOT NULL,              -- JSON: per component the compose model, files, image ids
  outcome TEXT NOT NULL CHECK (outcome IN ('applying', 'installed', 'failed', 'rolled-back', 'superseded', 'removed')),
  error TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (deployment_id, revision)
) STRICT;
INSERT INTO deployment_revisions_0010
  (deployment_id, revision, history, version, profile_id, deployment, digest, rendered, outcome, error, created_at)
  SELECT deployment_id, revision, 1, version, profile_id, deployment, digest, rendered, outcome, error, created_at
    FROM deployment_revisions;
DROP TABLE deployment_revisions;
ALTER TABLE deployment_revisions_0010 RENAME TO deployment_revisions;

-- Histories recorded before this migration, read back from the timeline: a Docker removal
-- wrote one "removed <component>: …" event per component, carrying the revision it removed.
CREATE TEMP TABLE removed_0010 AS
  SELECT DISTINCT deployment_id, revision FROM deployment_events
   WHERE level = 'info' AND component IS NOT NULL AND revision IS NOT NULL
     AND message LIKE 'removed %'
  UNION
  SELECT id, revision FROM deployments WHERE state IN ('removed', 'removing');
UPDATE deployment_revisions
   SET history = 1 + (SELECT COUNT(*) FROM removed_0010 r
                       WHERE r.deployment_id = deployment_revisions.deployment_id
                         AND r.revision < deployment_revisions.revision);
UPDATE deployment_revisions SET outcome = 'removed'
 WHERE (deployment_id, revision) IN (SELECT deployment_id, revision FROM removed_0010);
UPDATE deployments
   SET history = 1 + (SELECT COUNT(*) FROM removed_0010 r
                       WHERE r.deployment_id = deployments.id AND r.revision <= deployments.revision);
UPDATE deployments SET known_good = NULL
 WHERE known_good IS NOT NULL
   AND COALESCE((SELECT history FROM deployment_revisions r
                  WHERE r.deployment_id = deployments.id AND r.revision = deployments.known_good), 0)
       <> deployments.history;
DROP TABLE removed_0010;
