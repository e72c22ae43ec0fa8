const UNITS: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/**
 * Bytes of a binary quantity as Margo writes them: `512Mi`, `2Gi`, and also `"59 Gi"` with a
 * space, as the spec's own capability examples do. Anything else is undefined, never a guess
 * (a `2GB` compared as 2 bytes would silently pass or fail a requirement).
 */
export function parseQuantity(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s?(Ki|Mi|Gi|Ti|Pi|Ei)\s*$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNITS[m[2] as string] as number));
}

/**
 * A byte count as people read it, to three figures: 512 bytes, 1.5 KiB, 23.5 GiB, 512 MiB
 * (a whole number drops its ".0").
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  let shown = v >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
  // 1023.7 MiB would read "1024 MiB": the next unit says it.
  if (shown >= 1024 && u < units.length - 1) {
    shown = 1;
    u++;
  }
  return `${shown} ${units[u]}`;
}

/**
 * A capacity as a device or profile writes it (`24683784Ki`, `59 Gi`) in words people read
 * (`23.5 GiB`, `59 GiB`); text that is not a binary quantity is shown as written.
 */
export function quantityWords(text: string): string {
  const bytes = parseQuantity(text);
  return bytes === undefined ? text : formatBytes(bytes);
}
