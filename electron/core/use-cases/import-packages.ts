import { audited, type AuditedResult } from '../audit/audited';
import { readFileSync } from 'node:fs';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ImportReport } from '../import/import-report';
import { importSources, type ImportSource } from '../import/import-sources';
import type { ProgressListener } from '../import/import-progress';
import { refuseLocalTarget } from '../local-targets/refuse-local-target';
import type { RegistryCredentials } from '../registry/registry-auth';
import { parseOciReference } from '../../../shared/oci/reference';
import type { Store } from '../store/store';

export interface ImportInput {
  /** Package folders, layouts, kits, folders to scan, or `oci://host/repo[:tag]` references. */
  sources: readonly ImportSource[];
  /** Registries: also pull the components and images the packages name. */
  withDependencies?: boolean;
  registry?: {
    plainHttp?: boolean;
    /** A CA certificate (PEM) to trust for the registry. */
    caFile?: { path: string; shownAs: string };
    credentials?: RegistryCredentials;
  };
  /**
   * Refuse registries on the station itself, wherever they are named (the reference, the
   * components a package names, redirects): set by faces others can reach (the browser host).
   */
  refuseLocalTargets?: boolean;
  onProgress?: ProgressListener;
}

/**
 * Imports application packages, components and images into the store: each source staged,
 * verified and committed on its own, all or nothing. The report says, per item, what was
 * imported, unchanged, refused, invalid (at file:line:column) or unreadable.
 */
export function importPackages(store: Store, input: ImportInput): Promise<ImportReport> {
  return audited(
    store,
    {
      operation: 'import',
      target: input.sources.map((s) => s.input).join(', '),
      inputs: {
        sources: input.sources.map((s) => s.input),
        withDependencies: input.withDependencies === true,
        // Registry credentials by presence only.
        credentials: input.registry?.credentials !== undefined,
        plainHttp: input.registry?.plainHttp === true,
      },
    },
    () => importNow(store, input),
    importOutcome,
  );
}

/** What an import report adds to its entry: what came in, what was refused and why. */
function importOutcome(report: ImportReport): AuditedResult {
  const kept = [...report.imported, ...report.unchanged];
  const problems = [
    ...report.conflicts,
    ...report.invalid,
    ...report.refused,
    ...report.unreadable,
  ];
  const packages = kept.filter((i) => i.kind === 'application');
  return {
    inputs: {
      imported: report.imported.map((i) => `${i.ref}@${i.digest}`),
      unchanged: report.unchanged.map((i) => `${i.ref}@${i.digest}`),
      problems: problems.map((p) => `${p.source}: ${p.message}`),
    },
    digests: {
      ...(packages.length === 1 && packages[0] ? { package: packages[0].digest } : {}),
      images: kept.filter((i) => i.kind === 'image').map((i) => i.digest),
    },
    ...(kept.length === 0 && problems.length > 0
      ? {
          outcome: {
            result: 'refused' as const,
            reason: problems.map((p) => p.message).join('; '),
            error: 'refused',
          },
        }
      : {}),
  };
}

async function importNow(store: Store, input: ImportInput): Promise<ImportReport> {
  const refuseLocal = input.refuseLocalTargets === true;
  for (const source of input.sources) {
    const parsed = source.input.startsWith('oci://') ? parseOciReference(source.input) : undefined;
    if (parsed?.ok) {
      const { registry } = parsed.reference;
      await refuseLocalTarget({ what: 'registry', shownAs: registry, registry }, refuseLocal);
    }
  }
  const ca = input.registry?.caFile ? readCa(input.registry.caFile) : undefined;
  return importSources(store, input.sources, {
    withDependencies: input.withDependencies ?? false,
    registry: {
      ...(refuseLocal ? { refuseLocal } : {}),
      ...(input.registry?.plainHttp ? { plainHttp: true } : {}),
      ...(ca ? { ca } : {}),
      ...(input.registry?.credentials ? { credentials: input.registry.credentials } : {}),
    },
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
}

function readCa(file: { path: string; shownAs: string }): string {
  try {
    return readFileSync(file.path, 'utf8');
  } catch {
    throw new CommissionerError(
      'invalid-input',
      `the CA file ${file.shownAs} cannot be read: check that it exists and that you may read it`,
      { field: 'ca' },
    );
  }
}
