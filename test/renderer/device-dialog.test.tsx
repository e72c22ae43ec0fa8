import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AddedDevice, DeviceView } from '../../shared/contract/devices';
import { DeviceDetail } from '../../renderer/src/screens/devices/DeviceDetail';
import { DeviceDialog } from '../../renderer/src/screens/devices/DeviceDialog';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { memoryCore } from './support/render-with-app';

const FINGERPRINT = 'SHA256:QhdiNsFVlRUIQSuoo/d3rq5T3CrkQJoYXKcBxZ95Y4c';

const view: DeviceView = {
  name: 'press-43',
  kind: 'docker',
  connection: {
    protocol: 'ssh',
    address: 'ssh://engineer@10.0.7.43:22',
    secure: true,
    sshHostKey: { type: 'ssh-ed25519', fingerprint: FINGERPRINT, accepted: 'first-use' },
    sshAgent: true,
  },
  labels: {},
  described: {},
  lastProbe: null,
  lastSeen: null,
  addedAt: '2026-01-01T00:00:00.000Z',
  hostAccess: 'allow',
};

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

// The first render of MUI's dialog takes over a second alone; beside the other test files on
// two cores, more than vitest's default 5 s.
describe('adding an SSH device in the UI', { timeout: 20_000 }, () => {
  it('asks for a key or the agent, checks the fingerprint, and shows the key accepted', async () => {
    const core = memoryCore();
    const saved = vi.fn();
    render(
      <AppProvider transport={core}>
        <DeviceDialog open device={null} onClose={() => {}} onSaved={saved} />
      </AppProvider>,
    );
    type(testIds.devices.dialogField(false, 'name'), 'press-43');
    type(testIds.devices.dialogField(false, 'host'), 'ssh://engineer@10.0.7.43');
    type(testIds.devices.addSshFingerprint, 'SHA256:short');
    fireEvent.click(screen.getByTestId(testIds.devices.dialogSubmit(false)));
    expect(
      await screen.findByText(/choose the SSH key, or let this computer’s SSH agent log in/),
    ).toBeTruthy();
    expect(screen.getByText(/a fingerprint looks like SHA256:/)).toBeTruthy();
    expect(core.callsOf('devices.add')).toEqual([]);

    fireEvent.click(screen.getByTestId(testIds.devices.addSshAgent));
    type(testIds.devices.addSshFingerprint, '');
    fireEvent.click(screen.getByTestId(testIds.devices.dialogSubmit(false)));
    await waitFor(() => expect(core.callsOf('devices.add')).toHaveLength(1));
    expect(core.callsOf('devices.add')[0]?.request).toEqual({
      name: 'press-43',
      host: 'ssh://engineer@10.0.7.43',
      sshAgent: true,
    });
    const added: AddedDevice = {
      ...view,
      warnings: ['no SSH agent is running for this session now'],
    };
    act(() => core.callsOf('devices.add')[0]?.answer(added));
    // Accepted on first use: shown before the dialog closes, with the warning.
    const shown = await screen.findByTestId(testIds.devices.addedHostKey);
    expect(shown.textContent).toContain(`ED25519 ${FINGERPRINT}`);
    expect(shown.textContent).toContain('compare it with the fingerprint the device shows');
    expect(screen.getByTestId(testIds.devices.addedWarnings).textContent).toContain(
      'no SSH agent is running',
    );
    expect(saved).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId(testIds.devices.addedDone));
    expect(saved).toHaveBeenCalledWith(added);
  });

  it('the device shows its host key and whether the agent may log in, in words', () => {
    render(
      <AppProvider transport={memoryCore()}>
        <DeviceDetail device={view} probe={undefined} onClose={() => {}} />
      </AppProvider>,
    );
    const row = screen.getByTestId(testIds.devices.detailHostKey);
    expect(row.textContent).toContain(`ED25519 ${FINGERPRINT}`);
    expect(row.textContent).toContain('accepted the first time it was seen');
    expect(screen.getByText('may log in to the device')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/--ssh|first-use/);
  });
});
