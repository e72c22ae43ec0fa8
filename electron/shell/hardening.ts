import { app, shell, type Session, type WebContents } from 'electron';
import { isAppUrl } from './app-protocol';

/** Opens http(s) links in the system browser; anything else (file:, javascript:, custom schemes) is dropped. */
export function openExternalIfWeb(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return;
  void shell.openExternal(parsed.toString()).catch((error: unknown) => {
    console.warn(`could not open ${parsed.toString()} in the system browser:`, error);
  });
}

function lockDown(contents: WebContents): void {
  // Navigation stays on the app's own pages; a web link goes to the system browser.
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openExternalIfWeb(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // No new windows of any kind: web links open outside, the rest is refused.
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfWeb(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every permission (camera, notifications, clipboard read, USB, HID, serial…) is refused. */
export function denyPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Applies the navigation and window-open locks to every web contents ever created. */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
}
