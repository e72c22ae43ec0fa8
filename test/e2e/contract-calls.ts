import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { E2eState } from './e2e-state';

/** The contract as the page's own origin calls it: to set up and tidy up around a story. */
export interface ContractCalls {
  call<T>(op: string, request?: unknown): Promise<T>;
  /** Uploads a file for `purpose` (`tls-ca`, `import-kit`, …) and gives its token. */
  upload(purpose: string, path: string): Promise<string>;
  /** Waits until the job has ended and gives its final state. */
  jobEnded(jobId: string, timeout?: number): Promise<string>;
  /** Adds the fleet's daemons under `names` (the first name is the first daemon), once. */
  addDevices(state: E2eState, names: readonly string[]): Promise<void>;
}

export function contractCalls(page: Page, url: string): ContractCalls {
  const origin = new URL(url).origin;
  const call = async <T>(op: string, request: unknown = {}): Promise<T> => {
    const res = await page.request.post(`${origin}/api/call`, {
      data: { op, request },
      headers: { origin },
    });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${op}: ${body.error?.message}`);
    return body.result as T;
  };
  const upload = async (purpose: string, path: string): Promise<string> => {
    const res = await page.request.put(
      `${origin}/api/upload?purpose=${purpose}&name=${encodeURIComponent(basename(path))}`,
      { data: readFileSync(path), headers: { origin } },
    );
    return ((await res.json()) as { token: string }).token;
  };
  const jobEnded = async (jobId: string, timeout = 120_000): Promise<string> => {
    let ended = '';
    await expect
      .poll(
        async () => {
          ended =
            (await call<{ id: string; state: string }[]>('jobs.list')).find((j) => j.id === jobId)
              ?.state ?? '';
          return ended;
        },
        { timeout },
      )
      .toMatch(/^(succeeded|failed)$/);
    return ended;
  };
  const addDevices = async (state: E2eState, names: readonly string[]) => {
    const have = (await call<{ name: string }[]>('devices.list')).map((d) => d.name);
    for (const [i, name] of names.entries()) {
      if (have.includes(name)) continue;
      const d = state.devices[i]!;
      await call('devices.add', {
        name,
        host: d.url,
        tls: {
          ca: await upload('tls-ca', d.ca),
          cert: await upload('tls-cert', d.cert),
          key: await upload('tls-key', d.key),
        },
      });
    }
  };
  return { call, upload, jobEnded, addDevices };
}
