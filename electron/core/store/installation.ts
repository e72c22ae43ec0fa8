import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { DeploymentOwner } from '../../../shared/application-deployment/ownership-labels';
import { writeDurably } from './durable-write';
import type { Store } from './store';

/**
 * This installation of Commissioner: one per data home, named by a random id made on first
 * use and never changed, so two laptops (two data homes) are told apart on a device even when
 * the same engineer uses both. The engineer's name is a setting (default: the OS user name).
 */
const InstallationFile = z.object({
  id: z.uuid(),
  engineer: z.string().max(100).optional(),
});
type InstallationFile = z.infer<typeof InstallationFile>;

const FILE = 'installation.json';

function fileOf(store: Pick<Store, 'paths'>): string {
  return join(store.paths.home, FILE);
}

function read(store: Pick<Store, 'paths'>): InstallationFile | undefined {
  try {
    return InstallationFile.parse(JSON.parse(readFileSync(fileOf(store), 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Written aside and renamed (or linked, first time), so no reader ever sees half a file. */
function write(store: Pick<Store, 'paths'>, content: InstallationFile, first: boolean): void {
  const aside = `${fileOf(store)}.${process.pid}.tmp`;
  writeDurably(aside, Buffer.from(`${JSON.stringify(content, null, 2)}\n`));
  try {
    // The first id wins: two processes starting at once on a new data home agree on it.
    if (first) linkSync(aside, fileOf(store));
    else renameSync(aside, fileOf(store));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    if (first) rmSync(aside, { force: true });
  }
}

function ensure(store: Pick<Store, 'paths'>): InstallationFile {
  const found = read(store);
  if (found) return found;
  write(store, { id: randomUUID() }, true);
  return read(store) as InstallationFile;
}

export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** Who deploys from this data home: what goes on the device's labels and record. */
export function installationOwner(store: Pick<Store, 'paths'>): DeploymentOwner {
  const file = ensure(store);
  return { installation: file.id, engineer: file.engineer ?? osUserName(), host: hostname() };
}

/**
 * The engineer name set for this data home, if any — read without making the installation's
 * id: naming who acts (an audit entry) must not write anything, so an interrupted operation
 * leaves the data home as it was.
 */
export function engineerName(store: Pick<Store, 'paths'>): string | undefined {
  return read(store)?.engineer;
}

/** Sets the engineer name put on what this installation deploys (empty: the OS user name). */
export function setEngineerName(store: Pick<Store, 'paths'>, name: string): DeploymentOwner {
  const file = ensure(store);
  const trimmed = name.trim();
  const { engineer: _old, ...rest } = file;
  write(store, trimmed ? { ...rest, engineer: trimmed } : rest, false);
  return installationOwner(store);
}
