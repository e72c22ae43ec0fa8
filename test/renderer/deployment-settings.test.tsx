import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DeploymentSettings } from '../../renderer/src/screens/settings/DeploymentSettings';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { memoryCore } from './support/render-with-app';

const me = { installation: 'inst-ben', engineer: 'ben', host: 'LAPTOP-9' };

describe('Settings: deployments on devices', { timeout: 20_000 }, () => {
  it('shows and saves the engineer name and the watch interval; a refusal is said', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <DeploymentSettings />
      </AppProvider>,
    );
    await waitFor(() => expect(core.callsOf('settings.watchInterval')).toHaveLength(1));
    act(() => core.callsOf('settings.watchInterval')[0]?.answer({ seconds: 30 }));
    act(() => core.callsOf('settings.installation')[0]?.answer(me));
    const seconds = await screen.findByTestId(testIds.settings.watchInterval);
    await waitFor(() => expect((seconds as HTMLInputElement).value).toBe('30'));
    const save = screen.getByTestId(testIds.settings.watchIntervalSave);
    expect(save.hasAttribute('disabled')).toBe(true);

    // Not whole seconds: not sent at all.
    fireEvent.change(seconds, { target: { value: '2.5' } });
    expect(save.hasAttribute('disabled')).toBe(true);
    fireEvent.change(seconds, { target: { value: '4' } });
    fireEvent.click(save);
    await waitFor(() => expect(core.callsOf('settings.setWatchInterval')).toHaveLength(1));
    expect(core.callsOf('settings.setWatchInterval')[0]?.request).toEqual({ seconds: 4 });
    act(() =>
      core.callsOf('settings.setWatchInterval')[0]?.fail({
        name: 'invalid-input',
        message: '"4" is not a watch interval: give whole seconds from 5 to 3600',
        details: { field: 'seconds' },
      }),
    );
    const refused = await screen.findByTestId(testIds.settings.deploymentSettingsError);
    expect(refused.textContent).toContain('whole seconds from 5 to 3600');

    const engineer = screen.getByTestId(testIds.settings.engineer);
    expect((engineer as HTMLInputElement).value).toBe('ben');
    fireEvent.change(engineer, { target: { value: 'Ben Okafor' } });
    fireEvent.click(screen.getByTestId(testIds.settings.engineerSave));
    await waitFor(() => expect(core.callsOf('settings.setEngineer')).toHaveLength(1));
    expect(core.callsOf('settings.setEngineer')[0]?.request).toEqual({ engineer: 'Ben Okafor' });
    act(() => core.callsOf('settings.setEngineer')[0]?.answer({ ...me, engineer: 'Ben Okafor' }));
    // Saved: both asked again, the error gone.
    await waitFor(() => expect(core.callsOf('settings.installation')).toHaveLength(2));
    await waitFor(() =>
      expect(screen.queryByTestId(testIds.settings.deploymentSettingsError)).toBeNull(),
    );
    expect(screen.getByTestId(testIds.settings.installation).textContent).toContain('inst-ben');
  });
});
