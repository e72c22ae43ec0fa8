import { createInterface } from 'node:readline/promises';
import {
  listCatalog,
  parseAppRef,
  showApplication,
  type ApplicationDetail,
} from '../../core/store/catalog-reader';
import { removeApplication } from '../../core/store/catalog-remove';
import type { Store } from '../../core/store/store';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

export function runCatalogList(
  store: Store,
  options: { search?: string; json?: boolean },
  output: Output,
): ExitCode {
  const entries = listCatalog(store.db, options.search);
  if (options.json) {
    output.out(JSON.stringify(entries));
    return EXIT.ok;
  }
  if (entries.length === 0) {
    output.out(
      options.search
        ? `no application matches "${options.search}"`
        : 'the catalog is empty: import a kit or a package folder (commissioner import <path>)',
    );
    return EXIT.ok;
  }
  const rows = entries.map((e) => [e.id, e.name, e.version, e.profiles.join(','), e.organization]);
  output.out(textTable([['ID', 'NAME', 'VERSION', 'PROFILES', 'ORGANIZATION'], ...rows]));
  return EXIT.ok;
}

export function runCatalogShow(
  store: Store,
  ref: string,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  const { id, version } = parseAppRef(ref);
  const detail = showApplication(store.db, id, version);
  if (!detail) {
    output.err(
      `commissioner catalog show: ${ref} is not in the catalog (commissioner catalog list shows what is)`,
    );
    return EXIT.findings;
  }
  if (options.json) output.out(JSON.stringify(detail));
  else output.out(describe(detail));
  return EXIT.ok;
}

export async function runCatalogRemove(
  store: Store,
  ref: string,
  options: { yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  const { id, version } = parseAppRef(ref);
  if (!showApplication(store.db, id, version)) {
    output.err(`commissioner catalog remove: ${ref} is not in the catalog`);
    return EXIT.findings;
  }
  if (!options.yes && process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Remove ${version ? `${id} ${version}` : `every version of ${id}`} from the catalog? [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      output.err('nothing removed');
      return EXIT.ok;
    }
  }
  const removed = removeApplication(store, id, version);
  if (options.json) output.out(JSON.stringify({ id, removed }));
  else output.out(`removed ${id} ${removed.join(', ')}`);
  return EXIT.ok;
}

function describe(d: ApplicationDetail): string {
  const lines = [
    `${d.name} (${d.id}) ${d.version}${d.version === d.latestVersion ? '' : ` — latest is ${d.latestVersion}`}`,
    d.tagline ? `  ${d.tagline}` : '',
    `  organization: ${d.organization}`,
    d.tags.length ? `  tags: ${d.tags.join(', ')}` : '',
    `  versions: ${d.versions.join(', ')}`,
    `  package: ${d.ref} ${d.manifestDigest}`,
    `  imported from ${d.source} at ${d.importedAt}`,
    '  profiles:',
    ...d.profiles.flatMap((p) => [
      `    ${p.id} (${p.type})`,
      ...p.components.map(
        (c) =>
          `      ${c.name}: ${c.repository ? `${c.repository} ${c.revision ?? ''}` : (c.packageLocation ?? '(no location)')}`,
      ),
    ]),
    d.resources.length ? '  resources:' : '',
    ...d.resources.map((r) => `    ${r.path} (${r.kind ?? 'file'}, ${r.size} bytes)`),
    d.diagnostics.length
      ? `  ${d.diagnostics.length} validation warning(s): commissioner catalog show ${d.id}@${d.version} --json lists them`
      : '',
  ];
  return lines.filter(Boolean).join('\n');
}
