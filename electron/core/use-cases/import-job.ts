import { readFileSync } from 'node:fs';
import type { ImportSourceRequest } from '../../../shared/contract/imports';
import type { ContractError } from '../../../shared/contract/contract-error';
import { emptyReport, mergeReports } from '../import/import-report';
import { importSources, type ImportSource } from '../import/import-sources';
import type { Store } from '../store/store';
import type { JobBoard } from '../contract-handlers/job-board';
import type { PickedFiles } from '../contract-handlers/picked-files';

/** One source as the import service takes it, with its own registry access. */
interface PlannedSource {
  label: string;
  source: ImportSource;
  options: Parameters<typeof importSources>[2];
}

/**
 * Starts an import as a job: sources one after the other (each all or nothing), per-source
 * progress in bytes, the merged report as the job's result. Returns at once with the job id.
 */
export function startImportJob(
  store: Store,
  board: JobBoard,
  files: PickedFiles,
  requests: readonly ImportSourceRequest[],
  demoKit: string | undefined,
  onDone: () => void,
): string {
  const planned = requests.map((r) => plan(files, r, demoKit));
  const job = board.start(
    'import',
    planned.length === 1 ? `Import ${planned[0]?.label ?? ''}` : `Import ${planned.length} sources`,
    planned.map((p) => ({
      label: p.label,
      state: 'waiting',
      done: 0,
      total: 0,
      unit: 'bytes',
    })),
  );
  void (async () => {
    const report = emptyReport();
    let failure: ContractError | undefined;
    for (const [index, p] of planned.entries()) {
      board.update(job.id, index, { state: 'running' });
      try {
        const one = await importSources(store, [p.source], {
          ...p.options,
          onProgress: (progress) =>
            board.update(job.id, index, {
              done: progress.bytes,
              total: progress.totalBytes ?? 0,
              message: progress.phase,
            }),
        });
        mergeReports(report, one);
        const bad =
          one.refused.length + one.unreadable.length + one.invalid.length + one.conflicts.length;
        board.update(job.id, index, {
          state: bad > 0 ? 'failed' : 'succeeded',
          message: summary(one),
        });
      } catch (e) {
        failure = { name: (e as Error).name, message: (e as Error).message };
        board.update(job.id, index, { state: 'failed', message: failure.message });
      }
    }
    board.finish(job.id, { result: report, ...(failure ? { error: failure } : {}) });
    onDone();
  })();
  return job.id;
}

function plan(
  files: PickedFiles,
  request: ImportSourceRequest,
  demoKit: string | undefined,
): PlannedSource {
  switch (request.kind) {
    case 'picked': {
      const picked = files.resolve(request.token);
      return { label: picked.name, source: { input: picked.name, path: picked.path }, options: {} };
    }
    case 'demo': {
      if (!demoKit) throw new Error('the demo kit is not part of this installation');
      return { label: 'the demo kit', source: { input: 'demo kit', path: demoKit }, options: {} };
    }
    case 'registry': {
      const ca = request.ca ? files.resolve(request.ca, 'file').path : undefined;
      return {
        label: request.reference,
        source: { input: request.reference, path: '' },
        options: {
          withDependencies: request.withDependencies ?? false,
          registry: {
            plainHttp: request.plainHttp ?? false,
            ...(ca ? { ca: readFileSync(ca, 'utf8') } : {}),
            ...(request.username !== undefined
              ? { credentials: { username: request.username, password: request.password ?? '' } }
              : {}),
          },
        },
      };
    }
  }
}

function summary(r: ReturnType<typeof emptyReport>): string {
  const parts = [
    [r.imported.length, 'imported'],
    [r.unchanged.length, 'unchanged'],
    [r.conflicts.length, 'in conflict'],
    [r.invalid.length, 'invalid'],
    [r.refused.length, 'refused'],
    [r.unreadable.length, 'unreadable'],
  ] as const;
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, what]) => `${n} ${what}`)
      .join(', ') || 'nothing to import'
  );
}
