import type http from 'node:http';
import https from 'node:https';

/** What a device's Margo client holds: the WFM URL and its provisioning bundle. */
export interface MargoClientBundle {
  url: string | URL;
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

/** An answer as a device's client sees it: status, headers, the exact bytes. */
export interface MargoAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTPS exchange with the WFM: mutual TLS with the client's SVID, or server TLS only
 * when the bundle has no certificate. A connection of its own (no keep-alive), as the
 * reference device agent makes them. Rejects when TLS or the connection fails.
 */
export function margoExchange(
  client: Omit<MargoClientBundle, 'cert' | 'key'> &
    Partial<Pick<MargoClientBundle, 'cert' | 'key'>>,
  request: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<MargoAnswer> {
  const url = new URL(client.url);
  const { body } = request;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        ca: client.ca,
        ...(client.cert && client.key ? { cert: client.cert, key: client.key } : {}),
        // The server SVID names localhost among its addresses.
        servername: 'localhost',
        agent: false,
        headers: {
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...request.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One request of a device's Margo client: mutual TLS with its SVID, JSON body if any. */
export async function margoClientRequest(
  client: MargoClientBundle,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const answer = await margoExchange(client, {
    method,
    path,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(JSON.stringify(body)),
        }),
  });
  return { status: answer.status, text: answer.body.toString() };
}

/** An rc.3 DeviceCapabilitiesManifest of a small workload-hosting device, with changes. */
export function deviceCapabilities(
  id: string,
  changes: Record<string, unknown> = {},
  labels?: Record<string, string>,
) {
  return {
    properties: {
      id,
      vendor: 'Northstar Industrial',
      modelNumber: 'NS-GW-2',
      serialNumber: 'SN-0042',
      cpus: [{ cores: 2, architecture: 'amd64' }],
      memory: '2 Gi',
      storage: '30 Gi',
      peripherals: [],
      interfaces: [{ type: 'ethernet' }],
      otelCollector: true,
      supportedRuntimes: ['oci'],
      supportedDeploymentTypes: ['compose'],
      ...changes,
    },
    ...(labels ? { labels } : {}),
  };
}
