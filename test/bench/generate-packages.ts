import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { writePackageArtifact } from '../../electron/core/kit/package-artifact';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';
import { validateDocumentText } from '../../shared/validation/validate-document';

const WORDS = [
  'press',
  'line',
  'monitor',
  'historian',
  'vision',
  'quality',
  'energy',
  'meter',
  'gateway',
  'opc',
  'modbus',
  'robot',
  'weld',
  'paint',
  'conveyor',
  'packaging',
  'label',
  'scanner',
  'oven',
  'chiller',
];
const ORGS = [
  'Northstar Industrial',
  'ACME Automation',
  'Example Devices',
  'Plantworks',
  'Fieldbus GmbH',
];

function word(i: number, k: number): string {
  return WORDS[(i * 7 + k * 13) % WORDS.length] as string;
}

/** The description text of generated package number `i` (distinct id, names, words). */
export function generatedDescription(i: number): string {
  const id = `com-bench-app-${String(i).padStart(5, '0')}`;
  return edit(
    edit(
      edit(
        edit(BASE_DESCRIPTION, 'id: com-example-line-monitor', `id: ${id}`),
        'name: Line Monitor',
        `name: ${word(i, 1)} ${word(i, 2)} ${i}`,
      ),
      'tagline: Watches the line',
      `tagline: ${word(i, 3)} ${word(i, 4)} for the ${word(i, 5)}`,
    ),
    '- name: Example Industrial',
    `- name: ${ORGS[i % ORGS.length]}`,
  );
}

/** Writes `count` package folders under `dir` (a stick full of packages), numbered from `first`. */
export async function writePackageFolders(dir: string, count: number, first = 0): Promise<void> {
  for (let i = first; i < first + count; i++) {
    const pkg = join(dir, `pkg-${i}`);
    await mkdir(join(pkg, 'resources'), { recursive: true });
    await writeFile(join(pkg, 'margo.yaml'), generatedDescription(i));
    await writeFile(join(pkg, 'resources', 'icon.png'), `icon ${i}`);
    await writeFile(
      join(pkg, 'resources', 'description.md'),
      `# ${word(i, 1)}\n\nRuns on the ${word(i, 6)} and the ${word(i, 7)}.\n`,
    );
  }
}

/**
 * Writes one kit (OCI layout folder) holding `count` packages, numbered from `first` (successive
 * batches for one store use successive ranges, so their ids never meet).
 */
export async function writePackagesKit(
  out: string,
  count: number,
  scratch: string,
  first = 0,
): Promise<void> {
  const writer = await LayoutWriter.create(out);
  await writePackageFolders(scratch, count, first);
  for (let i = first; i < first + count; i++) {
    const text = generatedDescription(i);
    const d = validateDocumentText(text, { file: 'x' }).value as ApplicationDescription;
    await writePackageArtifact(
      join(scratch, `pkg-${i}`),
      'margo.yaml',
      d,
      new Set(['resources/icon.png', 'resources/description.md']),
      writer,
    );
  }
  await writer.finish();
}
