import type { ArtifactTrust, TrustedArtifactKind } from '../../../shared/contract/trust';
import type { ItemKind } from '../../../shared/contract/import-report';
import type { LayoutManifest } from '../kit/resolve-layout';
import { notarySignaturesIn } from '../signatures/notary/layout-signatures';
import { signatureManifestsOf, storedTrust, type TrustRecord } from '../store/artifact-trust-table';
import type { Store } from '../store/store';
import {
  currentTrustVersion,
  judgeForOwner,
  policyLookup,
  stricter,
  type FoundSignatures,
} from './judge-artifact';

/** A root of a source that is being imported (or is already in the store unchanged). */
export interface ImportedArtifact {
  kind: ItemKind;
  /** The reference it is stored under. */
  ref: string;
  digest: string;
  mediaType: string;
  size: number;
  /** Packages: the application id, version and organizations. */
  id?: string;
  version?: string;
  organizations?: string[];
}

export interface ImportTrustCheck {
  /** One verdict per artifact, under the strictest policy that applies to it (the report's). */
  verdicts: ArtifactTrust[];
  /**
   * Verdicts to store, per application version the artifact came with: only where the store
   * has none yet or new signatures came (re-importing an unchanged kit writes nothing).
   */
  records: TrustRecord[];
  /** Signature manifests to keep with what they sign, those the store does not have yet. */
  signatures: { subject: string; manifestDigest: string }[];
  /** Set when a strict policy refuses the source: names each artifact, the check and the scope. */
  refusal?: string;
}

const MAX_NAMED = 3;

/**
 * The trust check of one source, after its digests were verified and before anything is
 * committed: every package, component and image it brings is judged under the policy of the
 * application it comes with (a component or image under each package of the source, and the
 * strictest wins), its organization, and its repository. A strict policy that an artifact
 * does not satisfy refuses the whole source; audit records and warns; skip records only.
 */
export function checkImportTrust(
  store: Store,
  artifacts: readonly ImportedArtifact[],
  manifests: Map<string, LayoutManifest>,
  readBlob: (digest: string) => Buffer,
  now = new Date(),
): ImportTrustCheck {
  const found = notarySignaturesIn(manifests);
  const packages = artifacts.filter((a) => a.kind === 'application');
  const version = currentTrustVersion(store);
  const policies = policyLookup(store);
  const check: ImportTrustCheck = { verdicts: [], records: [], signatures: [] };
  for (const artifact of artifacts) {
    const refs = found.get(artifact.digest) ?? [];
    const signatures: FoundSignatures = { refs, readBlob };
    const kind = trustedKind(artifact.kind);
    const name =
      artifact.kind === 'application' && artifact.id
        ? `${artifact.id}@${artifact.version}`
        : artifact.ref;
    const repository = repositoryOf(artifact.ref);
    const known = new Set(signatureManifestsOf(store, artifact.digest));
    const fresh = refs.filter((r) => !known.has(r.manifestDigest));
    const owners =
      artifact.kind === 'application' ? [artifact] : packages.length > 0 ? packages : [undefined];
    let shown: ArtifactTrust | undefined;
    for (const owner of owners) {
      const strictest = judgeForOwner(
        policies,
        { kind, name, subject: artifact },
        owner?.id ? { id: owner.id, organizations: owner.organizations ?? [] } : undefined,
        repository,
        signatures,
        now,
      );
      const appId = owner?.id ?? '';
      const appVersion = owner?.version ?? '';
      if (fresh.length > 0 || !storedTrust(store, artifact.digest, appId, appVersion))
        check.records.push({
          digest: artifact.digest,
          kind,
          name,
          appId,
          appVersion,
          organization: strictest.organization,
          repository,
          result: strictest.result,
          trustVersion: version,
          evaluatedAt: now.toISOString(),
        });
      if (!shown || stricter(strictest.result, shown)) shown = strictest.result;
    }
    if (shown) check.verdicts.push(shown);
    for (const ref of fresh)
      check.signatures.push({ subject: artifact.digest, manifestDigest: ref.manifestDigest });
  }
  const refused = check.verdicts.filter(
    (v) => v.policy.level === 'strict' && v.verdict !== 'verified',
  );
  if (refused.length > 0) check.refusal = refusalMessage(refused);
  return check;
}

/** One sentence per refused artifact (the first few), each naming what failed and which policy. */
function refusalMessage(refused: readonly ArtifactTrust[]): string {
  const named = refused.slice(0, MAX_NAMED).map((v) => {
    const what = `${KIND_WORD[v.kind]} ${v.name} (${v.artifact})`;
    const failed =
      v.verdict === 'unsigned'
        ? 'is not signed'
        : `has no signature that verifies (${v.reason ?? 'invalid signature'})`;
    return `${what} ${failed}, and the trust policy for ${v.policy.scope ?? '*'} requires a trusted signature`;
  });
  const more = refused.length - named.length;
  return `${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}. Nothing of this source was imported: get a kit signed by a trusted supplier, or add the supplier's certificate to the trust store`;
}

const KIND_WORD: Record<TrustedArtifactKind, string> = {
  package: 'package',
  component: 'component',
  image: 'image',
};

export function trustedKind(kind: ItemKind): TrustedArtifactKind {
  return kind === 'application' ? 'package' : kind === 'image' ? 'image' : 'component';
}

/** `registry/repository` of `registry/repository:tag` (or `@digest`); null for `id:version`. */
export function repositoryOf(ref: string): string | null {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  const repository = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
  return repository.includes('/') ? repository : null;
}
