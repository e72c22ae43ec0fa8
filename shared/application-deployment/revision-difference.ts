import { MASK } from '../configuration/secret-heuristic';
import { sameValue } from '../configuration/validate-configuration';
import type { RevisionChange, RevisionDifference } from '../contract/deployments';
import { valueWords } from './deployment-values';

/** A revision as far as comparing it with another goes. */
export interface RevisionFacts {
  revision: number;
  version: string;
  profile: string;
  /** The ApplicationDeployment's digest (`sha256:…`). */
  digest: string;
  /** Parameter values as deployed (secrets in clear: compared, never put in words). */
  values: Readonly<Record<string, unknown>>;
  secrets: readonly string[];
  /** Component name → its revision (the OCI tag of its compose archive or chart). */
  components: Readonly<Record<string, string>>;
  /** Per `component/service`, the image named and the id it ran; null when not known. */
  images: Readonly<Record<string, { image: string; imageId: string }>> | null;
}

const ABSENT = '(not set)';

/** `sha256:0123456789ab…`: enough to tell two apart in a sentence. */
function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  const short = (hex ?? '').length > 12 ? `${(hex ?? '').slice(0, 12)}…` : (hex ?? '');
  return algorithm ? `${algorithm}:${short}` : short;
}

function change(
  kind: RevisionChange['kind'],
  subject: string | null,
  from: string | null,
  to: string | null,
  words: string,
): RevisionChange {
  return { kind, subject, from, to, words };
}

/**
 * What going from one revision to another changes, in the order people check it: the app
 * version and profile, each parameter's value (old → new; a secret only "changed"), the
 * components' revisions, the images, and the deployment's digest. Nothing differing says so.
 */
export function revisionDifference(from: RevisionFacts, to: RevisionFacts): RevisionDifference {
  const changes: RevisionChange[] = [];
  if (from.version !== to.version) {
    changes.push(
      change('version', null, from.version, to.version, `version ${from.version} → ${to.version}`),
    );
  }
  if (from.profile !== to.profile) {
    changes.push(
      change('profile', null, from.profile, to.profile, `profile ${from.profile} → ${to.profile}`),
    );
  }
  const parameters = [...new Set([...Object.keys(from.values), ...Object.keys(to.values)])].sort();
  for (const name of parameters) {
    const a = from.values[name];
    const b = to.values[name];
    if (sameValue(a, b)) continue;
    if (from.secrets.includes(name) || to.secrets.includes(name)) {
      // A revision adopted from a device's record kept only the mask: nothing to compare.
      if (a === MASK || b === MASK) continue;
      const how = a === undefined ? 'set' : b === undefined ? 'no longer set' : 'changed';
      changes.push(change('value', name, null, null, `${name} ${how} (secret)`));
      continue;
    }
    const before = valueWords(a);
    const after = valueWords(b);
    changes.push(
      change('value', name, before, after, `${name}: ${before ?? ABSENT} → ${after ?? ABSENT}`),
    );
  }
  const components = [
    ...new Set([...Object.keys(from.components), ...Object.keys(to.components)]),
  ].sort();
  for (const name of components) {
    const a = from.components[name];
    const b = to.components[name];
    if (a === b) continue;
    const words =
      a === undefined
        ? `component ${name} added (${b})`
        : b === undefined
          ? `component ${name} no longer deployed`
          : `component ${name} ${a} → ${b}`;
    changes.push(change('component', name, a ?? null, b ?? null, words));
  }
  if (from.images && to.images) {
    const services = [...new Set([...Object.keys(from.images), ...Object.keys(to.images)])].sort();
    for (const service of services) {
      const a = from.images[service];
      const b = to.images[service];
      if (a && b && a.image === b.image && a.imageId === b.imageId) continue;
      const words =
        a === undefined
          ? `service ${service} added (image ${b?.image})`
          : b === undefined
            ? `service ${service} no longer runs`
            : a.image !== b.image
              ? `image of ${service}: ${a.image} → ${b.image}`
              : `image ${a.image} of ${service} changed (another build of the same name)`;
      changes.push(change('image', service, a?.image ?? null, b?.image ?? null, words));
    }
  }
  if (from.digest !== to.digest) {
    changes.push(
      change(
        'digest',
        null,
        from.digest,
        to.digest,
        `deployment digest ${shortDigest(from.digest)} → ${shortDigest(to.digest)}`,
      ),
    );
  }
  return {
    from: from.revision,
    to: to.revision,
    changes,
    words:
      changes.length > 0
        ? changes.map((c) => c.words).join('; ')
        : 'nothing differs: the same deployment',
  };
}
