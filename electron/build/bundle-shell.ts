// Bundles the Electron main process and preload with esbuild:
//   electron/shell/main.ts    → out/main/main.cjs      (CommonJS, Node target)
//   electron/shell/preload.ts → out/preload/preload.cjs  (CommonJS: sandboxed preloads cannot be ESM)
// Run alone with `tsx electron/build/bundle-shell.ts`.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { BRIDGE_NAME, IPC } from '../../shared/contract/wire';
import { MAIN_BUNDLE, MAIN_OUT, PRELOAD_BUNDLE, PRELOAD_OUT, ROOT } from './paths';
import { EXTERNAL } from './native-externals';
import { isMain, script } from './run';
import { sourceImportMetaUrl } from './source-import-meta-url';

export { EXTERNAL };

/** Electron 40: Node 24, Chromium 144. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

/**
 * The preload needs two constants of shared/contract/wire.ts, whose schemas would drag all of
 * zod (~450 kB) into every page load. It gets a module holding exactly those values, read
 * from wire.ts itself at build time; importing anything else from wire.ts fails the build.
 */
function wireConstantsOnly(): Plugin {
  const namespace = 'wire-constants';
  return {
    name: namespace,
    setup(builder) {
      builder.onResolve({ filter: /\/shared\/contract\/wire$/ }, (args) => ({
        path: args.path,
        namespace,
      }));
      builder.onLoad({ filter: /.*/, namespace }, () => ({
        contents: [
          `export const BRIDGE_NAME = ${JSON.stringify(BRIDGE_NAME)};`,
          `export const IPC = ${JSON.stringify(IPC)};`,
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

const MAIN_BANNER = [
  "'use strict';",
  // The app root: the repository in development, app.asar when packaged (out/main/main.cjs is
  // two levels below either); our modules' import.meta.url is resolved against it.
  "const __app_root_url = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', '/')).href;",
  "const __bundle_url = require('node:url').pathToFileURL(__filename).href;",
].join('\n');

function version(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function bundleShell({ minify = false }: { minify?: boolean } = {}): Promise<void> {
  rmSync(MAIN_OUT, { recursive: true, force: true });
  rmSync(PRELOAD_OUT, { recursive: true, force: true });
  mkdirSync(MAIN_OUT, { recursive: true });
  mkdirSync(PRELOAD_OUT, { recursive: true });

  const common: BuildOptions = {
    absWorkingDir: ROOT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    sourcemap: 'linked',
    minify,
    legalComments: 'none',
    logLevel: 'warning',
  };

  await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'shell', 'main.ts')],
      outfile: MAIN_BUNDLE,
      target: NODE_TARGET,
      external: EXTERNAL,
      // Files our modules read beside them ship at their repository paths
      // (electron-builder.yml `files`), so they are found inside app.asar too.
      plugins: [sourceImportMetaUrl('__app_root_url', 'main process')],
      define: {
        // What dependencies (ES modules bundled into CommonJS) see: the bundle's own URL.
        'import.meta.url': '__bundle_url',
        __COMMISSIONER_VERSION__: JSON.stringify(version()),
      },
      banner: { js: MAIN_BANNER },
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'shell', 'preload.ts')],
      outfile: PRELOAD_BUNDLE,
      target: CHROME_TARGET,
      external: ['electron'],
      plugins: [wireConstantsOnly()],
    }),
  ]);

  // The sandboxed preload's `require` knows only a few modules: it must need electron alone.
  const preload = readFileSync(PRELOAD_BUNDLE, 'utf8');
  const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const foreign = required.filter((name) => name !== 'electron');
  if (foreign.length > 0)
    throw new Error(
      `the preload requires ${foreign.join(', ')}: a sandboxed preload can only require electron`,
    );
}

if (isMain(import.meta.url)) {
  await script(async () => {
    await bundleShell();
    console.log(`bundled ${MAIN_BUNDLE} and ${PRELOAD_BUNDLE}`);
  });
}
