import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenWords } from '../../renderer/src/components/screen-words';

const ROOT = join(import.meta.dirname, '..', '..');

/** Where the messages the window shows are written (the CLI's own words are not). */
const SOURCES = ['electron/core', 'electron/browser-host', 'shared'];
/** The browser host's command line (its usage and start-up errors go to a terminal). */
const TERMINAL_ONLY = new Set([
  'electron/browser-host/serve.ts',
  'electron/browser-host/ensure-renderer.ts',
]);

/** Flags that are not Commissioner's, or messages the window never gets, and why. */
const NOT_OURS: Record<string, string> = {
  '--tlsverify': "dockerd's own flag: what to set on the device",
  '--set': "Helm's `--set` paths, and values the CLI's --set gave (the form's have no origin)",
  '--replace':
    'the window restores a backup only in place, after asking: it never gets this refusal',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const FLAG = /(?<![\w-])--[a-z][a-z-]*/g;

describe('screen words', () => {
  it('say the fields the window has where the core names a flag', () => {
    expect(
      screenWords(
        "TLS: the device's certificate at tcp://10.0.0.5:2376 is not signed by the CA given with --tls-ca (the laptop refused the device): use this device's CA",
      ),
    ).toBe(
      "TLS: the device's certificate at tcp://10.0.0.5:2376 is not signed by the CA given as “CA certificate” (the laptop refused the device): use this device's CA",
    );
    expect(
      screenWords(
        'tcp://press-61:2376 speaks TLS: add the device with --tls-ca, --tls-cert and --tls-key',
      ),
    ).toBe(
      'tcp://press-61:2376 speaks TLS: give the device its “CA certificate”, “Client certificate” and “Client key”',
    );
    expect(
      screenWords('registry r:5000 requires credentials: pass --username and --password'),
    ).toBe('registry r:5000 requires credentials: fill in “Username” and “Password”');
    // A message without a flag is left as it is.
    expect(screenWords('nothing accepts connections at tcp://x:2376')).toBe(
      'nothing accepts connections at tcp://x:2376',
    );
  });

  it('leave no Commissioner flag in any message the core or the browser host writes', () => {
    const left: string[] = [];
    for (const dir of SOURCES) {
      for (const path of files(join(ROOT, dir))) {
        const file = relative(ROOT, path);
        if (TERMINAL_ONLY.has(file)) continue;
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const code = line.trim();
            if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
            if (!FLAG.test(line)) return;
            FLAG.lastIndex = 0;
            const shown = screenWords(line.replaceAll('\\`', '`'));
            for (const flag of shown.match(FLAG) ?? []) {
              if (!(flag in NOT_OURS)) left.push(`${file}:${i + 1}: ${flag}`);
            }
          });
      }
    }
    expect(left).toEqual([]);
  });
});
