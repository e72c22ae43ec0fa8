import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { extract } from 'tar-stream';
import { fleetClientOptions, type FleetDaemon } from './docker-fleet';

const run = promisify(execFile);

/** A dockerode client for a fleet daemon, as the tests inspect devices with it. */
export function fleetDocker(daemon: FleetDaemon): Docker {
  return new Docker(fleetClientOptions(daemon));
}

/** The text of a file inside a container (running or not), through `GET /containers/{id}/archive`. */
export async function readContainerFile(docker: Docker, id: string, path: string): Promise<string> {
  return (await containerFile(docker, id, path)).text;
}

/** A file inside a container with its permission bits and owner, as the archive API reports them. */
export async function containerFile(
  docker: Docker,
  id: string,
  path: string,
): Promise<{ text: string; mode: number; uid: number; gid: number }> {
  const archive = (await docker.getContainer(id).getArchive({ path })) as NodeJS.ReadableStream;
  const tar = extract();
  archive.pipe(tar as unknown as NodeJS.WritableStream);
  for await (const entry of tar) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    return {
      text: Buffer.concat(chunks).toString('utf8'),
      mode: (entry.header.mode ?? 0) & 0o7777,
      uid: entry.header.uid ?? -1,
      gid: entry.header.gid ?? -1,
    };
  }
  throw new Error(`${path} is empty`);
}

/** The containers of a compose project on a device, by service. */
export async function projectContainersByService(
  docker: Docker,
  project: string,
): Promise<Map<string, Docker.ContainerInfo>> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`] },
  });
  return new Map(list.map((c) => [c.Labels['com.docker.compose.service'] ?? '', c]));
}

/**
 * Runs Debian's docker-compose (v1) against a fleet daemon, with the daemon's TLS material in
 * the layout docker-compose expects (ca.pem, cert.pem, key.pem in DOCKER_CERT_PATH).
 */
export async function dockerCompose(
  daemon: FleetDaemon,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  const certs = mkdtempSync(join(tmpdir(), 'commissioner-compose-certs-'));
  copyFileSync(daemon.tls.caPath, join(certs, 'ca.pem'));
  copyFileSync(daemon.tls.certPath, join(certs, 'cert.pem'));
  copyFileSync(daemon.tls.keyPath, join(certs, 'key.pem'));
  return run('docker-compose', args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      DOCKER_HOST: daemon.url,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
      ...env,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** GET http://host:port/path from the test machine (device ports are reachable on the fleet's link). */
export async function httpText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return response.text();
}
