import { Menu, type MenuItemConstructorOptions } from 'electron';

/** What File ▸ Import… asks the renderer to do (it opens its Import screen, or ignores it). */
export type MenuCommand = 'import-kit' | 'import-folder';

export interface MenuActions {
  isDev: boolean;
  isMac: boolean;
  command(command: MenuCommand): void;
  about(): void;
}

export function buildAppMenu({ isDev, isMac, command, about }: MenuActions): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Import kit…',
          accelerator: 'CmdOrCtrl+O',
          click: () => command('import-kit'),
        },
        {
          label: 'Import folder…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => command('import-folder'),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(isDev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'About Commissioner', click: about }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
