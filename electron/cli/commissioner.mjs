#!/usr/bin/env node
// The `commissioner` command. It runs the esbuild bundle of ./main.ts (out/cli/, built by
// `npm install`'s prepare script) because loading the TypeScript through tsx cost over a
// second per command. The bundle never runs stale code: when a file it was built from has
// changed since (out/cli/stamp.json lists them), it is rebuilt first.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCliBundle } from '../build/cli-bundle-stamp.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'out', 'cli');

let bundle = checkCliBundle(ROOT, OUT);
if (bundle.stale) {
  if (process.stderr.isTTY)
    process.stderr.write(`commissioner: rebuilding the CLI (${bundle.stale})…\n`);
  try {
    const { tsImport } = await import('tsx/esm/api');
    const { bundleCli } = await tsImport('../build/bundle-cli.ts', import.meta.url);
    bundle = await bundleCli({ outDir: OUT });
  } catch (error) {
    // esbuild's message starts "Build failed with N errors:", its errors follow one a line.
    const lines = String(error instanceof Error ? error.message : error).split('\n');
    const reason = lines.find((line) => line.includes('ERROR:')) ?? lines[0];
    process.stderr.write(
      `commissioner: the CLI in ${OUT} is out of date (${bundle.stale}) and could not be rebuilt: ${reason} — run npm run build:cli to see why\n`,
    );
    // Not process.exit(): on some platforms it would cut the message short.
    process.exitCode = 2;
  }
}
if (bundle.entry) {
  const { main } = await import(pathToFileURL(bundle.entry).href);
  process.exitCode = await main(process.argv.slice(2));
}
