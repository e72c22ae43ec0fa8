import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What standard PDF viewers make of a file, through poppler (installed by .ci/run): its text
 * (`pdftotext -layout`) and how many pages render (`pdftoppm`, at low resolution). Either
 * fails the test when poppler refuses the file.
 */
export function readPdf(bytes: Uint8Array): { text: string; renderedPages: number; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'commissioner-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? '0');
    execFileSync('pdftoppm', ['-r', '20', '-png', file, join(dir, 'page')]);
    const renderedPages = readdirSync(dir).filter((f) => f.startsWith('page')).length;
    return { text, renderedPages, pages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
