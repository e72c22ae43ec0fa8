import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../../electron/core/registry/registry-client';
import { startRegistry, type TestRegistry } from '../support/registry';

/**
 * The registry client of a face others can reach (the browser host) never connects to the
 * station itself, whatever address leads there: checked at the connection, after name
 * resolution, so a component, a redirect or a token service pointing at 127.0.0.1 is caught as
 * the reference typed is. A real registry on loopback plays the station's own service.
 */
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
}, 60_000);

afterAll(async () => {
  await registry?.stop();
});

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RegistryError) return e;
    throw e;
  }
  throw new Error('it did not fail');
}

describe('a registry client that refuses the station itself', () => {
  it('reaches the registry when local targets are allowed (the CLI, the desktop app)', async () => {
    const client = new RegistryClient({ registry: registry.host, plainHttp: true });
    expect(await client.listTags('margo/none').catch((e: RegistryError) => e.kind)).toBe(
      'not-found',
    );
  });

  it('refuses an IP address of the station before connecting', async () => {
    const client = new RegistryClient({
      registry: registry.host,
      plainHttp: true,
      refuseLocal: true,
    });
    const error = await failure(client.listTags('margo/none'));
    expect(error.kind).toBe('local-target');
    expect(error.message).toBe(
      `http://${registry.host} is on the station this Commissioner runs on (a loopback address): this Commissioner refuses registries on its own station; whoever started it can allow them`,
    );
  });

  it('refuses a name that resolves to the station, at the connection itself', async () => {
    const port = registry.host.split(':')[1];
    const client = new RegistryClient({
      registry: `localhost:${port}`,
      plainHttp: true,
      refuseLocal: true,
    });
    const error = await failure(client.listTags('margo/none'));
    expect(error.kind).toBe('local-target');
    expect(error.message).toMatch(
      /\(localhost resolves to (127\.0\.0\.1|::1), a loopback address\): this Commissioner refuses registries on its own station/,
    );
  });
});
