export interface CliBundleStamp {
  /** The entry module, relative to the output folder. */
  entry: string;
  /**
   * Every file the build depends on, relative to the repository root with `/`, and its
   * mtimeMs and ctimeMs when it held what the build used; null when it changed meanwhile
   * (the next start rebuilds).
   */
  inputs: [path: string, mtimeMs: number | null, ctimeMs: number | null][];
}

export function checkCliBundle(
  root: string,
  outDir: string,
): { entry: string; stale?: undefined } | { entry?: undefined; stale: string };

export function writeCliBundleStamp(outDir: string, stamp: CliBundleStamp): void;
