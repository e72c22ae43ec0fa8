import type { ImportProgress } from '../core/import/import-progress';
import { formatBytes } from '../../shared/units/quantity';

/**
 * Shows job progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise
 * (one per phase, and one per quarter of a long phase), so logs stay readable.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update(p: ImportProgress): void;
  end(): void;
} {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastKey = '';
  let lastQuarter = -1;
  let drawn = false;
  return {
    update(p) {
      const fraction = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : undefined;
      const amount = p.totalBytes
        ? `${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)}`
        : formatBytes(p.bytes);
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 80 && p.phase !== 'done') return;
        lastDraw = now;
        const width = 24;
        const filled = fraction === undefined ? 0 : Math.round(fraction * width);
        const bar =
          fraction === undefined
            ? ''
            : `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round((fraction ?? 0) * 100)}% `;
        const columns = stream.columns || 100;
        stream.write(`\r\u001b[K${`${bar}${p.phase} ${p.source} ${amount}`.slice(0, columns - 1)}`);
        drawn = true;
        return;
      }
      // Plain lines for logs: each phase once, and quarters only of phases long enough to matter.
      const key = `${p.source}:${p.phase}`;
      const quarter =
        fraction === undefined || (p.totalBytes ?? 0) < 64 * 1024 * 1024
          ? -1
          : Math.floor(fraction * 4);
      if (key !== lastKey || quarter > lastQuarter) {
        stream.write(
          `${p.phase} ${p.source}${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`} ${amount}\n`,
        );
        lastKey = key;
        lastQuarter = quarter;
      }
    },
    end() {
      if (tty && drawn) stream.write('\r\u001b[K');
    },
  };
}
