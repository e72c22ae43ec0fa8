import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packKit } from '../core/kit/pack-kit';
import { writeBusyboxDockerSave } from './busybox-image';

/** The demo kit's sources and where the built kit goes (resources/, shipped with the app). */
export const DEMO_SOURCES = new URL('../../resources/demo', import.meta.url).pathname;
export const DEMO_KIT = new URL('../../resources/demo-kit.tar', import.meta.url).pathname;
export const DEMO_IMAGE = 'registry.plant.local/demo/line-status:1.0.0';

/** The newest modification time of any file under `dir` (the kit is rebuilt when older). */
function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
}

/**
 * Builds resources/demo-kit.tar with `kit pack` from the demo package, its compose folder and
 * a tiny busybox-based image made offline (Debian's busybox-static), unless it is already up
 * to date. Returns the kit's path, or undefined (with why) when this machine cannot build it.
 */
export async function buildDemoKit(
  log: (line: string) => void = () => {},
): Promise<string | undefined> {
  if (existsSync(DEMO_KIT) && statSync(DEMO_KIT).mtimeMs >= newest(DEMO_SOURCES)) return DEMO_KIT;
  const work = mkdtempSync(join(tmpdir(), 'commissioner-demo-kit-'));
  try {
    const image = join(work, 'image.tar');
    try {
      await writeBusyboxDockerSave(image, [DEMO_IMAGE]);
    } catch (e) {
      log(`the demo kit is not built: ${(e as Error).message}`);
      return undefined;
    }
    // Packed beside its final place (same file system), renamed when complete.
    const out = `${DEMO_KIT}.${process.pid}.partial.tar`;
    await packKit({
      packageDir: join(DEMO_SOURCES, 'package'),
      packageShownAs: 'resources/demo/package',
      components: [{ name: 'line-status', revision: '1.0.0', dir: join(DEMO_SOURCES, 'compose') }],
      images: [image],
      out,
    });
    try {
      renameSync(out, DEMO_KIT);
    } finally {
      rmSync(out, { force: true });
    }
    log(`built ${DEMO_KIT}`);
    return DEMO_KIT;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildDemoKit((line) => process.stderr.write(`demo kit: ${line}\n`));
  process.exitCode = built ? 0 : 1;
}
