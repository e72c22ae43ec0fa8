import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../shared/contract/catalog-entry';
import type { RevisionSummary } from '../../shared/contract/deployments';
import type { DeviceView } from '../../shared/contract/devices';
import { ConfirmDialog } from '../../renderer/src/components/ConfirmDialog';
import { ErrorAlert } from '../../renderer/src/components/ErrorAlert';
import { MarkdownText } from '../../renderer/src/components/MarkdownText';
import { CatalogResults } from '../../renderer/src/screens/catalog/CatalogResults';
import type { CatalogData } from '../../renderer/src/screens/catalog/use-catalog-pages';
import { RevisionsTable } from '../../renderer/src/screens/deployments/RevisionsTable';
import { DeviceDetail } from '../../renderer/src/screens/devices/DeviceDetail';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { catalogEntry } from './support/catalog-entry';
import { givenElementSize } from './support/element-size';
import { MemoryTransport } from './support/memory-transport';
import { memoryCore } from './support/render-with-app';

const CLI_FLAG = /(?<![\w-])--[a-z]/;

const press: DeviceView = {
  name: 'press-61',
  kind: 'docker',
  connection: { protocol: 'tcp', address: 'tcp://10.0.7.61:2376', secure: true },
  labels: {},
  described: {},
  lastProbe: {
    name: 'press-61',
    reachable: false,
    error: {
      kind: 'tls-untrusted-server',
      message:
        "TLS: the device's certificate at tcp://10.0.7.61:2376 is not signed by the CA given with --tls-ca (the laptop refused the device): use this device's CA",
    },
    capabilities: {
      properties: {
        id: 'press-61',
        vendor: 'Siemens',
        modelNumber: 'IPC427E',
        serialNumber: 'S-61',
        memory: '24683784Ki',
        storage: '59 Gi',
      },
    },
    facts: null,
    probedAt: '2026-12-06T10:00:00.000Z',
  },
  lastSeen: null,
  addedAt: '2026-01-01T00:00:00.000Z',
  hostAccess: 'deny',
};

describe('words for people', { timeout: 20_000 }, () => {
  it('a device shows its capacities in GiB, and its TLS failure names the fields, not the flags', () => {
    render(
      <AppProvider transport={memoryCore()}>
        <DeviceDetail device={press} probe={undefined} onClose={() => {}} />
      </AppProvider>,
    );
    const capabilities = screen.getByTestId(testIds.devices.detailCapabilities).textContent;
    expect(capabilities).toContain('23.5 GiB');
    expect(capabilities).toContain('59 GiB');
    expect(capabilities).not.toContain('Ki');
    const error = screen.getByTestId(testIds.devices.detailError).textContent ?? '';
    expect(error).toContain('not signed by the CA given as “CA certificate”');
    expect(error).not.toMatch(CLI_FLAG);
  });

  it('a registry error says which field to fill in', () => {
    render(
      <ErrorAlert
        error={
          {
            name: 'registry-unreachable',
            message:
              'registry r.plant.local:5000 speaks plain HTTP, not HTTPS: use --plain-http if this is intended',
            details: {},
          } as never
        }
        testId="registry-error"
      />,
    );
    const text = screen.getByTestId('registry-error').textContent ?? '';
    expect(text).toContain('tick “Plain HTTP” if this is intended');
    expect(text).not.toMatch(CLI_FLAG);
  });

  it('a rollback the engineer asked for is neutral; one after a failure is amber', () => {
    const revision = (n: number, more: Partial<RevisionSummary>): RevisionSummary => ({
      revision: n,
      history: 1,
      version: `1.0.${n}`,
      profile: 'compose',
      digest: `sha256:${n}`,
      outcome: 'superseded',
      error: null,
      createdAt: '2026-12-06T10:00:00.000Z',
      ...more,
    });
    render(
      <RevisionsTable
        revisions={[
          revision(1, { outcome: 'installed' }),
          revision(2, {
            outcome: 'rolled-back',
            error: { code: 'rolled-back', message: 'revision 2 failed', source: 'board' },
          }),
          revision(3, { outcome: 'rolled-back' }),
        ]}
        current={1}
        knownGood={1}
        history={1}
      />,
    );
    const tone = (n: number) =>
      screen
        .getByTestId(testIds.deployments.revision(n))
        .querySelector('[data-tone]')
        ?.getAttribute('data-tone');
    expect(tone(2)).toBe('warning');
    expect(tone(3)).toBe('neutral');
  });

  it('the rollback dialog confirms in the primary colour, a removal in red', () => {
    const dialog = (tone: 'neutral' | 'danger', testId: string) => (
      <ConfirmDialog
        open
        title="?"
        confirmLabel="Go"
        onConfirm={() => Promise.resolve()}
        onClose={() => {}}
        testId={testId}
        tone={tone}
      >
        text
      </ConfirmDialog>
    );
    const { rerender } = render(dialog('neutral', 'rollback'));
    expect(screen.getByTestId('rollback-confirm').className).toMatch(/MuiButton-colorPrimary/);
    rerender(dialog('danger', 'remove'));
    expect(screen.getByTestId('remove-confirm').className).toMatch(/MuiButton-colorError/);
  });

  it('release notes that start with "# Release notes" do not say it twice', async () => {
    render(
      <MarkdownText
        text={{
          path: 'resources/release-notes.md',
          format: 'markdown',
          text: '# Release notes\n\n## 1.0.0\n\n- First release.\n',
        }}
        host="browser"
        testId="notes"
        under={['Release notes']}
      />,
    );
    const notes = await screen.findByTestId('notes');
    await waitFor(() => expect(notes.textContent).toContain('First release.'));
    expect(notes.textContent).not.toMatch(/Release notes/i);
    expect(notes.querySelector('h2')?.textContent).toBe('1.0.0');
  });
});

