import { describe, expect, it } from 'vitest';
import type { CompatibilityDevice } from '../../shared/compatibility/compatibility-device';
import { compatibilityRows } from '../../shared/compatibility/evaluate';
import { jsonText } from '../../shared/compatibility/json-text';
import type { CompatibilityRow } from '../../shared/compatibility/verdict';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import type { DeviceCapabilitiesManifest } from '../../shared/margo/device-capabilities';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { BASE_CAPABILITIES, BASE_DESCRIPTION, edit } from '../support/base-documents';

describe('what the evaluator reads once and reuses', () => {
  it('quotes values in reasons exactly as JSON.stringify writes them', () => {
    const values: unknown[] = [
      'plain',
      'é and 😀',
      'a "quoted" word',
      'back\\slash',
      'line\nbreak',
      '\u001f',
      '\ud800 alone',
      '',
      0,
      -0,
      1.5,
      -2e-7,
      1e21,
      NaN,
      Infinity,
      true,
      false,
      null,
      undefined,
      [],
      ['a', 1, true],
      ['a"b', NaN],
      [undefined, null],
      // A hole, as a sparse list has one.
      [1, , 2], // eslint-disable-line no-sparse-arrays
      [{ type: 'gpu' }],
      { type: 'gpu' },
    ];
    for (const v of values) expect(jsonText(v), String(v)).toBe(JSON.stringify(v));
  });

  const application = (i: number) =>
    validateDocumentText(
      edit(
        BASE_DESCRIPTION,
        '    id: line-monitor-compose\n',
        `    id: line-monitor-compose
    requiredResources:
      cpu: {cores: ${i + 1}}
      memory: ${i + 1}Gi
      peripherals: [{type: gpu, manufacturer: NVIDIA}]
    deviceConstraints:
      eligibilityRules:
        - propertySelector: {matchExpressions: [{key: /vendor, operator: In, values: [V${i}]}]}
        - labelSelector: {matchExpressions: [{key: line, operator: In, values: ["${i}"]}]}
          propertySelector: {matchExpressions: [{key: /peripherals, operator: ContainsAny, itemSelector: {matchExpressions: [{key: /type, operator: In, values: [gpu]}]}}]}
`,
      ),
      { file: `app-${i}` },
    ).value as ApplicationDescription;

  const device = (j: number): CompatibilityDevice => {
    const capabilities = validateDocumentText(BASE_CAPABILITIES, { file: 'c' })
      .value as DeviceCapabilitiesManifest;
    capabilities.properties.vendor = j % 3 ? `V${j % 2}` : '';
    capabilities.properties.memory = `${j + 1}Gi`;
    capabilities.properties.cpus = [{ cores: j + 1, architecture: 'amd64' }];
    if (j % 2) delete capabilities.properties.peripherals;
    else capabilities.properties.peripherals = [{ type: 'gpu', manufacturer: 'nvidia' }];
    capabilities.labels = { line: String(j % 2) };
    return {
      name: `dev-${j}`,
      source: j % 2 ? 'docker-probe' : 'margo-client',
      capabilities,
      unknown: j % 2 ? ['vendor', 'peripherals'] : [],
    };
  };

  it('gives each device × profile the rows a first reading gives, in either order', () => {
    const apps = [0, 1, 2].map(application);
    const devices = [0, 1, 2, 3, 4, 5].map(device);
    const said = (rows: CompatibilityRow[]) =>
      rows.map(({ verdict, checks }) => ({ verdict, checks }));
    // Copies under names never seen: nothing kept from another pair can reach their rows.
    let copies = 0;
    const fresh = (i: number, j: number) => {
      const app = structuredClone(apps[i]) as ApplicationDescription;
      for (const p of app.deploymentProfiles) p.id = `${p.id}-copy-${++copies}`;
      const d = structuredClone(devices[j]) as CompatibilityDevice;
      return said(compatibilityRows(app, { ...d, name: `copy-${++copies}` }));
    };
    const byApp = apps.map((app) => devices.map((d) => compatibilityRows(app, d)));
    const byDevice = devices.map((d) => apps.map((app) => compatibilityRows(app, d)));
    apps.forEach((_, i) =>
      devices.forEach((_, j) => {
        expect(said(byApp[i]?.[j] ?? [])).toEqual(fresh(i, j));
        expect(said(byDevice[j]?.[i] ?? [])).toEqual(fresh(i, j));
      }),
    );
    // The devices differ where the rules look, so a reused reading would show.
    const verdicts = new Set(
      byApp.flat(2).map((row) => `${row.verdict}: ${row.checks.at(-1)?.reason}`),
    );
    expect(verdicts.size).toBeGreaterThan(4);
  });
});
