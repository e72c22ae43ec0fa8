// The reference of the WFM benchmark: the least a Node server can do to answer the same polls
// on this machine — mutual TLS with the same certificates and TLS version, one small JSON
// body, its ETag, and 304 when the client already has it. Prints its URL, then serves until
// killed. Plain JavaScript: nothing of Commissioner is loaded.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [keyPath, certPath, caPath] = process.argv.slice(2);
const body = Buffer.from(
  JSON.stringify({ apiVersion: 'application.margo.org/v1alpha1', deployments: [] }),
);
const etag = '"reference"';
const server = https.createServer(
  {
    key: readFileSync(keyPath),
    cert: readFileSync(certPath),
    ca: readFileSync(caPath),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
    keepAliveTimeout: 120_000,
  },
  (req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag });
      res.end();
      return;
    }
    res.writeHead(200, {
      ETag: etag,
      'Content-Type': 'application/json',
      'Content-Length': body.length,
    });
    res.end(body);
  },
);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`https://127.0.0.1:${server.address().port}/\n`);
});
