import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { CLI, runCli } from '../support/run-cli';

/**
 * `backup create | inspect | restore` as an engineer runs them: exit codes, the passphrase from
 * a file (never from a missing terminal), refusals that change nothing, and a restored data home
 * serving the Margo client provisioned before the backup.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-backup-'));
const homeA = join(root, 'laptop-a');
const homeB = join(root, 'laptop-b');
const cliA = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeA }, cwd: root });
const cliB = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeB }, cwd: root });
const PASSPHRASE = 'the commissioning laptop of line three';

beforeAll(async () => {
  writeFileSync(join(root, 'passphrase'), `${PASSPHRASE}\n`, { mode: 0o600 });
  writeFileSync(join(root, 'wrong'), 'the commissioning laptop of line four\n');
  writeFileSync(join(root, 'short'), 'short\n');
  writeFileSync(join(root, 'not-a-backup.cbackup'), 'just some text\n');
  const added = await cliA(['margo', 'client', 'add', 'line-gw', '-o', 'bundle']);
  expect(added.code, added.stderr).toBe(0);
  // The device reports before the backup: the restored laptop must know it.
  const child = spawn(
    process.execPath,
    [CLI, 'margo', 'serve', '--host', '127.0.0.1', '--port', '0', '--trust-port', '0'],
    { env: { ...process.env, COMMISSIONER_HOME: homeA }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const url = await firstLine(child);
    const put = await margoClientRequest(
      bundleClient(url),
      'PUT',
      '/api/v1/capabilities/gw-1',
      deviceCapabilities('gw-1'),
    );
    expect(put.status).toBeLessThan(300);
  } finally {
    child.kill();
  }
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function bundleClient(url: string) {
  const dir = join(root, 'bundle');
  return {
    url,
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    key: readFileSync(join(dir, 'key.pem')),
  };
}

function firstLine(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) => reject(new Error(`margo serve exited with ${code}`)));
  });
}

describe('backup create', () => {
  it('writes the archive; --json says what it holds', async () => {
    const run = await cliA([
      'backup',
      'create',
      '-o',
      'a.cbackup',
      '--passphrase-file',
      'passphrase',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const made = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(made).toMatchObject({
      file: join(root, 'a.cbackup'),
      withStore: false,
      summary: { margoClients: 1, devices: 1 },
    });
    expect(readFileSync(join(root, 'a.cbackup')).subarray(0, 26).toString()).toBe(
      'MARGO-COMMISSIONER-BACKUP\n',
    );
  });

  it('exits 2 with no passphrase to be had (no terminal, no file), or a short one; writes nothing', async () => {
    const none = await cliA(['backup', 'create', '-o', 'b.cbackup']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no terminal to ask for the passphrase on');
    const short = await cliA(['backup', 'create', '-o', 'b.cbackup', '--passphrase-file', 'short']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('the passphrase is too short');
    expect(existsSync(join(root, 'b.cbackup'))).toBe(false);
    expect(`${none.stderr}${short.stderr}`).not.toContain(PASSPHRASE);
  });
});

describe('backup inspect', () => {
  it('shows the header without the passphrase, the contents with it', async () => {
    const plain = await cliA(['backup', 'inspect', 'a.cbackup']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('a Commissioner backup');
    expect(plain.stdout).toContain('made by        margo-commissioner');
    expect(plain.stdout).toContain('Its contents are sealed');
    const json = await cliA(['backup', 'inspect', 'a.cbackup', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ manifest: null, header: { format: 1 } });
    const open = await cliA(['backup', 'inspect', 'a.cbackup', '--passphrase-file', 'passphrase']);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toMatch(/Margo {10}trust domain plant-[0-9a-f]+\.commissioner/);
    expect(open.stdout).toContain('1 Margo client');
  });

  it('exits 1 for a file that is not a backup, or a wrong passphrase', async () => {
    const foreign = await cliA(['backup', 'inspect', 'not-a-backup.cbackup']);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('not-a-backup.cbackup is not a Commissioner backup');
    const wrong = await cliA(['backup', 'inspect', 'a.cbackup', '--passphrase-file', 'wrong']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the passphrase does not open a.cbackup');
  });
});

describe('backup restore', () => {
  it('refuses a wrong passphrase (1) and a missing one (2), writing nothing', async () => {
    const wrong = await cliB(['backup', 'restore', 'a.cbackup', '--passphrase-file', 'wrong']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('nothing was restored');
    const none = await cliB(['backup', 'restore', 'a.cbackup']);
    expect(none.code).toBe(2);
    expect(existsSync(homeB)).toBe(false);
  });

  it('restores into an empty home: the audit trail verifies, its last entry the restore', async () => {
    const run = await cliB(['backup', 'restore', 'a.cbackup', '--passphrase-file', 'passphrase']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`into ${homeB}`);
    expect(run.stdout).toContain('The audit trail is intact');
    const verify = await cliB(['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
    const list = JSON.parse((await cliB(['audit', 'list', '--json'])).stdout) as {
      operation: string;
      target: string;
    }[];
    expect(list.at(-1)).toMatchObject({ operation: 'backup.restore', target: 'a.cbackup' });
    expect(list.map((e) => e.operation)).toContain('margo.addClient');
  });

  it('the Margo client provisioned before the backup polls the restored laptop', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'margo', 'serve', '--host', '127.0.0.1', '--port', '0', '--trust-port', '0'],
      { env: { ...process.env, COMMISSIONER_HOME: homeB }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await firstLine(child);
      const poll = await margoClientRequest(bundleClient(url), 'GET', '/api/v1/deployments');
      expect(poll.status).toBe(200);
      const devices = await cliB(['devices', 'list', '--json']);
      expect(JSON.stringify(JSON.parse(devices.stdout))).toContain('gw-1');
    } finally {
      child.kill();
    }
  });

  it('refuses a home that holds data unless --replace; --replace --yes swaps it', async () => {
    const refused = await cliB([
      'backup',
      'restore',
      'a.cbackup',
      '--passphrase-file',
      'passphrase',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds data: restore with --replace');
    const replaced = await cliB([
      'backup',
      'restore',
      'a.cbackup',
      '--passphrase-file',
      'passphrase',
      '--replace',
      '--yes',
      '--json',
    ]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      replaced: true,
      home: homeB,
      audit: { intact: true },
    });
  });
});
