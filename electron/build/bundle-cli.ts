// Bundles the `commissioner` CLI with esbuild: electron/cli/main.ts → out/cli/build-…/main.mjs,
// ES modules split into chunks so each command's modules load only when it runs. Run by
// `npm install`/`npm ci` (the `prepare` script), by `npm run build:cli`, and by the launcher
// (electron/cli/commissioner.mjs) whenever the stamp says a source changed since.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { writeCliBundleStamp, type CliBundleStamp } from './cli-bundle-stamp.mjs';
import { EXTERNAL } from './native-externals';
import { CLI_OUT, ROOT } from './paths';
import { isMain, script } from './run';
import { sourceImportMetaUrl } from './source-import-meta-url';

/** Inputs the metafile does not list but the bundle depends on all the same. */
const BUILD_INPUTS = [
  'electron/build/bundle-cli.ts',
  'electron/build/cli-bundle-stamp.mjs',
  'electron/build/native-externals.ts',
  'electron/build/source-import-meta-url.ts',
  'electron/build/paths.ts',
  'package.json',
  'tsconfig.json',
  'electron/tsconfig.json',
  // npm rewrites it on every install: dependencies are inputs without stat-ing all of them.
  'node_modules/.package-lock.json',
];

/** esbuild's metafile, beside the build's entry. */
export const METAFILE = 'metafile.json';

/** Builds older than this that are no longer current are removed (running CLIs may still load their chunks). */
const OLD_BUILD_AGE_MS = 60 * 60 * 1000;

/**
 * CommonJS dependencies bundled into ES modules call `require` for Node's built-ins; ES
 * modules have none, so each chunk gets its own.
 */
const ESM_REQUIRE_BANNER = [
  "import { createRequire as __commissionerCreateRequire } from 'node:module';",
  'const require = __commissionerCreateRequire(import.meta.url);',
].join('\n');

const toPosix = (path: string) => path.split(sep).join('/');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const readText = (input: string) => readFileSync(join(ROOT, input), 'utf8');

/** The repository files a metafile names, node_modules left to BUILD_INPUTS' lockfile. */
function sourceInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes(':') && !input.split('/').includes('node_modules'))
    .sort();
}

/**
 * Each input's file state, recorded only if it still holds what the build used: stat first,
 * then compare the content, so a write during the build either shows in the content now or
 * moves ctime after the stat. Either way the next start rebuilds; no clock is compared.
 */
function recordInputs(used: Map<string, string>, inputs: string[]): CliBundleStamp['inputs'] {
  return inputs.map((input) => {
    const stat = statSync(join(ROOT, input), { throwIfNoEntry: false });
    const builtFrom = used.get(input);
    return stat && builtFrom !== undefined && sha256(readText(input)) === builtFrom
      ? [input, stat.mtimeMs, stat.ctimeMs]
      : [input, null, null];
  });
}

export interface CliBundle {
  /** The entry module to import. */
  entry: string;
  metafile: Metafile;
}

/**
 * Builds into a new folder and then makes it current by rewriting the stamp, so a CLI
 * already running keeps its chunks and two builds at once both end complete. `outDir` must
 * be inside the repository: the bundle's externals are found in its node_modules.
 */
export async function bundleCli({
  outDir = CLI_OUT,
  minify = false,
}: { outDir?: string; minify?: boolean } = {}): Promise<CliBundle> {
  const name = `build-${Date.now()}-${process.pid}`;
  const buildDir = join(outDir, name);
  mkdirSync(buildDir, { recursive: true });
  // What each input held when the build used it: build files now, sources as esbuild reads them.
  const used = new Map<string, string>();
  for (const input of BUILD_INPUTS)
    if (existsSync(join(ROOT, input))) used.set(input, sha256(readText(input)));
  let metafile: Metafile;
  try {
    ({ metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: { main: join(ROOT, 'electron', 'cli', 'main.ts') },
      outdir: buildDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      plugins: [
        sourceImportMetaUrl(
          `new URL(${JSON.stringify(`${toPosix(relative(buildDir, ROOT))}/`)}, import.meta.url)`,
          'CLI',
          (path, text) => used.set(toPosix(relative(ROOT, path)), sha256(text)),
        ),
      ],
      banner: { js: ESM_REQUIRE_BANNER },
      // Chunks sit beside main.mjs: the import.meta.url rewrite assumes one depth for all.
      chunkNames: '[name]-[hash]',
      sourcemap: 'linked',
      minify,
      metafile: true,
      legalComments: 'none',
      logLevel: 'silent',
    }));
  } catch (error) {
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  }
  // What each chunk holds and imports: how to see what a command loads (test/cli/launcher.test.ts).
  writeFileSync(join(buildDir, METAFILE), JSON.stringify(metafile));
  const inputs = [...sourceInputs(metafile), ...BUILD_INPUTS.filter((i) => used.has(i))];
  writeCliBundleStamp(outDir, { entry: `${name}/main.mjs`, inputs: recordInputs(used, inputs) });
  removeOldBuilds(outDir, name);
  return { entry: join(buildDir, 'main.mjs'), metafile };
}

function removeOldBuilds(outDir: string, current: string): void {
  const now = Date.now();
  for (const entry of readdirSync(outDir)) {
    if (!entry.startsWith('build-') || entry === current) continue;
    const path = join(outDir, entry);
    if (now - statSync(path).mtimeMs > OLD_BUILD_AGE_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await script(async () => {
    const { entry } = await bundleCli();
    console.log(`bundled the CLI into ${relative(ROOT, entry)}`);
  });
}
