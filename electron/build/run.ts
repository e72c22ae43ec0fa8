import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDERER_CONFIG, RENDERER_OUT, ROOT } from './paths';

/** True when the module with this URL is the script node/tsx was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** Runs a command in the repository with inherited output; resolves its exit code. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<number>((resolve, reject) => {
    // Windows runs npm/npx through their .cmd shims, which need a shell.
    const shell = process.platform === 'win32' && command.endsWith('.cmd');
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit', shell });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A failure the scripts report as one line and exit 1 (no stack: the message says it all). */
export class BuildError extends Error {
  override name = 'BuildError';
}

/** `vite build --config renderer/vite.config.ts`, which writes out/renderer/. */
export async function buildRenderer(): Promise<void> {
  if (!existsSync(RENDERER_CONFIG))
    throw new BuildError(
      `the renderer cannot be built yet: ${RENDERER_CONFIG} does not exist (the UI is not in this checkout)`,
    );
  // vite's package exports hide bin/; its package.json names the file.
  const manifest = createRequire(import.meta.url).resolve('vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } };
  const vite = join(dirname(manifest), bin.vite);
  const code = await run(process.execPath, [vite, 'build', '--config', RENDERER_CONFIG]);
  if (code !== 0) throw new BuildError(`vite build failed (exit code ${code})`);
  if (!existsSync(join(RENDERER_OUT, 'index.html')))
    throw new BuildError(
      `vite build wrote no ${join(RENDERER_OUT, 'index.html')}: renderer/vite.config.ts must set build.outDir to out/renderer`,
    );
}

/** Runs a script's body: a BuildError is printed as one line, anything else with its stack. */
export async function script(body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (error) {
    console.error(error instanceof BuildError ? error.message : error);
    process.exitCode = 1;
  }
}
