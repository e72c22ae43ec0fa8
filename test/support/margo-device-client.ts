import https from 'node:https';

/** What a device's Margo client holds: the WFM URL and its provisioning bundle. */
export interface MargoClientBundle {
  url: string | URL;
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

/** One request of a device's Margo client: mutual TLS with its SVID, JSON body if any. */
export function margoClientRequest(
  client: MargoClientBundle,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const url = new URL(client.url);
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        ca: client.ca,
        cert: client.cert,
        key: client.key,
        // The server SVID names localhost among its addresses.
        servername: 'localhost',
        agent: false,
        headers: bytes
          ? { 'content-type': 'application/json', 'content-length': bytes.length }
          : {},
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
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
