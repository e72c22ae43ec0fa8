import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Commissioner keeps its data: `COMMISSIONER_HOME`, else the platform's per-user data
 * folder. The desktop app, the CLI and the browser host all resolve it the same way, so they
 * share one catalog.
 */
export function dataHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.COMMISSIONER_HOME) return resolve(env.COMMISSIONER_HOME);
  const home = env.HOME ?? homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'margo-commissioner');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'margo-commissioner');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'margo-commissioner');
  }
}

/** The fixed layout under the data home. */
export function dataPaths(home: string) {
  return {
    home,
    database: join(home, 'commissioner.db'),
    /** An OCI image layout: oci-layout, index.json, blobs/sha256/… — copyable to a stick as is. */
    store: join(home, 'store'),
    /** Staging for imports in progress; anything here after a crash is removed at start. */
    tmp: join(home, 'tmp'),
    logs: join(home, 'logs'),
    /** Keys and certificates (later issues): 0700, never inside the blob store. */
    keys: join(home, 'keys'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;
