import { expect, test, type Page } from '@playwright/test';
import { testIds } from '../../renderer/src/test-ids';
import { contractCalls } from './contract-calls';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * The app on a 1366×768 ruggedized laptop, measured: with a detail pane open the essential
 * columns stay inside the window, names end in "…" instead of breaking, the search box shows
 * its whole placeholder; and the touch density makes every button at least 44 px tall.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

const WIDTH = 1366;
const DEVICES = ['line-1', 'line-2'];

let state: E2eState;
let page: Page;

function base(): string {
  return state.url.replace(/\/?(\?.*)?$/, '/');
}

/** Each visible button's text (or name) and height, for those lower than `min` px. */
async function buttonsLowerThan(min: number): Promise<string[]> {
  return page.evaluate((least) => {
    const low: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, [role="button"]')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || el.closest('[aria-hidden="true"]')) continue;
      if (box.height < least) {
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.outerHTML;
        low.push(`${name.slice(0, 60)}: ${box.height.toFixed(1)} px`);
      }
    }
    return low;
  }, min);
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);
  await contractCalls(page, state.url).addDevices(state, DEVICES);
});

test.afterAll(async () => {
  await page.close();
});

test('Devices with a device open: name, reachability, last seen and the actions stay on screen', async () => {
  await page.goto(`${base()}#/devices?device=line-1`);
  await expect(page.getByTestId(testIds.devices.deployments)).toBeVisible();
  const actions = await page.getByTestId(testIds.devices.actionsHeader).boundingBox();
  expect(actions, 'the Actions column is drawn').not.toBeNull();
  expect(actions!.x + actions!.width).toBeLessThanOrEqual(WIDTH);
  for (const name of DEVICES) {
    for (const button of [testIds.devices.probe(name), testIds.devices.remove(name)]) {
      const box = await page.getByTestId(button).boundingBox();
      expect(box, `${button} is drawn`).not.toBeNull();
      expect(box!.x + box!.width, `${button} ends inside the window`).toBeLessThanOrEqual(WIDTH);
    }
    // The name on one line, whole in its accessible name and title.
    const open = page.getByTestId(testIds.devices.open(name));
    await expect(open).toHaveAccessibleName(name);
    await expect(open).toHaveAttribute('title', name);
    const lines = await open.evaluate((el) => {
      const style = getComputedStyle(el);
      return Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight || '20'));
    });
    expect(lines).toBeLessThanOrEqual(1);
  }
  // "Last seen" (the header and its values) on one line.
  const header = page.getByRole('columnheader', { name: 'Last seen' });
  const headerBox = await header.boundingBox();
  const nameHeader = await page.getByRole('columnheader', { name: 'Name' }).boundingBox();
  expect(headerBox!.height).toBeLessThanOrEqual(nameHeader!.height + 1);
  // No horizontal scroll inside the list.
  const scrolls = await page
    .getByRole('table', { name: 'Devices' })
    .evaluate((table) => table.parentElement!.scrollWidth > table.parentElement!.clientWidth);
  expect(scrolls).toBe(false);
  await shoot(page, 'small-devices-detail-open');
});

test('the catalog search box shows its whole placeholder', async () => {
  await page.goto(`${base()}#/catalog`);
  const search = page.getByTestId(testIds.catalog.search);
  await expect(search).toBeVisible();
  const fits = await search.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = context.measureText(input.placeholder).width;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { text, room };
  });
  expect(fits.text).toBeLessThanOrEqual(fits.room);
});

test('the touch density (Settings) makes every button at least 44 px tall', async () => {
  await page.goto(`${base()}#/settings`);
  await page.getByTestId(testIds.settings.densityOption('touch')).check();
  await expect(page.getByTestId(testIds.settings.densityOption('touch'))).toBeChecked();
  for (const [hash, ready] of [
    ['#/devices?device=line-1', testIds.devices.deployments],
    ['#/catalog', testIds.catalog.count],
    ['#/settings', testIds.margo.section],
  ] as const) {
    await page.goto(`${base()}${hash}`);
    await expect(page.getByTestId(ready)).toBeVisible();
    expect(await buttonsLowerThan(44), `buttons under 44 px on ${hash}`).toEqual([]);
  }
  await shoot(page, 'small-touch-settings');
  // Kept where the theme is kept: a reload keeps it.
  await page.reload();
  await expect(page.getByTestId(testIds.settings.densityOption('touch'))).toBeChecked();
  const standard = page.getByTestId(testIds.settings.densityOption('standard'));
  await standard.check();
  await page.goto(`${base()}#/devices?device=line-1`);
  await expect(page.getByTestId(testIds.devices.deployments)).toBeVisible();
  // The standard density is denser: the check above is not passing by accident.
  expect((await buttonsLowerThan(44)).length).toBeGreaterThan(0);
});
