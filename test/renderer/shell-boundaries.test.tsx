import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { AppBoundary, ViewBoundary } from '../../renderer/src/components/ShellBoundaries';
import { preloadScreen } from '../../renderer/src/lazy-screens';
import { AppProvider, useApp } from '../../renderer/src/state/app-state';
import { leaveCrashedRoute, recordCrashedRoute } from '../../renderer/src/state/crashed-route';
import { testIds } from '../../renderer/src/test-ids';
import type { ResponseOf } from '../../shared/contract/operations';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';
import { memoryCore } from './support/render-with-app';

const RECORD = 'commissioner.crashedRoute';

function Fails(): never {
  throw new Error('drawing failed');
}

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
  sessionStorage.clear();
  window.history.replaceState(null, '', '#/catalog?app=com-example-hostile');
});
afterEach(() => {
  consoleError.mockRestore();
});

describe('the view boundary', () => {
  it('keeps a failing view to its place, remembers it, and tries again on another view', () => {
    const onCatalog = vi.fn();
    const { rerender } = render(
      <ViewBoundary routeKey="#/catalog?app=com-example-hostile" onCatalog={onCatalog}>
        <Fails />
      </ViewBoundary>,
    );
    expect(screen.getByTestId(testIds.shell.screenFailed).textContent).toMatch(
      /This view stopped with an error.*Reloading the window opens the catalog/,
    );
    expect(sessionStorage.getItem(RECORD)).toBe('#/catalog?app=com-example-hostile');
    fireEvent.click(screen.getByTestId(testIds.shell.screenFailedCatalog));
    expect(onCatalog).toHaveBeenCalledOnce();

    // The same view still fails: the fallback stays.
    rerender(
      <ViewBoundary routeKey="#/catalog?app=com-example-hostile" onCatalog={onCatalog}>
        <p>drawn</p>
      </ViewBoundary>,
    );
    expect(screen.queryByText('drawn')).toBeNull();
    // Another view is drawn.
    rerender(
      <ViewBoundary routeKey="#/devices" onCatalog={onCatalog}>
        <p>drawn</p>
      </ViewBoundary>,
    );
    expect(screen.getByText('drawn')).toBeTruthy();
    expect(screen.queryByTestId(testIds.shell.screenFailed)).toBeNull();
  });

  // The screens are chunks of their own: their code loads before the test's clock starts.
  beforeAll(() => Promise.all([preloadScreen('devices'), preloadScreen('settings')]));

  it('around the screens of the app: the navigation stays usable when a screen fails', async () => {
    window.history.replaceState(null, '', '#/devices');
    // The core sends JSON, which cannot hold a throwing getter: the fault is injected, standing
    // for anything a screen's code cannot draw.
    const unreadable = {
      get name(): string {
        throw new Error('unreadable device');
      },
    };
    const core = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'devices.list': () => [unreadable] as unknown as ResponseOf<'devices.list'>,
    });
    render(
      <AppProvider transport={core}>
        <App mode="light" onMode={() => {}} />
      </AppProvider>,
    );
    expect(await screen.findByTestId(testIds.shell.screenFailed)).toBeTruthy();
    expect(sessionStorage.getItem(RECORD)).toBe('#/devices');
    fireEvent.click(screen.getByTestId(testIds.shell.navTo('settings')));
    expect(await screen.findByTestId(testIds.settings.screen)).toBeTruthy();
    expect(screen.queryByTestId(testIds.shell.screenFailed)).toBeNull();
  });
});

describe('the app boundary', () => {
  it('replaces the window, marks it failed, remembers the view and offers a reload', () => {
    document.body.innerHTML = '<div id="root" data-app-state="loaded"></div>';
    render(
      <AppBoundary>
        <Fails />
      </AppBoundary>,
      { container: document.getElementById('root')! },
    );
    expect(screen.getByTestId(testIds.shell.appFailed).textContent).toMatch(
      /Commissioner stopped with an error/,
    );
    expect(screen.getByTestId(testIds.shell.appFailedReload)).toBeTruthy();
    expect(document.getElementById('root')?.getAttribute('data-app-state')).toBe('error');
    expect(sessionStorage.getItem(RECORD)).toBe('#/catalog?app=com-example-hostile');
  });
});

function RouteProbe() {
  const { route } = useApp();
  return <p data-testid="route">{JSON.stringify(route)}</p>;
}

describe('the next load', () => {
  it('does not reopen the view that failed: it opens the catalog and says why', () => {
    recordCrashedRoute('#catalog?app=com-example-hostile');
    const notice = leaveCrashedRoute();
    expect(notice).toBe(
      'The Catalog view for com-example-hostile stopped with an error at the last load, so Commissioner opened the catalog instead.',
    );
    expect(window.location.hash).toBe('#/catalog');
    expect(sessionStorage.getItem(RECORD)).toBeNull();

    render(
      <AppProvider transport={memoryCore()}>
        <RouteProbe />
        <App mode="light" onMode={() => {}} routeNotice={notice} />
      </AppProvider>,
    );
    expect(JSON.parse(screen.getByTestId('route').textContent ?? '')).toEqual({
      screen: 'catalog',
      params: {},
    });
    expect(screen.getByTestId(testIds.shell.routeSkipped).textContent).toContain(
      'stopped with an error at the last load',
    );
  });

  it('opens another view as usual, and forgets the failure', () => {
    recordCrashedRoute('#/deployments?id=d1');
    expect(leaveCrashedRoute()).toBeNull();
    expect(window.location.hash).toBe('#/catalog?app=com-example-hostile');
    expect(sessionStorage.getItem(RECORD)).toBeNull();
    expect(leaveCrashedRoute()).toBeNull();
  });
});
