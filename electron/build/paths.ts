import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Where the desktop app's build inputs and outputs live (plain Node: used by scripts and tests). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT = join(ROOT, 'out');
export const MAIN_OUT = join(OUT, 'main');
export const PRELOAD_OUT = join(OUT, 'preload');
export const RENDERER_OUT = join(OUT, 'renderer');
/** The main-process entry Electron starts (electron-builder.yml's extraMetadata.main). */
export const MAIN_BUNDLE = join(MAIN_OUT, 'main.cjs');
export const PRELOAD_BUNDLE = join(PRELOAD_OUT, 'preload.cjs');
export const RENDERER_CONFIG = join(ROOT, 'renderer', 'vite.config.ts');
export const DEMO_KIT = join(ROOT, 'resources', 'demo-kit.tar');
/** The `commissioner` CLI's builds and their stamp (electron/build/bundle-cli.ts). */
export const CLI_OUT = join(OUT, 'cli');
