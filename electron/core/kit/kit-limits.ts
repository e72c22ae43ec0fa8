/** Bounds that make a hostile kit fail within seconds and a few hundred MB of memory. */
export interface KitLimits {
  /** Total bytes an archive may expand to. */
  maxTotalBytes: number;
  /** Largest expansion ratio of a compressed kit, checked once `ratioGraceBytes` were produced. */
  maxRatio: number;
  ratioGraceBytes: number;
  maxEntries: number;
  /** index.json, oci-layout and every manifest are read into memory: bounded. */
  maxJsonBytes: number;
}

export const DEFAULT_KIT_LIMITS: KitLimits = {
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 100,
  ratioGraceBytes: 32 * 1024 ** 2,
  maxEntries: 100_000,
  maxJsonBytes: 4 * 1024 ** 2,
};
