/** Nano-CPUs (Docker's unit) of `cpus: 0.5` or `cpus: "2"`. */
export function parseNanoCpus(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  const nano = Math.round(n * 1e9);
  return Number.isSafeInteger(nano) ? nano : undefined;
}