describe('catalog cards', { timeout: 20_000 }, () => {
  givenElementSize(900);

  function cards(entries: CatalogEntry[], transport: MemoryTransport) {
    const data: CatalogData = {
      filter: {},
      total: entries.length,
      pages: new Map([[0, entries]]),
      version: 1,
    };
    return (
      <AppProvider transport={transport}>
        <CatalogResults
          data={data}
          view="grid"
          entryAt={(i) => entries[i]}
          ensureRange={() => {}}
          selectedId={null}
          onSelect={() => {}}
          empty={null}
        />
      </AppProvider>
    );
  }

  it('say on how many devices the app runs, and show a badge when it needs host access', async () => {
    let devices = 5;
    let calls = 0;
    const transport = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'catalog.icons': () => ({ icons: [] }),
      'catalog.reach': ({ apps }) => {
        calls++;
        return {
          apps: apps.map(({ id, version }) => ({
            id,
            version,
            devices,
            runsOn: id === 'press-watch' ? 3 : 0,
            mayRunOn: id === 'press-watch' ? 1 : 0,
            hostAccess: id === 'press-watch' ? 'needed' : 'none',
          })),
        };
      },
    });
    render(cards([catalogEntry('press-watch'), catalogEntry('line-board')], transport));
    const reach = await screen.findByTestId(testIds.catalog.reach('press-watch'));
    expect(reach.textContent).toBe('Runs on 3 of 5 devices, may run on 1 more');
    expect(screen.getByTestId(testIds.catalog.hostAccess('press-watch')).textContent).toBe(
      'Host access',
    );
    expect((await screen.findByTestId(testIds.catalog.reach('line-board'))).textContent).toBe(
      'Runs on none of the 5 devices',
    );
    expect(screen.queryByTestId(testIds.catalog.hostAccess('line-board'))).toBeNull();
    // The cards of one frame ask in one call.
    expect(calls).toBe(1);

    // A device added: the cards ask again and follow.
    devices = 6;
    act(() => transport.emit({ event: 'store.changed', payload: { what: ['devices'] } }));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.catalog.reach('press-watch')).textContent).toBe(
        'Runs on 3 of 6 devices, may run on 1 more',
      ),
    );
    expect(calls).toBe(2);
  });
});
