import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SessionBadge } from '../../renderer/src/components/SessionBadge';
import { AppProvider, useApp } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';
import { renderWithApp } from './support/render-with-app';

/** The memory core, with the browser host's Log out (the desktop app has none). */
class LoggingOutTransport extends MemoryTransport {
  logout?: () => Promise<void>;
}

function core(role: 'viewer' | 'operator' | 'admin' | null) {
  return new LoggingOutTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'session.current': () => ({ account: role ? 'vera' : null, role }),
  });
}

describe('what the window offers, by the role of who is logged in', () => {
  it('a viewer is offered no deploy, import or removal; reading stays', async () => {
    const { result } = renderWithApp(() => useApp(), core('viewer'));
    await waitFor(() => expect(result.current.session?.role).toBe('viewer'));
    expect(result.current.may('deploy.start')).toBe(false);
    expect(result.current.may('imports.start')).toBe(false);
    expect(result.current.may('catalog.remove')).toBe(false);
    expect(result.current.may('catalog.list')).toBe(true);
  });

  it('an operator deploys but manages no devices or accounts', async () => {
    const { result } = renderWithApp(() => useApp(), core('operator'));
    await waitFor(() => expect(result.current.session?.role).toBe('operator'));
    expect(result.current.may('deploy.start')).toBe(true);
    expect(result.current.may('devices.add')).toBe(false);
    expect(result.current.may('users.add')).toBe(false);
  });

  it('without accounts (and before the answer) everything is offered, as before', async () => {
    const { result } = renderWithApp(() => useApp(), core(null));
    expect(result.current.may('users.add')).toBe(true);
    await waitFor(() => expect(result.current.session).toEqual({ account: null, role: null }));
    expect(result.current.may('deploy.start')).toBe(true);
  });

  it('shows who is logged in, and Log out ends the session through the transport', async () => {
    const transport = core('viewer');
    let loggedOut = 0;
    transport.logout = () => {
      loggedOut += 1;
      return Promise.resolve();
    };
    render(
      <AppProvider transport={transport}>
        <SessionBadge collapsed={false} />
      </AppProvider>,
    );
    const account = await screen.findByTestId(testIds.shell.sessionAccount);
    expect(account.textContent).toBe('veraViewer');
    expect(account.getAttribute('data-role')).toBe('viewer');
    await act(async () => {
      fireEvent.click(screen.getByTestId(testIds.shell.sessionLogout));
      await Promise.resolve();
    });
    expect(loggedOut).toBe(1);
  });

  it('shows nothing without an account', async () => {
    const transport = core(null);
    transport.logout = () => Promise.resolve();
    const { container } = render(
      <AppProvider transport={transport}>
        <SessionBadge collapsed={false} />
      </AppProvider>,
    );
    await waitFor(() => expect(container.innerHTML).toBe(''));
    expect(screen.queryByTestId(testIds.shell.sessionLogout)).toBeNull();
  });
});
