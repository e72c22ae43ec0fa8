import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MargoClient } from '../../electron/core/identity/margo-clients';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { CLI, runCli } from '../support/run-cli';

/** `margo serve` and `margo client add|list|revoke` as an engineer runs them. */
const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-margo-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const cli = (args: string[]) => runCli(args, { env, cwd: root });

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('margo client', () => {
  it('add works before any server ran: a bundle of four files, the key private', async () => {
    const run = await cli(['margo', 'client', 'add', 'press-gw', '-o', 'bundle-1']);
    expect(run.code).toBe(0);
    const dir = join(root, 'bundle-1'); // relative to the caller's directory
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem', 'wfm.json']);
    expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    const wfm = JSON.parse(readFileSync(join(dir, 'wfm.json'), 'utf8')) as Record<string, string>;
    expect(wfm.url).toMatch(/^https:\/\/[^/]+:8443$/);
    expect(wfm.clientSpiffeId).toBe(`${wfm.wfmSpiffeId}/client/press-gw`);
    expect(wfm.wfmSpiffeId).toBe(
      `spiffe://${wfm.trustDomain}/margo/wfm/${wfm.wfmSpiffeId?.split('/').pop()}`,
    );
    const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
    expect(cert.subjectAltName).toBe(`URI:${wfm.clientSpiffeId}`);
    expect(cert.verify(new X509Certificate(readFileSync(join(dir, 'ca.pem'))).publicKey)).toBe(
      true,
    );
    // Backdated a little, for devices whose clocks are behind.
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now() - 12 * 3600 * 1000);
    // The keys folder is the owner's only.
    expect(statSync(join(root, 'home', 'keys', 'margo')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'home', 'keys', 'margo', 'ca-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses a second bundle for an accepted client, a bad id, a folder holding a bundle', async () => {
    const again = await cli(['margo', 'client', 'add', 'press-gw', '-o', 'bundle-2']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists and is accepted: revoke it first');
    const bad = await cli(['margo', 'client', 'add', '..', '-o', 'bundle-3']);
    expect(bad.code).toBe(1);
    const full = await cli(['margo', 'client', 'add', 'other-gw', '-o', 'bundle-1']);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('already holds ca.pem, cert.pem, key.pem, wfm.json');
    // Nothing half-done: that client was not left accepted.
    const list = MargoClient.array().parse(
      JSON.parse((await cli(['margo', 'client', 'list', '--json'])).stdout),
    );
    expect(list.find((c) => c.clientId === 'other-gw')?.state ?? 'revoked').toBe('revoked');
  });

  it('list --json, revoke, and --url', async () => {
    const added = await cli([
      '--json',
      'margo',
      'client',
      'add',
      'pack-gw',
      '--url',
      'https://wfm.plant.local:9443',
      '-o',
      'bundle-4',
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      clientId: 'pack-gw',
      url: 'https://wfm.plant.local:9443',
    });
    const revoked = await cli(['margo', 'client', 'revoke', 'pack-gw']);
    expect(revoked.code).toBe(0);
    const list = MargoClient.array().parse(
      JSON.parse((await cli(['margo', 'client', 'list', '--json'])).stdout),
    );
    expect(list.map((c) => [c.clientId, c.state])).toEqual(
      expect.arrayContaining([
        ['press-gw', 'accepted'],
        ['pack-gw', 'revoked'],
      ]),
    );
    const unknown = await cli(['margo', 'client', 'revoke', 'nobody']);
    expect(unknown.code).toBe(1);
  });
});

describe('margo serve', () => {
  it('prints the WFM URL on a line of its own; client add then uses the configured address', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'margo', 'serve', '--host', '127.0.0.1', '--port', '0', '--trust-port', '0'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        child.once('exit', (code) => reject(new Error(`margo serve exited with ${code}`)));
      });
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const added = await cli(['--json', 'margo', 'client', 'add', 'line-gw', '-o', 'bundle-5']);
      expect(JSON.parse(added.stdout).url).toBe(url);

      // The same CLI deploys to a Margo device once its client reported: placed, not pushed.
      const kit = await buildDemoKit();
      expect((await cli(['import', kit ?? 'missing-demo-kit'])).code).toBe(0);
      const bundle = join(root, 'bundle-5');
      const put = await margoClientRequest(
        {
          url,
          ca: readFileSync(join(bundle, 'ca.pem')),
          cert: readFileSync(join(bundle, 'cert.pem')),
          key: readFileSync(join(bundle, 'key.pem')),
        },
        'PUT',
        '/api/v1/capabilities/gw-1',
        deviceCapabilities('gw-1'),
      );
      expect(put.status).toBe(201);
      const listed = await cli(['devices', 'list', '--json']);
      expect(JSON.parse(listed.stdout)).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'line-gw/gw-1', kind: 'margo' })]),
      );
      const deployed = await cli([
        'deploy',
        'org-commissioner-demo-line-status',
        '--device',
        'line-gw/gw-1',
        '--set',
        'lineName=Gateway line',
        '--yes',
        '--json',
      ]);
      expect(deployed.code).toBe(0);
      expect(JSON.parse(deployed.stdout)).toEqual([
        expect.objectContaining({ device: 'line-gw/gw-1', state: 'placed', revision: 1 }),
      ]);
      const deployments = JSON.parse((await cli(['deployments', 'list', '--json'])).stdout);
      expect(deployments).toEqual([
        expect.objectContaining({ device: 'line-gw/gw-1', state: 'pending' }),
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('usage errors exit 2', async () => {
    const bad = await cli(['margo', 'serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
  });
});
