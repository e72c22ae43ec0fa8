-- Blob store bookkeeping: every file under store/blobs/sha256 has a row here, and only
-- those; anything else found there at start is an interrupted import's leftover.
CREATE TABLE blobs (
  digest TEXT PRIMARY KEY,
  size INTEGER NOT NULL CHECK (size >= 0)
) STRICT;

-- OCI manifests and indexes held in the store (their bytes are blobs too).
CREATE TABLE manifests (
  digest TEXT PRIMARY KEY REFERENCES blobs (digest),
  media_type TEXT NOT NULL,
  artifact_type TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('application', 'compose', 'helm', 'image', 'index', 'other'))
) STRICT;

-- What each manifest references: config, layers, and child manifests of an index.
CREATE TABLE manifest_children (
  parent TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
  child TEXT NOT NULL REFERENCES blobs (digest),
  PRIMARY KEY (parent, child)
) STRICT, WITHOUT ROWID;
CREATE INDEX manifest_children_child ON manifest_children (child);

-- Named references, written to index.json as org.opencontainers.image.ref.name.
CREATE TABLE refs (
  name TEXT PRIMARY KEY,
  digest TEXT NOT NULL REFERENCES manifests (digest),
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX refs_digest ON refs (digest);

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  latest_version TEXT NOT NULL
) STRICT;

CREATE TABLE package_versions (
  app_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  manifest_digest TEXT NOT NULL REFERENCES manifests (digest),
  ref_name TEXT NOT NULL,
  name TEXT NOT NULL,
  tagline TEXT,
  description TEXT,
  organization TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  profile_types TEXT NOT NULL DEFAULT '[]', -- deployment types of the profiles, in order (list views)
  site TEXT,
  search_text TEXT,                  -- the description file's text, indexed for search
  document TEXT NOT NULL,            -- the validated description, rc.3 shape, as JSON
  diagnostics TEXT NOT NULL DEFAULT '[]', -- the validator's warnings, as JSON
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (app_id, version)
) STRICT;

CREATE TABLE profiles (
  app_id TEXT NOT NULL,
  version TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  description TEXT,
  PRIMARY KEY (app_id, version, profile_id),
  FOREIGN KEY (app_id, version) REFERENCES package_versions (app_id, version) ON DELETE CASCADE
) STRICT;

CREATE TABLE components (
  app_id TEXT NOT NULL,
  version TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  repository TEXT,
  revision TEXT,
  package_location TEXT,
  PRIMARY KEY (app_id, version, profile_id, position),
  FOREIGN KEY (app_id, version, profile_id) REFERENCES profiles (app_id, version, profile_id) ON DELETE CASCADE
) STRICT;

-- Package files other than the description (icon, description, release notes, license, …).
CREATE TABLE resources (
  app_id TEXT NOT NULL,
  version TEXT NOT NULL,
  path TEXT NOT NULL,
  kind TEXT,
  media_type TEXT NOT NULL,
  digest TEXT NOT NULL REFERENCES blobs (digest),
  size INTEGER NOT NULL,
  PRIMARY KEY (app_id, version, path),
  FOREIGN KEY (app_id, version) REFERENCES package_versions (app_id, version) ON DELETE CASCADE
) STRICT;

-- Full-text search over the latest version of each application. The list columns are kept
-- here too (UNINDEXED), so a search page is answered from this one table, without joins.
CREATE VIRTUAL TABLE catalog_search USING fts5 (
  app_id UNINDEXED,
  version UNINDEXED,
  tags_json UNINDEXED,
  profiles_json UNINDEXED,
  name,
  tagline,
  description,
  tags,
  organization,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);
