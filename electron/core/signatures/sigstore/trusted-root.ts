import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type KeyFinderFunc, type TrustMaterial } from '@sigstore/verify';
import { z } from 'zod';

/**
 * A provisioned Sigstore `trusted_root.json`, checked before anything trusts it.
 *
 * @sigstore/verify reads a missing `validFor.start` as "since the beginning of time", so a
 * log key or authority whose validity was cut off by a bad edit would be trusted for every
 * signature ever made. The trusted-root spec makes `start` required; so does this schema,
 * for the transparency logs, the certificate logs, the certificate authorities and the
 * timestamp authorities alike (conformance case trust-root-tlog-missing-validity-start_fail).
 */

/** Protobuf-JSON bytes: standard or URL-safe base64, padding optional, line breaks allowed. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const base64 = z.string().refine((v) => BASE64.test(v.replace(/\r?\n/g, '')));

/** Protobuf JSON writes an unset time as null or leaves it out; both are "absent". */
const Time = z.iso
  .datetime({ offset: true })
  .nullish()
  .transform((t) => t ?? undefined);
/** `start` is checked separately, so the refusal names the log or authority that lacks it. */
const TimeRange = z.looseObject({ start: Time, end: Time });

const LogInstance = z.looseObject({
  baseUrl: z.string().optional(),
  publicKey: z.looseObject({ rawBytes: base64, keyDetails: z.string(), validFor: TimeRange }),
  logId: z.looseObject({ keyId: base64 }),
});

const Authority = z.looseObject({
  subject: z
    .looseObject({ organization: z.string().optional(), commonName: z.string().optional() })
    .optional(),
  uri: z.string().optional(),
  certChain: z.looseObject({ certificates: z.array(z.looseObject({ rawBytes: base64 })).min(1) }),
  validFor: TimeRange,
});

const TrustedRootJson = z.looseObject({
  mediaType: z
    .string()
    .regex(/^application\/vnd\.dev\.sigstore\.trustedroot(\+json;version=0\.\d+|\.v0\.\d+\+json)$/),
  tlogs: z.array(LogInstance).default([]),
  ctlogs: z.array(LogInstance).default([]),
  certificateAuthorities: z.array(Authority).default([]),
  timestampAuthorities: z.array(Authority).default([]),
});
type TrustedRootJson = z.infer<typeof TrustedRootJson>;

/** What a trusted root lists, which decides what evidence a bundle must carry. */
export interface TrustedRootContents {
  tlogs: number;
  ctlogs: number;
  certificateAuthorities: number;
  timestampAuthorities: number;
}

export interface CheckedTrustedRoot {
  name: string;
  contents: TrustedRootContents;
  /** Trust material for @sigstore/verify, with the signer's key finder for key-signed bundles. */
  material(keys?: KeyFinderFunc): TrustMaterial;
}

export type TrustedRootReading =
  { ok: true; root: CheckedTrustedRoot } | { ok: false; reason: string };

/**
 * Checks a trusted root (the parsed JSON, or the file's text) and prepares its trust
 * material; a root that is malformed is refused with one sentence naming what is wrong.
 * Also for `trust add --type sigstore-root`, so a bad root is refused when it is
 * provisioned, not at import.
 */
export function readTrustedRoot(name: string, document: unknown): TrustedRootReading {
  const malformed = (what: string) => ({
    ok: false as const,
    reason: `the trusted root is malformed: ${what} (${name})`,
  });
  let json = document;
  if (typeof document === 'string' || Buffer.isBuffer(document)) {
    try {
      json = JSON.parse(typeof document === 'string' ? document : document.toString('utf8'));
    } catch {
      return malformed('it is not valid JSON');
    }
  }
  const parsed = TrustedRootJson.safeParse(json);
  if (!parsed.success) return malformed(describeIssue(parsed.error.issues[0]));
  const root = parsed.data;
  const missingStart = firstWithoutValidityStart(root);
  if (missingStart) return malformed(`${missingStart} has no validity start`);
  const reversed = firstWithReversedValidity(root);
  if (reversed) return malformed(`${reversed} has a validity end before its start`);
  let material: TrustMaterial;
  try {
    material = toTrustMaterial(TrustedRoot.fromJSON(root));
  } catch {
    return malformed('a key or certificate in it cannot be read');
  }
  return {
    ok: true,
    root: {
      name,
      contents: {
        tlogs: root.tlogs.length,
        ctlogs: root.ctlogs.length,
        certificateAuthorities: root.certificateAuthorities.length,
        timestampAuthorities: root.timestampAuthorities.length,
      },
      material: (keys) => ({
        ...material,
        ...(keys ? { publicKey: keys } : {}),
      }),
    },
  };
}

type Described = { what: string; validFor: z.infer<typeof TimeRange> };

function everyValidity(root: TrustedRootJson): Described[] {
  const log = (kind: string) => (l: z.infer<typeof LogInstance>, i: number) => ({
    what: `${kind} ${l.baseUrl ?? `#${i + 1}`}`,
    validFor: l.publicKey.validFor,
  });
  const authority = (kind: string) => (a: z.infer<typeof Authority>, i: number) => ({
    what: `${kind} ${a.subject?.commonName ?? a.uri ?? `#${i + 1}`}`,
    validFor: a.validFor,
  });
  return [
    ...root.tlogs.map(log('transparency log')),
    ...root.ctlogs.map(log('certificate transparency log')),
    ...root.certificateAuthorities.map(authority('certificate authority')),
    ...root.timestampAuthorities.map(authority('timestamp authority')),
  ];
}

function firstWithoutValidityStart(root: TrustedRootJson): string | undefined {
  return everyValidity(root).find((d) => d.validFor.start === undefined)?.what;
}

function firstWithReversedValidity(root: TrustedRootJson): string | undefined {
  return everyValidity(root).find(
    ({ validFor: { start, end } }) =>
      start !== undefined && end !== undefined && Date.parse(end) < Date.parse(start),
  )?.what;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue || issue.path.length === 0) return 'it is not a trusted_root.json object';
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
  const field = where.join('').replace(/^\./, '');
  if (field === 'mediaType') return 'its mediaType is not a Sigstore trusted root';
  return `${field} is missing or has the wrong form`;
}
