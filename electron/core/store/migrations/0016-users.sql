-- Named accounts of the browser host on a shared station (issue 18). With none, the browser
-- host keeps its single access token. The password is kept only as a salted scrypt hash whose
-- parameters travel with it (`scrypt$N$r$p$salt$key`).
CREATE TABLE accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
) STRICT;
