import { BrowserWindow, nativeTheme, screen } from 'electron';
import { APP_START_URL } from './app-protocol';
import { MIN_SIZE, placeWindow, readWindowState, writeWindowState } from './window-state';

/** renderer/src/theme.ts's palette.background.default, so the first paint matches the page. */
const BACKGROUND = { dark: '#121418', light: '#f5f6f8' } as const;

export interface MainWindowOptions {
  preload: string;
  /** window-state.json in userData. */
  stateFile: string;
  isDev: boolean;
}

export function createMainWindow({ preload, stateFile, isDev }: MainWindowOptions): BrowserWindow {
  const placement = placeWindow(
    readWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Commissioner',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // The spell checker downloads dictionaries from Google: an offline app must not try.
      spellcheck: false,
      devTools: isDev,
    },
  });

  let shown = false;
  const show = () => {
    if (shown || win.isDestroyed()) return;
    shown = true;
    if (placement.maximized) win.maximize();
    win.show();
  };
  win.once('ready-to-show', show);
  // A page that fails to load never becomes "ready to show": show the window anyway.
  win.webContents.once('did-fail-load', show);

  win.on('close', () => {
    try {
      writeWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      console.warn('could not remember the window position:', error);
    }
  });

  void win.loadURL(APP_START_URL).catch((error: unknown) => {
    console.error(`could not load ${APP_START_URL}:`, error);
  });
  return win;
}
