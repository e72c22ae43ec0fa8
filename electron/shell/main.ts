// The Electron shell's main process: a thin face over the core. It owns the window, the
// native dialogs, the menu and the IPC hop; everything else is the core's (plain Node).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, session, type BrowserWindow } from 'electron';
import type { EventMessage } from '../../shared/contract/wire';
import { createAppCore } from '../core/contract-handlers/app-core';
import type { AppCore } from '../core/contract-handlers/app-core-api';
import { dataHome } from '../core/store/data-home';
import { buildAppMenu, type MenuCommand } from './app-menu';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { denyPermissions, hardenWebContents } from './hardening';
import { handleCalls, sendEvent } from './ipc';
import { createMainWindow } from './main-window';
import { pickFile } from './pick-file';

/** Set by the bundler (electron/build/bundle-shell.ts) from package.json. */
declare const __COMMISSIONER_VERSION__: string | undefined;

const PRODUCT_NAME = 'Commissioner';
const CLOSE_TIMEOUT_MS = 10_000;

function main(): void {
  // The app root: the repository, or app.asar once packaged (the bundler keeps import.meta.url
  // meaning this file's place in it). The bundles and the built renderer are under out/.
  const appRoot = fileURLToPath(new URL('../..', import.meta.url));
  const preload = join(appRoot, 'out', 'preload', 'preload.cjs');
  const rendererRoot = join(appRoot, 'out', 'renderer');
  const isDev = !app.isPackaged;
  // electron-builder ships the demo kit as an extra resource, outside app.asar.
  const demoKit = app.isPackaged
    ? join(process.resourcesPath, 'demo-kit.tar')
    : join(appRoot, 'resources', 'demo-kit.tar');
  const isMac = process.platform === 'darwin';
  const version =
    typeof __COMMISSIONER_VERSION__ === 'string' ? __COMMISSIONER_VERSION__ : app.getVersion();

  // The CLI's data home; Electron's own profile beside it when COMMISSIONER_HOME is given, so
  // a test (or a second data home) gets its own profile and single-instance lock.
  const home = dataHome();
  app.setName(PRODUCT_NAME);
  app.setPath(
    'userData',
    process.env.COMMISSIONER_HOME
      ? join(home, 'desktop')
      : join(app.getPath('appData'), PRODUCT_NAME),
  );

  registerAppScheme();
  app.enableSandbox();
  hardenWebContents();

  if (!app.requestSingleInstanceLock()) {
    // The first instance gets 'second-instance' and brings its window forward.
    app.quit();
    return;
  }

  let win: BrowserWindow | null = null;
  const currentWindow = () => (win && !win.isDestroyed() ? win : null);

  // `npm start -- --margo` (or the installed app with --margo): serve Margo devices too,
  // as `commissioner margo serve` does (every address, ports 8443 and 8444).
  const serveMargo = process.argv.includes('--margo');
  const core: Promise<AppCore> = createAppCore({
    host: 'electron',
    home,
    demoKit,
    pickFile: (purpose) => pickFile(purpose, currentWindow()),
    // Only the person at this station drives the desktop app, and they reach the station's
    // own Docker and registries anyway: nothing is given away by allowing them.
    allowLocalTargets: true,
    liveState: true,
    ...(serveMargo ? { margo: { host: '0.0.0.0', port: 8443, trustPort: 8444 } } : {}),
  });
  let coreFailed = false;
  core.catch((error: unknown) => {
    coreFailed = true;
    const message = error instanceof Error ? error.message : String(error);
    void app.whenReady().then(() => {
      dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, `${message}\n\nData folder: ${home}`);
      app.exit(1);
    });
  });
  handleCalls({ core, window: currentWindow, log: isDev });

  const send = (message: EventMessage) => sendEvent(currentWindow(), message);
  let unsubscribe: (() => void) | null = null;
  void core.then(
    (c) => {
      unsubscribe = c.onEvent(send);
    },
    () => undefined,
  );

  const openWindow = () => {
    win = createMainWindow({
      preload,
      stateFile: join(app.getPath('userData'), 'window-state.json'),
      isDev,
    });
    win.on('closed', () => {
      win = null;
    });
  };
  const focusWindow = () => {
    const w = currentWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };

  const menuCommand = (command: MenuCommand) => {
    focusWindow();
    send({ event: 'menu.command', payload: { command } });
  };
  const about = () => {
    const options = {
      type: 'info' as const,
      title: `About ${PRODUCT_NAME}`,
      message: `${PRODUCT_NAME} ${version}`,
      detail: [
        'Workload fleet manager for Margo-compliant edge devices.',
        '',
        `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
        `Data folder: ${home}`,
      ].join('\n'),
      buttons: ['OK'],
    };
    const parent = currentWindow();
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  };

  app.on('second-instance', () => {
    if (currentWindow()) focusWindow();
    else if (app.isReady()) openWindow();
  });

  void app.whenReady().then(() => {
    if (coreFailed) return;
    denyPermissions(session.defaultSession);
    serveRenderer(rendererRoot);
    Menu.setApplicationMenu(buildAppMenu({ isDev, isMac, command: menuCommand, about }));
    openWindow();
    app.on('activate', () => {
      if (!currentWindow()) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });

  // Quitting waits for the core to close (jobs stopped, database checkpointed and closed).
  let closing: 'no' | 'running' | 'done' = 'no';
  app.on('will-quit', (event) => {
    if (closing === 'done') return;
    event.preventDefault();
    if (closing === 'running') return;
    closing = 'running';
    void closeCore(core, () => unsubscribe?.()).finally(() => {
      closing = 'done';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

async function closeCore(core: Promise<AppCore>, unsubscribe: () => void): Promise<void> {
  let c: AppCore;
  try {
    c = await core;
  } catch {
    return;
  }
  unsubscribe();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`the core did not close within ${CLOSE_TIMEOUT_MS / 1000} s; quitting anyway`);
      resolve();
    }, CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([c.close(), timeout]);
  } catch (error) {
    console.error('closing the core failed:', error);
  } finally {
    clearTimeout(timer);
  }
}

main();
