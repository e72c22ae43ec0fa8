import { ThemeProvider } from '@mui/material/styles';
import Dialog from '@mui/material/Dialog';
import { getContrastRatio } from '@mui/material/styles';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeploymentDetail } from '../../shared/contract/deployments';
import { DetailHeader } from '../../renderer/src/components/DetailHeader';
import { TOUCH_TARGET } from '../../renderer/src/density';
import { CatalogScreen } from '../../renderer/src/screens/catalog/CatalogScreen';
import { StepHeading } from '../../renderer/src/screens/deploy/StepHeading';
import { DeploymentDetailPane } from '../../renderer/src/screens/deployments/DeploymentDetailPane';
import { DeviceDialog } from '../../renderer/src/screens/devices/DeviceDialog';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { FOCUS_RING, makeTheme, type ThemeMode } from '../../renderer/src/theme';
import { APP_INFO } from './support/app-info';
import { catalogEntry } from './support/catalog-entry';
import { givenElementSize } from './support/element-size';
import { MemoryTransport } from './support/memory-transport';
import { memoryCore } from './support/render-with-app';

/** The app's own theme around `ui`, as main.tsx gives it: its defaults are under test too. */
function themed(ui: ReactNode, mode: ThemeMode = 'light') {
  return <ThemeProvider theme={makeTheme(mode)}>{ui}</ThemeProvider>;
}

afterEach(() => {
  window.history.replaceState(null, '', '#/catalog');
});

const DEPLOYMENT: DeploymentDetail = {
  id: 'd-1',
  appId: 'com-example-line',
  version: '1.0.0',
  device: 'press-61',
  profile: 'compose',
  state: 'installed',
  revision: 2,
  updatedAt: '2026-01-01T10:00:00.000Z',
  knownGood: 2,
  history: 2,
  rollbackTo: 1,
  error: null,
  createdAt: '2026-01-01T09:00:00.000Z',
  components: [],
  revisions: [],
  events: [],
  deployment: 'apiVersion: margo.org/v1-alpha1\n',
};

describe('the catalog from the keyboard', { timeout: 20_000 }, () => {
  givenElementSize(800);

  it('from the search box, ArrowDown enters the results and Enter opens the focused app', async () => {
    const entries = [catalogEntry('com-example-press'), catalogEntry('com-example-oven')];
    const core = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'catalog.list': () => ({ total: entries.length, entries }),
      'catalog.facets': () => ({ tags: [], organizations: [], types: [] }),
      'devices.list': () => [],
    });
    window.history.replaceState(null, '', '#/catalog');
    localStorage.setItem('commissioner.catalogView', 'list');
    render(
      themed(
        <AppProvider transport={core}>
          <CatalogScreen />
        </AppProvider>,
      ),
    );
    const first = await screen.findByTestId(testIds.catalog.item('com-example-press'));
    const search = screen.getByTestId(testIds.catalog.search);
    // Its name is what it shows.
    expect(screen.getByRole('searchbox', { name: 'Search apps' })).toBe(search);
    search.focus();
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByTestId(testIds.catalog.item('com-example-oven')),
      ),
    );
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    await waitFor(() => expect(window.location.hash).toBe('#/catalog?app=com-example-oven'));
  });
});

