import { z } from 'zod';
import { DeploymentOwner } from '../application-deployment/ownership-labels';
import { MargoState } from '../compose/margo-state';
import { ArtifactVerdict, TrustedArtifactKind, TrustLevel } from '../contract/trust';
import { DescribedCapabilities } from '../devices/described-capabilities';
import { DockerFacts, ProbeError } from '../devices/probe-result';
import { DeviceCapabilitiesManifest } from '../margo/device-capabilities';

/**
 * The commissioning report: what was installed on which device, in which version, with which
 * settings, verified how, by whom and when. One model feeds every rendering (HTML, PDF), and
 * its digest is taken over this model, so a rendering can be checked against it.
 */

/** The identifier of this model's shape, part of what the digest covers. */
export const REPORT_FORMAT = 'commissioner-report/1';

/** One parameter as it was deployed; a secret's value is the mask, never the value. */
export const ReportParameter = z.strictObject({
  name: z.string(),
  /** The value as text (lists and numbers as YAML/JSON would write them). */
  value: z.string(),
  secret: z.boolean(),
});
export type ReportParameter = z.infer<typeof ReportParameter>;

/** An image a service runs: the name its compose file gives, the Docker image id, the store ref. */
export const ReportImage = z.strictObject({
  component: z.string(),
  service: z.string(),
  image: z.string(),
  imageId: z.string(),
  ref: z.string().nullable(),
});
export type ReportImage = z.infer<typeof ReportImage>;

/** A signature verdict on an artifact the app version brought, under the policy that covers it. */
export const ReportSignature = z.strictObject({
  kind: TrustedArtifactKind,
  name: z.string(),
  artifact: z.string(),
  verdict: ArtifactVerdict,
  signer: z.string().nullable(),
  reason: z.string().nullable(),
  policy: TrustLevel,
});
export type ReportSignature = z.infer<typeof ReportSignature>;

export const ReportApp = z.strictObject({
  deploymentId: z.string(),
  appId: z.string(),
  /** The catalog's name; null when the version has left the catalog. */
  appName: z.string().nullable(),
  version: z.string(),
  profile: z.string(),
  state: MargoState,
  revision: z.number().int(),
  /** When the deployment record last changed (its last deploy, rollback or state). */
  updatedAt: z.string(),
  /** sha256 of the ApplicationDeployment bytes the device got (secrets included). */
  deploymentDigest: z.string().nullable(),
  parameters: z.array(ReportParameter),
  components: z.array(z.strictObject({ name: z.string(), state: MargoState })),
  images: z.array(ReportImage),
  signatures: z.array(ReportSignature),
});
export type ReportApp = z.infer<typeof ReportApp>;

export const ReportDevice = z.strictObject({
  name: z.string(),
  kind: z.enum(['docker', 'margo']),
  address: z.string(),
  addedAt: z.string(),
  labels: z.record(z.string(), z.string()),
  described: DescribedCapabilities,
  hostAccess: z.enum(['allow', 'deny']),
  /** The last probe: when, and whether the device answered. */
  lastProbe: z
    .strictObject({ probedAt: z.string(), reachable: z.boolean(), error: ProbeError.nullable() })
    .nullable(),
  /** Docker's facts from the last probe that reached the device. */
  facts: DockerFacts.nullable(),
  /** Margo capabilities: from the probe's facts, or as the device's client reported them. */
  capabilities: DeviceCapabilitiesManifest.nullable(),
  apps: z.array(ReportApp),
});
export type ReportDevice = z.infer<typeof ReportDevice>;

/** One audit entry as the report lists it (the audit trail's own entries carry more). */
export const ReportAuditLine = z.strictObject({
  at: z.string(),
  actor: z.string(),
  operation: z.string(),
  target: z.string(),
  outcome: z.string(),
  summary: z.string(),
  hash: z.string(),
});
export type ReportAuditLine = z.infer<typeof ReportAuditLine>;

export const CommissioningReportBody = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  generatedAt: z.string(),
  generatedBy: DeploymentOwner,
  /** `all`: every device of the inventory; otherwise the devices asked for, in that order. */
  scope: z.enum(['all', 'devices']),
  /** Audit entries from this time on (null: all of them). */
  since: z.string().nullable(),
  devices: z.array(ReportDevice),
  audit: z.strictObject({
    entries: z.array(ReportAuditLine),
    /** The hash of the trail's last entry when the report was made (null: an empty trail). */
    head: z.string().nullable(),
  }),
  /** Filled by hand on the printed report: blank lines to sign. */
  signOff: z.strictObject({
    commissionedBy: z.string().nullable(),
    acceptedBy: z.string().nullable(),
    date: z.string().nullable(),
  }),
});
export type CommissioningReportBody = z.infer<typeof CommissioningReportBody>;

/** The body and its digest: `sha256:` + hex of the canonical JSON of the body. */
export const CommissioningReport = CommissioningReportBody.extend({ digest: z.string() });
export type CommissioningReport = z.infer<typeof CommissioningReport>;
