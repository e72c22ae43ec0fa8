// `commissioner import <kit> --json` run in this process from the CLI's own bundle, as an
// engineer runs it (no TypeScript loader in the way), reporting its peak memory and CPU on the
// last line of stderr. The caller makes sure the bundle is current first.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkCliBundle } from '../../electron/build/cli-bundle-stamp.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const bundle = checkCliBundle(ROOT, join(ROOT, 'out', 'cli'));
if (!bundle.entry) throw new Error(`the CLI bundle is out of date (${bundle.stale})`);
const { main } = await import(pathToFileURL(bundle.entry).href);
const code = await main(['import', process.argv[2], '--json']);
const usage = process.resourceUsage();
process.stderr.write(
  `\n${JSON.stringify({
    code,
    maxRssBytes: usage.maxRSS * 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  })}\n`,
);
