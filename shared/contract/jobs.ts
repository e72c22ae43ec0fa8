import { z } from 'zod';
import { ContractError } from './contract-error';
import { DeviceOutcomeView } from './deploy';
import { ImportReport } from './import-report';

export const JobState = z.enum(['running', 'succeeded', 'failed']);
export type JobState = z.infer<typeof JobState>;

/** One line of a job: a source being imported, an image being side-loaded, a device. */
export const JobItem = z.strictObject({
  label: z.string(),
  state: z.enum(['waiting', 'running', 'succeeded', 'failed']),
  done: z.number().nonnegative(),
  /** 0 when unknown (the bar is then indeterminate). */
  total: z.number().nonnegative(),
  unit: z.enum(['bytes', 'items']),
  message: z.string().optional(),
});
export type JobItem = z.infer<typeof JobItem>;

/**
 * Long work (imports, later side-loads and deployments), as the job tray shows it. Finished
 * jobs are kept with their result: the last 200, listed after a restart too.
 */
export const Job = z.strictObject({
  id: z.string(),
  kind: z.enum(['import', 'deploy', 'rollback', 'remove']),
  title: z.string(),
  state: JobState,
  items: z.array(JobItem),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** An import's report, once it is done. */
  result: ImportReport.nullable(),
  /** A deploy, rollback or removal: how each device ended, once it is done. */
  outcomes: z.array(DeviceOutcomeView).nullable(),
  error: ContractError.nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobStarted = z.strictObject({ jobId: z.string() });
