import { gzipSync } from 'node:zlib';
import type { Browser, Response } from '@playwright/test';
import type { Measure } from './run';

const TARGET_KB = 350;

/** What the functions handed to the page read of a mark (the file is type-checked without the DOM). */
interface MarkDetail {
  total?: number;
}

function kB(bytes: number): number {
  return Math.round(bytes / 102.4) / 10;
}

/**
 * Issue 19: what the catalog's first render costs to load, from the browser's own network log:
 * every HTML, JS and CSS file a fresh browser (nothing cached) fetched from opening the printed
 * URL until the catalog drew its `apps` apps, each measured gzipped (level 9) as the target is
 * stated, beside what the host actually sent (its brotli or gzip copy) and the fonts.
 */
export async function firstRenderFiles(
  browser: Browser,
  printedUrl: string,
  apps: number,
): Promise<Measure> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    const responses: Response[] = [];
    page.on('response', (r) => responses.push(r));
    await page.goto(printedUrl);
    await page.waitForFunction(
      (total) =>
        performance
          .getEntriesByType('mark')
          .some(
            (m) =>
              m.name === 'catalog:rendered' &&
              ((m as unknown as { detail: unknown }).detail as MarkDetail | null)?.total === total,
          ),
      apps,
    );
    const loaded = responses.filter(
      (r) => r.status() === 200 && !new URL(r.url()).pathname.startsWith('/api/'),
    );
    let gzip = 0;
    let raw = 0;
    let sent = 0;
    let entry = 0;
    let files = 0;
    let fonts = 0;
    let fontFiles = 0;
    const encodings = new Set<string>();
    for (const response of loaded) {
      const { pathname } = new URL(response.url());
      const size = (await response.request().sizes()).responseBodySize;
      if (/\.(woff2?|ttf)$/.test(pathname)) {
        fonts += size;
        fontFiles += 1;
        continue;
      }
      const code = response.request().resourceType() === 'document' || /\.(js|css)$/.test(pathname);
      if (!code) continue;
      const body = await response.body();
      const zipped = gzipSync(body, { level: 9 }).length;
      files += 1;
      gzip += zipped;
      raw += body.length;
      sent += size;
      encodings.add(response.headers()['content-encoding'] ?? 'identity');
      if (/\/assets\/index-[^/]*\.js$/.test(pathname)) entry = zipped;
    }
    if (files === 0 || entry === 0) {
      throw new Error(
        `the catalog's first render loaded no entry chunk: ${loaded.map((r) => r.url()).join(', ')}`,
      );
    }
    return {
      name: `catalog's first render (${apps.toLocaleString('en')} apps): the HTML, JS and CSS it loads, gzipped`,
      value: kB(gzip),
      unit: 'kB',
      target: `≤ ${TARGET_KB} kB`,
      pass: gzip <= TARGET_KB * 1024,
      detail: `${files} files, ${kB(raw)} kB unpacked, the entry chunk ${kB(entry)} kB gzipped; the host sent ${kB(sent)} kB (${[...encodings].sort().join(', ')}); fonts ${kB(fonts)} kB in ${fontFiles} files`,
    };
  } finally {
    await context.close();
  }
}
