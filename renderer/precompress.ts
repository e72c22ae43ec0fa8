import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text files worth compressing (fonts are compressed already). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json)$/;
/** Below this, the headers outweigh what compression saves. */
const MIN_BYTES = 1024;

/**
 * Brotli's quality 9: within 8% of its best (11) on the entry chunk at a twentieth of the
 * time, which every build pays; 10 kB more over a plant's LAN is a millisecond.
 */
const BROTLI_QUALITY = 9;

/**
 * Writes `<file>.br` and `<file>.gz` beside each text file of the build, once, so the browser
 * host answers compressed without compressing per request (electron/browser-host/
 * renderer-files.ts picks the copy the browser takes). The desktop app reads the files from
 * disk; its package leaves the copies out (electron-builder.yml).
 */
export function precompress(): Plugin {
  return {
    name: 'commissioner-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir as string;
      for (const name of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(name)) continue;
        const path = join(dir, name);
        const bytes = readFileSync(path);
        if (bytes.length < MIN_BYTES) continue;
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
        );
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}
