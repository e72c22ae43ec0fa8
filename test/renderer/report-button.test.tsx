import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReportButton } from '../../renderer/src/components/ReportButton';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { memoryCore } from './support/render-with-app';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('the Report button', { timeout: 20_000 }, () => {
  it('in the browser: asks PDF or web page, makes the report of the device and downloads it', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <ReportButton devices={['line-7']} testId={testIds.devices.report('line-7')} />
      </AppProvider>,
    );
    fireEvent.click(screen.getByTestId(testIds.devices.report('line-7')));
    fireEvent.click(await screen.findByTestId(testIds.devices.reportFormat('html')));
    await waitFor(() => expect(core.callsOf('reports.create')).toHaveLength(1));
    expect(core.callsOf('reports.create')[0]?.request).toEqual({
      devices: ['line-7'],
      to: { kind: 'download', format: 'html' },
    });
    const ticket = { token: 't1', name: 'commissioning-report-2026-12-06T1200Z.html', size: 10 };
    act(() =>
      core.callsOf('reports.create')[0]?.answer({
        digest: DIGEST,
        devices: 1,
        file: null,
        download: ticket,
      }),
    );
    const made = await screen.findByTestId(testIds.devices.reportMade);
    expect(made.getAttribute('data-digest')).toBe(DIGEST);
    expect(made.textContent).toContain('downloaded as commissioning-report-2026-12-06T1200Z.html');
    expect(core.downloads).toEqual([ticket]);
  });

  it('says why no report was made', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <ReportButton devices="all" testId={testIds.devices.reportAll} />
      </AppProvider>,
    );
    fireEvent.click(screen.getByTestId(testIds.devices.reportAll));
    fireEvent.click(await screen.findByTestId(testIds.devices.reportFormat('pdf')));
    await waitFor(() => expect(core.callsOf('reports.create')).toHaveLength(1));
    act(() =>
      core.callsOf('reports.create')[0]?.fail({
        name: 'not-found',
        message: 'no device named line-9 in the inventory',
        details: { thing: 'device', name: 'line-9' },
      }),
    );
    const error = await screen.findByTestId(testIds.devices.reportError);
    expect(error.textContent).toContain('no device named line-9');
    expect(core.downloads).toEqual([]);
  });

  it('in the desktop app: the save dialog chooses the file; cancelling it makes nothing', async () => {
    const core = memoryCore();
    core.host = 'electron';
    render(
      <AppProvider transport={core}>
        <ReportButton devices="all" testId={testIds.devices.reportAll} />
      </AppProvider>,
    );
    fireEvent.click(screen.getByTestId(testIds.devices.reportAll));
    // The memory transport's dialog is cancelled: no menu, no call.
    await waitFor(() =>
      expect(screen.getByTestId(testIds.devices.reportAll).hasAttribute('disabled')).toBe(false),
    );
    expect(screen.queryByTestId(testIds.devices.reportFormat('pdf'))).toBeNull();
    expect(core.callsOf('reports.create')).toEqual([]);
  });
});
