import type { AppCore } from '../../electron/core/contract-handlers/app-core';
import { Job } from '../../shared/contract/jobs';

/**
 * Calls into an app core the way a face does, for tests that drive the core directly: `call`
 * throws the contract error's name and message; `waitForJob` polls `jobs.list` until the job
 * has ended. The core is looked up at each call (tests create it in `beforeAll`).
 */
export function coreCalls(core: () => AppCore, pollMs = 100) {
  async function call<T>(op: string, request: unknown = {}): Promise<T> {
    const answer = await core().call(op, request);
    if (!answer.ok) throw new Error(`${op}: ${answer.error.name}: ${answer.error.message}`);
    return answer.result as T;
  }
  async function waitForJob(id: string): Promise<Job> {
    for (;;) {
      const job = (await call<Job[]>('jobs.list')).find((j) => j.id === id);
      if (job && job.state !== 'running') return Job.parse(job);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  return { call, waitForJob };
}
