import {
  CATALOG_FILE_FIELDS,
  type ApplicationDescription,
} from '../../margo/application-description';
import type { Findings } from '../findings';

/** What a package holds: package-relative POSIX paths of its regular files and of its links. */
export interface PackageFiles {
  files: ReadonlySet<string>;
  links: ReadonlySet<string>;
}

/**
 * Every file the description names for the catalog (icon, description, release notes,
 * license) must be a regular file inside the package: the catalog is shown offline, and a
 * reference outside the package would let a package read the engineer's disk.
 */
export function checkPackageReferences(
  d: ApplicationDescription,
  pkg: PackageFiles,
  findings: Findings,
): void {
  const app = d.metadata.catalog.application;
  if (!app) return;
  for (const field of CATALOG_FILE_FIELDS) {
    const reference = app[field];
    if (reference === undefined || reference.trim() === '') continue;
    const path = ['metadata', 'catalog', 'application', field];
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) {
      findings.add(
        'package-file-remote',
        path,
        `${field} "${reference}" is a URL: an air-gapped catalog cannot fetch it; put the file in the package (e.g. ./resources/) and reference it by its relative path`,
      );
      continue;
    }
    const normalized = normalizeReference(reference);
    if (normalized === undefined) {
      findings.add(
        'package-file-outside',
        path,
        `${field} "${reference}" points outside the package (absolute path or "..") : reference a file inside the package, such as ./resources/${basename(reference)}`,
      );
      continue;
    }
    if (pkg.links.has(normalized)) {
      findings.add(
        'package-file-outside',
        path,
        `${field} "${reference}" is a symbolic link: a package must hold the file itself; replace the link with the file`,
      );
      continue;
    }
    if (!pkg.files.has(normalized)) {
      const lower = normalized.toLowerCase();
      const near = [...pkg.files].find((f) => f.toLowerCase() === lower);
      findings.add(
        'package-file-missing',
        path,
        `${field} "${reference}" is not in the package${near ? ` (there is "${near}": names are case-sensitive)` : ''}: add the file or correct the path`,
      );
    }
  }
}

/** Package-relative POSIX path of a reference, or undefined when it leaves the package. */
export function normalizeReference(reference: string): string | undefined {
  const slashed = reference.trim().replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) return undefined;
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

function basename(reference: string): string {
  return reference.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? 'file';
}
