import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IMAGE, DEMO_SOURCES } from '../../electron/demo-kit/build-demo-kit';
import { writeBusyboxDockerSave } from '../../electron/demo-kit/busybox-image';
import { packKit } from '../../electron/core/kit/pack-kit';

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(path, text.replaceAll(from, to));
}

/**
 * A kit with version 1.0.1 of the demo app whose board cannot start (its command exits 3 and
 * says why on stderr): deploying it over 1.0.0 fails on the device, for real, and the
 * automatic rollback restores 1.0.0. The timeout is short so the failure is seen at once.
 */
export async function makeBrokenDemoUpdate(dir: string): Promise<string> {
  const packageDir = join(dir, 'package');
  const composeDir = join(dir, 'compose');
  cpSync(join(DEMO_SOURCES, 'package'), packageDir, { recursive: true });
  cpSync(join(DEMO_SOURCES, 'compose'), composeDir, { recursive: true });
  const margo = join(packageDir, 'margo.yaml');
  edit(margo, 'version: 1.0.0', 'version: 1.0.1');
  edit(margo, 'revision: 1.0.0', 'revision: 1.0.1');
  edit(margo, 'timeout: 2m0s', 'timeout: 0m30s');
  const compose = join(composeDir, 'compose.yaml');
  edit(
    compose,
    '- mkdir -p /srv;',
    '- echo "board cannot open /etc/board/line.conf" >&2; exit 3; mkdir -p /srv;',
  );
  const image = join(dir, 'image.tar');
  await writeBusyboxDockerSave(image, [DEMO_IMAGE]);
  const out = join(dir, 'demo-1.0.1-broken.tar');
  await packKit({
    packageDir,
    packageShownAs: 'demo 1.0.1 (broken)',
    components: [{ name: 'line-status', revision: '1.0.1', dir: composeDir }],
    images: [image],
    out,
  });
  return out;
}