// MUI's first renders take over a second beside other test files on two cores.
describe(
  'the keyboard reaches everything, and every control says its own name',
  { timeout: 20_000 },
  () => {
    it('the Add device dialog focuses its Name field once open', async () => {
      render(
        themed(
          <AppProvider transport={memoryCore()}>
            <DeviceDialog open device={null} onClose={() => {}} onSaved={() => {}} />
          </AppProvider>,
        ),
      );
      const name = screen.getByTestId(testIds.devices.dialogField(false, 'name'));
      await waitFor(() => expect(document.activeElement).toBe(name));
    });

    it('a dialog focuses the first field typed into, not a checkbox before it', async () => {
      render(
        themed(
          <Dialog open>
            <input type="checkbox" aria-label="Also delete the data" />
            <input aria-label="Later field" />
          </Dialog>,
        ),
      );
      // The first field a person types into, not the checkbox.
      await waitFor(() =>
        expect(document.activeElement).toBe(screen.getByLabelText('Later field')),
      );
    });

    it('the wizard focuses the heading of each step as it appears', () => {
      function Wizard() {
        const [step, setStep] = useState(1);
        return (
          <>
            <StepHeading testId="heading">{`Step ${step} of 5`}</StepHeading>
            <button onClick={() => setStep((s) => s + 1)}>Next</button>
          </>
        );
      }
      render(themed(<Wizard />));
      const heading = screen.getByRole('heading', { name: 'Step 1 of 5' });
      expect(document.activeElement).toBe(heading);
      expect(heading.getAttribute('tabindex')).toBe('-1');
      const next = screen.getByRole('button', { name: 'Next' });
      next.focus();
      fireEvent.click(next);
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Step 2 of 5' }));
    });

    it('Escape closes a detail pane, but not while a dialog above it is open', async () => {
      const onClose = vi.fn();
      const { rerender } = render(
        themed(
          <DetailHeader onClose={onClose} closeTestId="close">
            press-61
          </DetailHeader>,
        ),
      );
      rerender(
        themed(
          <>
            <DetailHeader onClose={onClose} closeTestId="close">
              press-61
            </DetailHeader>
            <Dialog open onClose={() => {}}>
              <input aria-label="Name" />
            </Dialog>
          </>,
        ),
      );
      fireEvent.keyDown(screen.getByLabelText('Name'), { key: 'Escape' });
      fireEvent.keyDown(document.body, { key: 'Escape' });
      expect(onClose).not.toHaveBeenCalled();
      rerender(
        themed(
          <DetailHeader onClose={onClose} closeTestId="close">
            press-61
          </DetailHeader>,
        ),
      );
      await waitFor(() => expect(document.querySelector('.MuiModal-root')).toBeNull());
      act(() => {
        fireEvent.keyDown(document.body, { key: 'Escape' });
      });
      expect(onClose).toHaveBeenCalledOnce();
    });

    it('the deployment’s Update button is named "Update…" as it reads; its tooltip describes it', async () => {
      const core = new MemoryTransport({
        'app.info': () => APP_INFO,
        'jobs.list': () => [],
        'deployments.show': () => DEPLOYMENT,
      });
      render(
        themed(
          <AppProvider transport={core}>
            <DeploymentDetailPane id="d-1" entry={undefined} onClose={() => {}} />
          </AppProvider>,
        ),
      );
      const update = await screen.findByTestId(testIds.deployments.update);
      expect(screen.getByRole('button', { name: 'Update…' })).toBe(update);
      expect(update.getAttribute('aria-label')).toBeNull();
      // The tooltip's words are its description (as a title until the tooltip shows).
      expect(update.getAttribute('title')).toMatch(/the wizard opens for this device/);
      expect(screen.getByRole('button', { name: 'Roll back…' })).toBeTruthy();
    });
  },
);

describe('the theme', () => {
  it.each(['light', 'dark'] as const)(
    'draws a focus ring on every keyboard-focused control, at least 3:1 on the %s backgrounds',
    (mode) => {
      const theme = makeTheme(mode);
      const baseline = theme.components?.MuiCssBaseline?.styleOverrides as Record<
        string,
        Record<string, string>
      >;
      expect(baseline[':focus-visible, .Mui-focusVisible']?.outline).toContain(FOCUS_RING[mode]);
      for (const background of [theme.palette.background.default, theme.palette.background.paper]) {
        expect(getContrastRatio(FOCUS_RING[mode], background)).toBeGreaterThanOrEqual(3);
      }
    },
  );

  it('in the touch density makes buttons, icon buttons and fields at least 44 px', () => {
    const touch = makeTheme('light', 'touch').components!;
    const standard = makeTheme('light', 'standard').components!;
    const min = (c: { styleOverrides?: unknown } | undefined, slot = 'root') =>
      (c?.styleOverrides as Record<string, { minHeight?: number }> | undefined)?.[slot]?.minHeight;
    expect(TOUCH_TARGET).toBe(44);
    expect(min(touch.MuiButton)).toBe(44);
    expect(min(touch.MuiIconButton)).toBe(44);
    expect(min(touch.MuiInputBase)).toBe(44);
    expect(min(touch.MuiListItemButton)).toBe(44);
    expect(min(touch.MuiMenuItem)).toBe(44);
    expect(touch.MuiButton?.defaultProps?.size).toBe('medium');
    expect(standard.MuiButton?.defaultProps?.size).toBe('small');
    expect(min(standard.MuiInputBase)).toBeUndefined();
  });
});
