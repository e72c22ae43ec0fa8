import type { ImportReport } from '../../../shared/contract/import-report';

export {
  ConflictItem,
  ImportedItem,
  ImportReport,
  InvalidItem,
  ItemKind,
  SourceProblem,
} from '../../../shared/contract/import-report';

export function emptyReport(): ImportReport {
  return {
    imported: [],
    unchanged: [],
    conflicts: [],
    invalid: [],
    refused: [],
    unreadable: [],
    skipped: [],
    signatures: [],
  };
}

export function mergeReports(into: ImportReport, from: ImportReport): void {
  for (const key of Object.keys(into) as (keyof ImportReport)[])
    (into[key] as unknown[]).push(...from[key]);
}
