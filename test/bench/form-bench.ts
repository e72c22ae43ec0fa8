import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { DEMO_SOURCES } from '../../electron/demo-kit/build-demo-kit';
import { addDevice } from '../../electron/core/store/device-inventory';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { ensureRenderer } from '../../electron/browser-host/ensure-renderer';
import { startServe } from '../support/serve-process';
import type { Measure } from './run';

const SETTINGS = 200;
const SECTIONS = 10;
const KEYS = 40;
const APP = 'com-bench-form-200';

interface PageGlobals {
  __keys?: number[];
  document: {
    addEventListener(type: string, listener: (e: { timeStamp: number }) => void, c: boolean): void;
  };
}

/** The demo package with 200 settings of every kind, in 10 sections, all feeding its compose. */
function writeFormPackage(dir: string): void {
  cpSync(join(DEMO_SOURCES, 'package'), dir, { recursive: true });
  const margo = join(dir, 'margo.yaml');
  const base = readFileSync(margo, 'utf8');
  const head = base.slice(0, base.indexOf('parameters:'));
  const kinds = [
    ['text', 'dataType: string\n      minLength: 1\n      maxLength: 64'],
    ['code', "dataType: string\n      regexMatch: '^[A-Z]{2}-[0-9]{3}$'"],
    ['count', 'dataType: integer\n      minValue: 0\n      maxValue: 1000'],
    ['ratio', 'dataType: double\n      minValue: 0\n      maxValue: 1\n      maxPrecision: 3'],
    ['flag', 'dataType: boolean'],
  ] as const;
  const defaults = ['Line', 'AB-123', 10, 0.5, true];
  let parameters = 'parameters:\n';
  let sections = 'configuration:\n  sections:\n';
  for (let s = 0; s < SECTIONS; s++) {
    sections += `    - name: Section ${s + 1}\n      settings:\n`;
    for (let i = 0; i < SETTINGS / SECTIONS; i++) {
      const n = s * (SETTINGS / SECTIONS) + i;
      const kind = n % kinds.length;
      const value = defaults[kind];
      parameters += `  p${n}:\n    value: ${typeof value === 'string' ? JSON.stringify(value) : value}\n    targets:\n      - pointer: P_${n}\n        components: [line-status]\n`;
      sections += `        - parameter: p${n}\n          name: Setting ${n}\n          description: What setting ${n} does.\n          schema: ${kinds[kind]?.[0]}\n`;
    }
  }
  sections += `  schema:\n${kinds.map(([name, rule]) => `    - name: ${name}\n      ${rule}`).join('\n')}\n`;
  writeFileSync(
    margo,
    `${head.replace('id: org-commissioner-demo-line-status', `id: ${APP}`)}${parameters}${sections}`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * The configuration form of an app with 200 settings, in Debian's Chromium against the
 * browser host: from each keystroke in a field (the keydown's timestamp) to the end of the
 * validation it triggers (`form:validated`) and to the form drawn with its result
 * (`form:rendered`). Typing alternates valid and invalid values, so errors come and go.
 */
export async function formBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-form-bench-'));
  const home = join(root, 'home');
  ensureRenderer((line) => process.stderr.write(`bench: ${line}\n`));
  writeFormPackage(join(root, 'package'));
  const store = openStore(home);
  const report = await importSources(store, [{ input: 'package', path: join(root, 'package') }]);
  if (!report.imported.some((i) => i.kind === 'application')) {
    throw new Error(`the 200-setting package was not imported: ${JSON.stringify(report)}`);
  }
  // A device is needed to reach the form; it is never contacted.
  addDevice(store, {
    name: 'bench',
    kind: 'docker',
    connection: { protocol: 'tcp', host: '127.0.0.1', port: 9, tls: null },
    labels: {},
    described: {},
  });
  store.close();
  const server = await startServe(home);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__keys = [];
      g.document.addEventListener('keydown', (e) => g.__keys?.push(e.timeStamp), true);
    });
    // The printed URL once (it trades the access token for the cookie and redirects), then
    // the wizard's address on the same origin.
    await page.goto(server.url);
    await page.goto(new URL(`/#/deploy?app=${APP}&devices=bench`, page.url()).href);
    await page.getByTestId('deploy-step-devices').waitFor();
    await page.getByTestId('deploy-next').click();
    await page.getByTestId('deploy-step-profile').waitFor();
    await page.getByTestId('deploy-next').click();
    await page.locator('#root_p0').waitFor();
    const fields = await page.locator('[data-testid="deploy-form"] input').count();
    if (fields < SETTINGS) throw new Error(`the form shows ${fields} inputs, not ${SETTINGS}`);
    const input = page.locator('#root_p100'); // a text field in the middle of the form
    await input.click();
    await input.fill('');
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).__keys = [];
      performance.clearMarks();
    });
    await input.pressSequentially('Line number 7'.padEnd(KEYS, 'x'), { delay: 60 });
    await page.waitForTimeout(300);
    const keys = await page.evaluate(() => (globalThis as unknown as PageGlobals).__keys ?? []);
    const marks = await page.evaluate(() =>
      performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
    );
    const after = (name: string) =>
      keys.flatMap((t) => {
        const m = marks.find((mark) => mark.name === name && mark.t >= t);
        return m ? [m.t - t] : [];
      });
    const validated = after('form:validated').sort((a, b) => a - b);
    const rendered = after('form:rendered').sort((a, b) => a - b);
    if (validated.length < keys.length * 0.9) {
      throw new Error(`only ${validated.length} of ${keys.length} keystrokes were validated`);
    }
    const p95 = percentile(validated, 95);
    return [
      {
        name: `form of ${SETTINGS} settings: keystroke to validated (p95 of ${validated.length})`,
        value: Math.round(p95 * 10) / 10,
        unit: 'ms',
        target: '< 16 ms',
        pass: p95 < 16,
        detail: `median ${Math.round(percentile(validated, 50) * 10) / 10} ms; to the form drawn with the result: median ${Math.round(percentile(rendered, 50) * 10) / 10} ms, p95 ${Math.round(percentile(rendered, 95) * 10) / 10} ms`,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
