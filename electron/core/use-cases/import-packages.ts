import { readFileSync } from 'node:fs';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ImportReport } from '../import/import-report';
import { importSources, type ImportSource } from '../import/import-sources';
import type { ProgressListener } from '../import/import-progress';
import type { RegistryCredentials } from '../registry/registry-auth';
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
  onProgress?: ProgressListener;
}

/**
 * Imports application packages, components and images into the store: each source staged,
 * verified and committed on its own, all or nothing. The report says, per item, what was
 * imported, unchanged, refused, invalid (at file:line:column) or unreadable.
 */
export async function importPackages(store: Store, input: ImportInput): Promise<ImportReport> {
  const ca = input.registry?.caFile ? readCa(input.registry.caFile) : undefined;
  return importSources(store, input.sources, {
    withDependencies: input.withDependencies ?? false,
    registry: {
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
