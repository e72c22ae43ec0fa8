import { readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { Loader, Plugin } from 'esbuild';
import { ROOT } from './paths';

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.json': 'json',
};

/**
 * Our modules are ES modules that find files beside them with `new URL(…, import.meta.url)`
 * (migrate.ts its SQL, app-core.ts package.json). In a bundle each module's `import.meta.url`
 * keeps its source meaning — the module's path in the repository — resolved against
 * `rootUrl`, a JavaScript expression valid in the bundle's output that gives the app root's
 * URL (the repository in development, app.asar once packaged). Files read that way are
 * therefore read where they are in the repository, never copied beside the bundle. Other
 * `import.meta` properties are refused, not emptied: a silent `undefined` would surface far
 * from its cause. Dependencies in node_modules keep the bundle's own `import.meta`.
 *
 * `onRead` sees every repository source exactly as the bundle was made from it.
 */
export function sourceImportMetaUrl(
  rootUrl: string,
  face: string,
  onRead?: (path: string, text: string) => void,
): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(builder) {
      builder.onLoad({ filter: /\.([cm]?[jt]sx?|json)$/ }, async (args) => {
        const rel = relative(ROOT, args.path);
        if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        onRead?.(args.path, text);
        const loaded = {
          loader: LOADERS[extname(args.path)] ?? 'ts',
          resolveDir: join(args.path, '..'),
        };
        if (!text.includes('import.meta')) return { contents: text, ...loaded };
        const other = /import\.meta(?!\.url\b)(\.\w+)?/.exec(text);
        if (other)
          return {
            errors: [
              {
                text: `${other[0]} has no meaning in the bundled ${face}: use new URL(…, import.meta.url)`,
              },
            ],
          };
        const sourcePath = JSON.stringify(rel.split(sep).join('/'));
        return {
          contents: text.replaceAll('import.meta.url', `new URL(${sourcePath}, ${rootUrl}).href`),
          ...loaded,
        };
      });
    },
  };
}
