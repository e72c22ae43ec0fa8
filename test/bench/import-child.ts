/** Runs one import in its own process and reports its peak memory (for the 1 GB kit bench). */
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';

const [home, kit] = process.argv.slice(2) as [string, string];
const store = openStore(home);
const started = performance.now();
const report = await importSources(store, [{ input: kit, path: kit }]);
const seconds = (performance.now() - started) / 1000;
store.close();
process.stdout.write(
  JSON.stringify({
    imported: report.imported.length,
    refused: report.refused,
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
