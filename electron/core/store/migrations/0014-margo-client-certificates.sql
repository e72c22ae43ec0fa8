-- Client certificates (issue 17): a client may hold several accepted certificates at once (a
-- renewed one beside the one it replaces, until that expires), so acceptance is per row here;
-- margo_clients.certificate_serial keeps naming the newest.
CREATE TABLE margo_client_certificates (
  client_id TEXT NOT NULL REFERENCES margo_clients (client_id),
  serial TEXT NOT NULL,
  -- Lower-case hex SHA-256 of the issuing CA certificate; NULL for certificates issued before
  -- this table existed, all by the trust domain's first CA.
  issuer TEXT,
  not_after TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- When it stopped being accepted before its expiry: its client was accepted again with a
  -- new certificate, or its CA was retired at the end of a rotation.
  ended_at TEXT,
  PRIMARY KEY (client_id, serial)
) STRICT;

-- The certificates issued so far were not kept: their expiry is that of every client
-- certificate then (825 days from when the client was accepted). A client accepted again
-- after a revocation got a later certificate, so its expiry is estimated early, never late.
INSERT INTO margo_client_certificates (client_id, serial, issuer, not_after, created_at)
SELECT client_id, certificate_serial, NULL,
       strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+825 days'), created_at
FROM margo_clients;
