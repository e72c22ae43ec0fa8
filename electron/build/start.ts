// `npm start`: builds the renderer, the main process and the preload, then runs Electron on
// them. Where Electron's binary could not be downloaded, says so in one line and exits 1
// before building anything.
import { buildDesktop } from './build';
import { ELECTRON_MISSING, electronBinary } from './electron-binary';
import { MAIN_BUNDLE } from './paths';
import { run, script } from './run';

await script(async () => {
  const electron = electronBinary();
  if (electron === null) {
    console.error(ELECTRON_MISSING);
    return 1;
  }
  await buildDesktop();
  const env = { ...process.env };
  // Set by some terminals (VS Code's); it would start Electron as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  return run(electron, [MAIN_BUNDLE, ...process.argv.slice(2)], env);
});
