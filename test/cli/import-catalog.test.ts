import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../electron/core/import/import-report';
import { ApplicationDetail, CatalogEntry } from '../../shared/contract/catalog-entry';
import { makePackageFixture } from '../support/kit-fixture';
import { runCli } from '../support/run-cli';

const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-import-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const cli = (args: string[]) => runCli(args, { env, cwd: root });

beforeAll(async () => {
  await makePackageFixture(join(root, 'fixture'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('kit pack, import and catalog from the command line', () => {
  it('kit pack writes a kit and lists what it holds; an existing output is refused', async () => {
    const run = await cli([
      'kit',
      'pack',
      'fixture/package',
      '--component',
      'monitor@1.2.0=fixture/compose',
      '--image',
      'fixture/monitor-image.tar',
      '-o',
      'kit.tar.gz',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      out: 'kit.tar.gz',
      entries: [
        expect.objectContaining({ kind: 'application', refName: 'com-example-line-monitor:1.2.0' }),
        expect.objectContaining({
          kind: 'compose',
          refName: 'registry.example.com/compose/monitor:1.2.0',
        }),
        expect.objectContaining({ kind: 'image', refName: 'registry.example.com/monitor:1.2.0' }),
      ],
    });
    expect(existsSync(join(root, 'kit.tar.gz'))).toBe(true);
    const again = await cli(['kit', 'pack', 'fixture/package', '-o', 'kit.tar.gz']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('kit pack refuses a component the description does not name, or of another revision', async () => {
    const unknown = await cli([
      'kit',
      'pack',
      'fixture/package',
      '--component',
      'nope@1.0.0=fixture/compose',
      '-o',
      'x.tar',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'has no component "nope" (its components: monitor, monitor-chart)',
    );
    const revision = await cli([
      'kit',
      'pack',
      'fixture/package',
      '--component',
      'monitor@9.9.9=fixture/compose',
      '-o',
      'x.tar',
    ]);
    expect(revision.stderr).toContain('is revision 1.2.0 in the description, not 9.9.9');
    const helm = await cli([
      'kit',
      'pack',
      'fixture/package',
      '--component',
      'monitor-chart@1.2.0=fixture/compose',
      '-o',
      'x.tar',
    ]);
    expect(helm.stderr).toContain('belongs to a helm profile');
    expect(existsSync(join(root, 'x.tar'))).toBe(false);
  });

  it('import prints the summary (exit 0), then the same kit again is unchanged (exit 0)', async () => {
    const first = await cli(['import', 'kit.tar.gz', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const report = ImportReport.parse(JSON.parse(first.stdout));
    expect(report.imported).toHaveLength(3);
    const human = await cli(['import', 'kit.tar.gz']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      'unchanged   application com-example-line-monitor 1.2.0  (kit.tar.gz)',
    );
    expect(human.stdout.trim().split('\n').at(-1)).toBe(
      '0 imported, 3 unchanged, 0 conflicts, 0 invalid, 0 refused, 0 unreadable',
    );
  });

  it('catalog list and show print the documented JSON', async () => {
    const list = await cli(['catalog', 'list', '--json']);
    expect(list.code).toBe(0);
    const entries = CatalogEntry.array().parse(JSON.parse(list.stdout));
    expect(entries).toEqual([
      {
        id: 'com-example-line-monitor',
        name: 'Line Monitor',
        version: '1.2.0',
        tagline: 'Watches the line',
        organization: 'Example Industrial',
        tags: [],
        profiles: ['compose', 'helm'],
        trust: 'unsigned',
      },
    ]);
    const search = await cli(['catalog', 'list', '--search', 'stoppage', '--json']);
    expect(JSON.parse(search.stdout)).toHaveLength(1);
    const none = await cli(['catalog', 'list', '--search', 'zzz']);
    expect(none.stdout.trim()).toBe('no application matches "zzz"');
    const show = await cli(['catalog', 'show', 'com-example-line-monitor@1.2.0', '--json']);
    const detail = ApplicationDetail.parse(JSON.parse(show.stdout));
    expect(detail.profiles.map((p) => p.components.map((c) => c.name))).toEqual([
      ['monitor'],
      ['monitor-chart'],
    ]);
    const missing = await cli(['catalog', 'show', 'com-nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not in the catalog');
  });

  it('exit 1 when something is invalid or in conflict, exit 2 when a source cannot be read', async () => {
    writeFileSync(
      join(root, 'fixture', 'package', 'margo.yaml'),
      (await import('node:fs'))
        .readFileSync(join(root, 'fixture', 'package', 'margo.yaml'), 'utf8')
        .replace('tagline: Watches the line', 'tagline: Rebuilt'),
    );
    const conflict = await cli(['import', 'fixture/package', '--json']);
    expect(conflict.code).toBe(1);
    expect(ImportReport.parse(JSON.parse(conflict.stdout)).conflicts).toHaveLength(1);
    const unreadable = await cli(['import', 'no-such-kit.tar', '--json']);
    expect(unreadable.code).toBe(2);
    expect(ImportReport.parse(JSON.parse(unreadable.stdout)).unreadable).toEqual([
      { source: 'no-such-kit.tar', message: 'no-such-kit.tar does not exist' },
    ]);
  });

  it('catalog remove takes a version away without asking when not on a terminal', async () => {
    const removed = await cli(['catalog', 'remove', 'com-example-line-monitor@1.2.0', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({
      id: 'com-example-line-monitor',
      removed: ['1.2.0'],
    });
    expect(JSON.parse((await cli(['catalog', 'list', '--json'])).stdout)).toEqual([]);
  });
});
