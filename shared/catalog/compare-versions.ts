import semver from 'semver';

/**
 * Orders application versions for "latest": SemVer when both read as SemVer (a loose "1.0" is
 * 1.0.0), otherwise by their numeric parts, then as text. Total and deterministic, so the
 * catalog's latest version never depends on import order.
 */
export function compareVersions(a: string, b: string): number {
  const sa = asSemver(a);
  const sb = asSemver(b);
  if (sa && sb) {
    const c = semver.compare(sa, sb);
    if (c !== 0) return c;
  }
  const na = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const nb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function asSemver(v: string): string | null {
  const cleaned = v
    .trim()
    .replace(/^v(?=\d)/, '')
    .replace(/_/, '+');
  return (
    semver.valid(cleaned) ??
    (/^\d+(\.\d+)?$/.test(cleaned) ? semver.valid(semver.coerce(cleaned)) : null)
  );
}
