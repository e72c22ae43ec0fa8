/**
 * Native or optional-native modules: loaded from node_modules at run time, never bundled
 * (a .node binary cannot live in a bundle; dockerode's ssh2 and cpu-features are optional
 * native modules it tries to load). Electron is the desktop shell's host, never bundled.
 */
export const EXTERNAL = ['electron', 'better-sqlite3', 'dockerode', 'ssh2', 'cpu-features'];
