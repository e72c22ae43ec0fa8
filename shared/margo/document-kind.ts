import { z } from 'zod';

export const DocumentKind = z.enum([
  'ApplicationDescription',
  'ApplicationDeployment',
  'DeviceCapabilitiesManifest',
  'DeploymentStatusManifest',
  'DesiredStateManifest',
  'ProblemDetail',
]);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** `kind` values seen in the field for a document we know under another name. */
const KIND_ALIASES: Record<string, DocumentKind> = { DeploymentStatus: 'DeploymentStatusManifest' };

export interface KindDetection {
  /** What the document is, from `kind` or else from its shape; null when it cannot be told. */
  kind: DocumentKind | null;
  /** The `kind` field as written, when it names no Margo document or not the one its fields make. */
  invalidKind?: string;
}

/**
 * Tells which Margo document a parsed value is. rc.3 dropped `kind` from API bodies and
 * deployments, so the shape decides whenever `kind` is absent.
 */
export function detectKind(value: Record<string, unknown>): KindDetection {
  const declared = value.kind;
  if (typeof declared === 'string') {
    const known = DocumentKind.safeParse(declared);
    if (known.success) {
      // A description labelled as a deployment (copy-paste) would drown in follow-on errors.
      const shaped = kindFromShape(value);
      return shaped && shaped !== known.data
        ? { kind: shaped, invalidKind: declared }
        : { kind: known.data };
    }
    const alias = KIND_ALIASES[declared];
    if (alias) return { kind: alias };
    return { kind: kindFromShape(value), invalidKind: declared };
  }
  return { kind: kindFromShape(value) };
}

function kindFromShape(v: Record<string, unknown>): DocumentKind | null {
  const has = (key: string) => v[key] !== undefined;
  const obj = (key: string) =>
    typeof v[key] === 'object' && v[key] !== null ? (v[key] as Record<string, unknown>) : undefined;
  if (has('deploymentProfiles') || obj('metadata')?.catalog !== undefined)
    return 'ApplicationDescription';
  if (has('manifestVersion')) return 'DesiredStateManifest';
  if (has('deploymentId') && (has('status') || has('components')))
    return 'DeploymentStatusManifest';
  const spec = obj('spec');
  if (spec && (spec.deploymentProfile !== undefined || spec.applicationId !== undefined)) {
    return 'ApplicationDeployment';
  }
  const props = obj('properties');
  if (
    props &&
    (props.vendor !== undefined ||
      props.cpus !== undefined ||
      props.resources !== undefined ||
      props.id !== undefined)
  ) {
    return 'DeviceCapabilitiesManifest';
  }
  if (typeof v.type === 'string' && typeof v.title === 'string') return 'ProblemDetail';
  return null;
}
