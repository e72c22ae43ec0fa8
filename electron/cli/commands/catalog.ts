import type { ApplicationDetail } from '../../../shared/contract/catalog-entry';
import type { Store } from '../../core/store/store';
import { listApplications } from '../../core/use-cases/browse-catalog';
import { removeApplication } from '../../core/use-cases/remove-application';
import {
  applicationDetail,
  applicationHostAccessOf,
  applicationSignatures,
  appRefOf,
} from '../../core/use-cases/show-application';
import type { ProfileHostAccess } from '../../core/host-access/component-review';
import { describeHostAccess, hostAccessSummary } from '../../../shared/compose/host-access';
import { reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';
import { signatureLines } from '../signature-lines';

export function runCatalogList(
  store: Store,
  options: { search?: string; json?: boolean },
  output: Output,
): ExitCode {
  const entries = listApplications(store, options.search);
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

export async function runCatalogShow(
  store: Store,
  ref: string,
  options: { json?: boolean },
  output: Output,
): Promise<ExitCode> {
  try {
    const detail = applicationDetail(store, ref);
    const signatures = applicationSignatures(store, detail);
    if (options.json) {
      output.out(JSON.stringify({ ...detail, signatures }));
      return EXIT.ok;
    }
    output.out(describe(detail));
    if (signatures.length > 0) output.out('  signatures:');
    for (const line of signatureLines(signatures, true)) output.out(`    ${line}`);
    const access = await applicationHostAccessOf(store, detail);
    for (const line of hostAccessLines(access)) output.out(line);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'catalog show', e);
  }
}

export async function runCatalogRemove(
  store: Store,
  ref: string,
  options: { yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  try {
    applicationDetail(store, ref);
    const { id, version } = appRefOf(ref);
    const question = `Remove ${version ? `${id} ${version}` : `every version of ${id}`} from the catalog?`;
    if (!(await confirmed(question, options.yes))) {
      output.err('nothing removed');
      return EXIT.ok;
    }
    const removed = removeApplication(store, ref);
    if (options.json) output.out(JSON.stringify(removed));
    else output.out(`removed ${id} ${removed.removed.join(', ')}`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'catalog remove', e);
  }
}

/** What each profile may do to a device itself (read with the default values), for people. */
function hostAccessLines(access: readonly ProfileHostAccess[]): string[] {
  const lines: string[] = [];
  for (const profile of access) {
    if (profile.findings.length > 0) {
      lines.push(
        `  needs host access, profile ${profile.profile} (${hostAccessSummary(profile.findings)}):`,
      );
      lines.push(...describeHostAccess(profile.findings).map((l) => `    ${l}`));
    }
    lines.push(...profile.unreviewed.map((note) => `  host access not reviewed: ${note}`));
  }
  return lines;
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
