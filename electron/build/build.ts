// `npm run build:desktop`: the renderer (Vite) and the Electron main process and preload
// (esbuild) into out/, and the demo kit into resources/. What `npm start`, `npm run dist` and the Electron smoke test run.
import { buildDemoKit } from '../demo-kit/build-demo-kit';
import { bundleShell } from './bundle-shell';
import { OUT } from './paths';
import { buildRenderer, isMain, script } from './run';

export async function buildDesktop({ minify = false }: { minify?: boolean } = {}): Promise<void> {
  await buildRenderer();
  await bundleShell({ minify });
  // The desktop app offers it on first start; installers ship it (resources/demo-kit.tar).
  await buildDemoKit((line) => console.error(line));
}

if (isMain(import.meta.url)) {
  await script(async () => {
    await buildDesktop();
    console.log(`built the desktop app into ${OUT}`);
  });
}
