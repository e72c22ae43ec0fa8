import type { Descriptor, ImageIndex } from '../../../shared/oci/descriptors';

/** A platform as images and devices name it: `linux/amd64`, `linux/arm/v7`. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

/** An image that cannot run on the device: the message names both sides. */
export class PlatformMismatchError extends Error {
  override name = 'PlatformMismatchError';
  constructor(
    readonly image: string,
    readonly device: Platform,
    /** What the kit offers for this image (`linux/arm64`, …). */
    readonly available: string[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * Architecture names as `uname -m` (Docker's `/info` Architecture) and Go (`/version` Arch,
 * image configs) write them, mapped to the OCI names with the variant they imply.
 */
const ARCHITECTURES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  amd64: { architecture: 'amd64' },
  i386: { architecture: '386' },
  i486: { architecture: '386' },
  i586: { architecture: '386' },
  i686: { architecture: '386' },
  '386': { architecture: '386' },
  aarch64: { architecture: 'arm64', variant: 'v8' },
  arm64: { architecture: 'arm64', variant: 'v8' },
  armv8l: { architecture: 'arm', variant: 'v8' },
  armv7l: { architecture: 'arm', variant: 'v7' },
  armv7: { architecture: 'arm', variant: 'v7' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armv6l: { architecture: 'arm', variant: 'v6' },
  armv6: { architecture: 'arm', variant: 'v6' },
  armel: { architecture: 'arm', variant: 'v6' },
  armv5tel: { architecture: 'arm', variant: 'v5' },
  armv5l: { architecture: 'arm', variant: 'v5' },
  // 32-bit arm without a variant is v7, as containerd reads it.
  arm: { architecture: 'arm', variant: 'v7' },
};

/**
 * The canonical form of a platform, as containerd normalizes it: `x86_64` → amd64,
 * `aarch64` → arm64/v8, `armv7l` → arm/v7, variants written `v7` (not `7`), os lower-case.
 */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.trim().toLowerCase();
  const raw = p.architecture.trim().toLowerCase();
  const known = ARCHITECTURES[raw];
  const architecture = known?.architecture ?? raw;
  let variant = p.variant?.trim().toLowerCase() || known?.variant;
  if (variant && /^\d+$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'arm64' && !variant) variant = 'v8';
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** The platform of a Docker device from its probe facts (`/info` OSType and Architecture). */
export function devicePlatform(facts: { osType: string; architecture: string }): Platform {
  return normalizePlatform({ os: facts.osType, architecture: facts.architecture });
}

/** `linux/arm/v7`; amd64 and arm64's implied v8 are written without a variant. */
export function formatPlatform(p: Platform): string {
  const n = normalizePlatform(p);
  const variant = n.variant && !(n.architecture === 'arm64' && n.variant === 'v8') ? n.variant : '';
  return [n.os, n.architecture, variant].filter(Boolean).join('/');
}

/**
 * What a device runs, best first, as Docker chooses when it pulls (containerd's
 * `platforms.Only`): its own platform, then the older ones its CPU also executes — amd64 runs
 * 386, arm64 runs 32-bit arm v8 down to v5, arm/v7 runs v6 and v5.
 */
function runnableOn(device: Platform): Platform[] {
  const d = normalizePlatform(device);
  const own: Platform[] = [d];
  const armDown = (from: number): Platform[] =>
    Array.from({ length: from - 4 }, (_, i) => ({
      os: d.os,
      architecture: 'arm',
      variant: `v${from - i}`,
    }));
  if (d.architecture === 'amd64') return [...own, { os: d.os, architecture: '386' }];
  if (d.architecture === 'arm64') return [...own, ...armDown(8)];
  if (d.architecture === 'arm') {
    const level = Number(/^v(\d+)$/.exec(d.variant ?? 'v7')?.[1] ?? 7);
    return armDown(level);
  }
  return own;
}

function samePlatform(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return (
    x.os === y.os && x.architecture === y.architecture && (x.variant ?? '') === (y.variant ?? '')
  );
}

/** Whether an image built for `image` runs on `device` (its own platform or an older one). */
export function runsOn(image: Platform, device: Platform): boolean {
  return runnableOn(device).some((p) => samePlatform(image, p));
}

/**
 * The entry of a multi-platform image (an image index) that fits the device: its exact
 * platform when the index has it, else the best older one the device executes. Entries
 * without a platform, and attestations (`unknown/unknown`), are never chosen.
 */
export function selectManifest(index: ImageIndex, device: Platform, image: string): Descriptor {
  const candidates = index.manifests.filter(
    (m) => m.platform && m.platform.os !== 'unknown' && m.platform.architecture !== 'unknown',
  );
  for (const wanted of runnableOn(device)) {
    const hit = candidates.find((m) => samePlatform(m.platform as Platform, wanted));
    if (hit) return hit;
  }
  const available = [...new Set(candidates.map((m) => formatPlatform(m.platform as Platform)))];
  throw new PlatformMismatchError(
    image,
    normalizePlatform(device),
    available,
    `${image} has no variant for the device's platform ${formatPlatform(device)}: the kit holds it for ${
      available.length > 0 ? available.join(', ') : 'no named platform'
    }. Import a kit that carries ${image} for ${formatPlatform(device)}`,
  );
}

/**
 * A single-platform image: its config says which os and architecture it was built for (an
 * absent architecture is amd64 and an absent os linux, as Docker assumes).
 */
export function checkImagePlatform(
  config: { os?: string | undefined; architecture?: string | undefined; variant?: string },
  device: Platform,
  image: string,
): void {
  const built: Platform = {
    os: config.os || 'linux',
    architecture: config.architecture || 'amd64',
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (runsOn(built, device)) return;
  throw new PlatformMismatchError(
    image,
    normalizePlatform(device),
    [formatPlatform(built)],
    `${image} is built for ${formatPlatform(built)} and cannot run on the device's platform ${formatPlatform(device)}. Import a kit that carries ${image} for ${formatPlatform(device)}`,
  );
}
