import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Page } from '@playwright/test';

/** What the global setup started, for the tests (they run in other processes). */
export interface E2eState {
  /** The browser host's URL. */
  url: string;
  root: string;
  devices: { url: string; host: string; ca: string; cert: string; key: string }[];
  /** A kit with an app only arm64 devices can run. */
  armKit: string;
  /** The demo app 1.0.1, whose board cannot start (a real failure on the device). */
  brokenUpdate: string;
  /** The served app's data home (a test provisions a Margo client in it). */
  home: string;
}

/** The global setup names the state file in the environment, which the test workers inherit. */
export const E2E_STATE_VARIABLE = 'COMMISSIONER_E2E_STATE';

export function newStatePath(): string {
  return join(tmpdir(), `commissioner-e2e-state-${process.pid}.json`);
}

export function readE2eState(): E2eState {
  const path = process.env[E2E_STATE_VARIABLE];
  if (!path)
    throw new Error(`${E2E_STATE_VARIABLE} is not set: run the tests with the Playwright config`);
  return JSON.parse(readFileSync(path, 'utf8')) as E2eState;
}

/** Where the screenshots of each screen are kept (test artifacts). */
export const SHOTS = new URL('../../test-results/e2e/screens/', import.meta.url).pathname;

/** Photographs the whole page into SHOTS as `<name>.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
