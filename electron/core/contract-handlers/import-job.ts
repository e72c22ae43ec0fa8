import type { ImportSourceRequest } from '../../../shared/contract/imports';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { toContractError } from '../errors/to-contract-error';
import { emptyReport, mergeReports, type ImportReport } from '../import/import-report';
import type { Store } from '../store/store';
import { DEMO_SOURCE } from '../use-cases/app-info';
import { importPackages, type ImportInput } from '../use-cases/import-packages';
import type { JobBoard } from './job-board';
import type { PickedFiles } from './picked-files';

/**
 * An import as a job: sources one after the other (each all or nothing), per-source progress
 * in bytes, the merged report as the job's result. Returns at once with the job id. Tokens of
 * picked files become paths here; the rules are the import's own.
 */
export function startImportJob(
  store: Store,
  board: JobBoard,
  files: PickedFiles,
  requests: readonly ImportSourceRequest[],
  options: { demoKit: string | undefined; refuseLocalTargets: boolean },
): string {
  const planned = requests.map((r) => importInput(files, r, options.demoKit));
  const job = board.start(
    'import',
    planned.length === 1 ? `Import ${planned[0]?.label ?? ''}` : `Import ${planned.length} sources`,
    planned.map((p) => ({ label: p.label, state: 'waiting', done: 0, total: 0, unit: 'bytes' })),
  );
  void (async () => {
    const report = emptyReport();
    let failure;
    for (const [index, p] of planned.entries()) {
      board.update(job.id, index, { state: 'running' });
      try {
        const one = await importPackages(store, {
          ...p.input,
          refuseLocalTargets: options.refuseLocalTargets,
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
        failure = toContractError(e, `importing ${p.label}`);
        board.update(job.id, index, { state: 'failed', message: failure.message });
      }
    }
    board.finish(job.id, { result: report, ...(failure ? { error: failure } : {}) });
  })();
  return job.id;
}

function importInput(
  files: PickedFiles,
  request: ImportSourceRequest,
  demoKit: string | undefined,
): { label: string; input: ImportInput } {
  switch (request.kind) {
    case 'picked': {
      const picked = files.resolve(request.token);
      return {
        label: picked.name,
        input: { sources: [{ input: picked.name, path: picked.path }] },
      };
    }
    case 'demo': {
      if (!demoKit) {
        throw new CommissionerError(
          'not-supported',
          'the demo kit is not part of this installation',
          {},
        );
      }
      return {
        label: 'the demo kit',
        input: { sources: [{ input: DEMO_SOURCE, path: demoKit }] },
      };
    }
    case 'registry': {
      const ca = request.ca ? files.resolve(request.ca, 'file') : undefined;
      return {
        label: request.reference,
        input: {
          sources: [{ input: request.reference, path: '' }],
          withDependencies: request.withDependencies ?? false,
          registry: {
            plainHttp: request.plainHttp ?? false,
            ...(ca ? { caFile: { path: ca.path, shownAs: ca.name } } : {}),
            ...(request.username !== undefined
              ? { credentials: { username: request.username, password: request.password ?? '' } }
              : {}),
          },
        },
      };
    }
  }
}

function summary(r: ImportReport): string {
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
