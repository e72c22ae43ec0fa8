/** Makes one backup in its own process and reports its time and peak memory (backup bench). */
import { readFileSync } from 'node:fs';
import { openStore } from '../../electron/core/store/store';
import { createBackup } from '../../electron/core/use-cases/create-backup';

const [home, output, passphraseFile] = process.argv.slice(2) as [string, string, string];
const store = openStore(home);
const started = performance.now();
const made = await createBackup(store, {
  output,
  passphrase: readFileSync(passphraseFile, 'utf8').trim(),
  withStore: true,
});
const seconds = (performance.now() - started) / 1000;
store.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    bytes: made.bytes,
    files: made.files,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
