import { CommissionerError } from '../../../shared/contract/contract-error';
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageFiles } from '../../../shared/validation/checks/package-references';
import {
  compareDiagnostics,
  hasErrors,
  type Diagnostic,
  type ValidationReport,
} from '../../../shared/validation/diagnostic';
import {
  fileTooLarge,
  MAX_DOCUMENT_BYTES,
  validateDocumentBytes,
  type DocumentValidation,
} from '../../../shared/validation/validate-document';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { packageComposeDiagnostics } from './compose-host-access';
import { listPackageFiles } from './list-package-files';
import { validateKit } from './validate-kit';
import { readBounded } from './read-bounded';

/** The path given to `validate` does not exist or cannot be read: a usage problem, not a finding. */
/** A path that is missing or cannot be read: the engineer names another one. */
export class UnreadablePathError extends CommissionerError<'invalid-input'> {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('invalid-input', message, { field: 'path' });
  }
}

const YAML_FILE = /\.(ya?ml|json)$/i;

/**
 * Validates a Margo document or a package directory. `shownAs` is how the path is written in
 * diagnostics (as the user typed it), `path` is where it is on disk.
 */
export async function validatePath(path: string, shownAs: string): Promise<ValidationReport> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new UnreadablePathError(path, describeFsError(shownAs, e));
  });
  let diagnostics: Diagnostic[];
  if (info.isDirectory() && existsSync(join(path, 'oci-layout'))) {
    diagnostics = await validateKit(path, shownAs, 'layout');
  } else if (info.isDirectory()) diagnostics = await validatePackageDirectory(path, shownAs);
  else if (info.isFile() && KIT_ARCHIVE.test(path)) {
    diagnostics = await validateKit(path, shownAs, 'archive');
  } else if (info.isFile()) diagnostics = (await validateFile(path, shownAs)).diagnostics;
  else throw new UnreadablePathError(path, `${shownAs} is neither a file nor a directory`);
  diagnostics.sort(compareDiagnostics);
  return { valid: !hasErrors(diagnostics), diagnostics };
}

const KIT_ARCHIVE = /\.(tar|tar\.gz|tgz)$/i;

/** A package folder, and the host access of the compose folders it carries for its components. */
async function validatePackageDirectory(dir: string, shownAs: string): Promise<Diagnostic[]> {
  const inspection = await inspectPackageDirectory(dir, shownAs);
  const described = inspection.description?.result;
  if (!described || described.kind !== 'ApplicationDescription' || !described.shapeValid)
    return inspection.diagnostics;
  return [
    ...inspection.diagnostics,
    ...packageComposeDiagnostics(dir, shownAs, described.value as ApplicationDescription),
  ];
}

export async function validateFile(
  path: string,
  shownAs: string,
  packageFiles?: PackageFiles,
): Promise<DocumentValidation> {
  let bytes: Uint8Array;
  try {
    const size = statSync(path).size;
    if (size > MAX_DOCUMENT_BYTES) return fileTooLarge(shownAs, size, MAX_DOCUMENT_BYTES);
    bytes = readBounded(path, MAX_DOCUMENT_BYTES);
  } catch (e) {
    throw new UnreadablePathError(path, describeFsError(shownAs, e as NodeJS.ErrnoException));
  }
  return validateDocumentBytes(
    bytes,
    packageFiles ? { file: shownAs, packageFiles } : { file: shownAs },
  );
}

/**
 * A package is a directory with exactly one ApplicationDescription at its root; the files it
 * references for the catalog must be inside it.
 */
export interface PackageInspection {
  diagnostics: Diagnostic[];
  /** The one description of the package; absent when there is none or more than one. */
  description?: { name: string; path: string; shownAs: string; result: DocumentValidation };
  packageFiles: PackageFiles;
}

/**
 * Reads a package directory: it has exactly one ApplicationDescription at its root, and the
 * files it references for the catalog must be inside it. Import builds on the same reading.
 */
export async function inspectPackageDirectory(
  dir: string,
  shownAs: string,
): Promise<PackageInspection> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new UnreadablePathError(dir, describeFsError(shownAs, e as NodeJS.ErrnoException));
  }
  const packageFiles = listPackageFiles(dir);
  const candidates = entries
    .filter((e) => e.isFile() && YAML_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
  let descriptions: { name: string; result: DocumentValidation }[] = [];
  const unreadable: Diagnostic[] = [];
  let unusableMargoYaml: { name: string; result: DocumentValidation } | undefined;
  for (const name of candidates) {
    const shown = join(shownAs, name);
    try {
      const result = await validateFile(join(dir, name), shown, packageFiles);
      if (result.kind === 'ApplicationDescription') descriptions.push({ name, result });
      else if (result.kind === null && /^margo\.ya?ml$/i.test(name))
        unusableMargoYaml = { name, result };
    } catch (e) {
      unreadable.push(
        packageDiagnostic('file-unreadable', shown, e instanceof Error ? e.message : String(e)),
      );
    }
  }
  // A margo.yaml that cannot be read as any document is most likely the broken description;
  // but build tools (margot) also keep their own config in a margo.yaml next to the real one.
  if (descriptions.length === 0 && unusableMargoYaml) descriptions = [unusableMargoYaml];
  if (descriptions.length === 0) {
    // An unreadable YAML file may well be the description: say that, not "there is none".
    if (unreadable.length > 0) return { diagnostics: unreadable, packageFiles };
    return {
      packageFiles,
      diagnostics: [
        packageDiagnostic(
          'package-no-description',
          shownAs,
          `no ApplicationDescription in the package root${candidates.length ? ` (YAML files there: ${candidates.join(', ')})` : ''}: a Margo package has exactly one, usually margo.yaml, at its top level`,
        ),
      ],
    };
  }
  const diagnostics = [...unreadable, ...descriptions.flatMap((d) => d.result.diagnostics)];
  if (descriptions.length > 1) {
    const names = descriptions.map((d) => d.name);
    for (const { name } of descriptions.slice(1)) {
      diagnostics.push(
        packageDiagnostic(
          'package-multiple-descriptions',
          join(shownAs, name),
          `the package root holds ${descriptions.length} ApplicationDescriptions (${names.join(', ')}): a package has exactly one; move the others to their own packages`,
        ),
      );
    }
    return { diagnostics, packageFiles };
  }
  const [only] = descriptions as [{ name: string; result: DocumentValidation }];
  return {
    diagnostics,
    packageFiles,
    description: {
      name: only.name,
      path: join(dir, only.name),
      shownAs: join(shownAs, only.name),
      result: only.result,
    },
  };
}

function packageDiagnostic(
  rule: 'package-no-description' | 'package-multiple-descriptions' | 'file-unreadable',
  file: string,
  message: string,
): Diagnostic {
  return { severity: 'error', rule, message, file, line: 1, column: 1, path: '' };
}

function describeFsError(shownAs: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return `${shownAs} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `${shownAs} cannot be read: permission denied`;
    case 'ENOTDIR':
      return `${shownAs} does not exist (a part of the path is not a directory)`;
    case 'ELOOP':
      return `${shownAs} cannot be read: too many symbolic links`;
    default:
      return `${shownAs} cannot be read: ${e.message}`;
  }
}
