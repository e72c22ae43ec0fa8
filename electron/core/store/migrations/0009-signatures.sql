-- Notary Project signatures kept with what they sign: the signature manifest (a referrer whose
-- subject is the artifact; its envelope and config are its manifest_children), so a verdict
-- can be computed again without the kit when the trust store or policy changes.
CREATE TABLE signatures (
  subject TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
  manifest_digest TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
  PRIMARY KEY (subject, manifest_digest)
) STRICT, WITHOUT ROWID;
CREATE INDEX signatures_manifest ON signatures (manifest_digest);

-- The verification result of each package version, component and image, as the faces show it
-- (an ArtifactTrust, JSON), per application version it came with or was shown for (its policy
-- applies; '' when none did). Computed at import; computed again when read with another trust
-- version, or when it has aged (certificates and signatures expire).
CREATE TABLE artifact_trust (
  digest TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
  app_id TEXT NOT NULL DEFAULT '',
  app_version TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('package', 'component', 'image')),
  name TEXT NOT NULL,
  organization TEXT,
  repository TEXT,
  verdict TEXT NOT NULL CHECK (verdict IN ('verified', 'unsigned', 'invalid')),
  result TEXT NOT NULL,
  trust_version TEXT NOT NULL,
  evaluated_at TEXT NOT NULL,
  PRIMARY KEY (digest, app_id, app_version)
) STRICT;
CREATE INDEX artifact_trust_app ON artifact_trust (app_id, app_version);
