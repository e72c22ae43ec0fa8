-- Whether a device lets applications reach into the device itself (privileged containers,
-- the Docker socket, binds of its system folders…). 'deny' makes such applications
-- incompatible with it. Existing devices keep today's behaviour: allow.
ALTER TABLE devices ADD COLUMN host_access TEXT NOT NULL DEFAULT 'allow'
  CHECK (host_access IN ('allow', 'deny'));
