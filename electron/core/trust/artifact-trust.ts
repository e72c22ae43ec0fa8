import type {
  ArtifactTrust,
  ArtifactVerdict,
  TrustedArtifactKind,
} from '../../../shared/contract/trust';
import { ImageManifest } from '../../../shared/oci/descriptors';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { LayoutManifest } from '../kit/resolve-layout';
import { notarySignaturesIn } from '../signatures/notary/layout-signatures';
import {
  saveReevaluated,
  signatureManifestsOf,
  storedPackageVerdicts,
  storedSubject,
  storedTrust,
  storedTrustOfApp,
  type TrustRecord,
} from '../store/artifact-trust-table';
import { packageDocument, packageManifestDigest } from '../store/catalog-reader';
import type { Store } from '../store/store';
import { refDigest } from '../store/stored-refs';
import { repositoryOf } from './import-trust-check';
import {
  currentTrustVersion,
  judgeForOwner,
  policyLookup,
  type AppliedPolicy,
  type ArtifactOwner,
  type FoundSignatures,
} from './judge-artifact';
import type { PolicySubject } from './trust-policy';

/**
 * A stored verdict is judged again when the trust store or a policy changed since (the trust
 * version differs), or when it is this old: certificates and signatures expire while nothing
 * changes, and an hour-old verdict is the most a screen may show.
 */
export const MAX_VERDICT_AGE_MS = 60 * 60 * 1000;

/** An artifact of the store, as `artifactTrustOf` is asked about it. */
export interface StoredArtifact {
  digest: string;
  kind: TrustedArtifactKind;
  /** `id@version`, or the component's or image's reference. */
  name: string;
}

/**
 * The verdicts of one application version: its package, the components its profiles name
 * that the store holds, and the images that came with it — each judged under this
 * application's policy, again when the trust store or a policy changed since. Empty when the
 * version is not in the catalog.
 */
export function artifactTrustFor(store: Store, appId: string, version: string): ArtifactTrust[] {
  const manifest = packageManifestDigest(store.db, appId, version);
  if (!manifest) return [];
  const session = new Judging(store, appId, version);
  const wanted: StoredArtifact[] = [
    { digest: manifest, kind: 'package', name: `${appId}@${version}` },
  ];
  for (const ref of componentRefs(store, appId, version)) {
    const digest = refDigest(store, ref);
    if (digest) wanted.push({ digest, kind: 'component', name: ref });
  }
  for (const record of storedTrustOfApp(store, appId, version)) {
    if (record.kind === 'image') wanted.push(record);
  }
  const seen = new Set<string>();
  const results = wanted
    .filter((a) => !seen.has(a.digest) && seen.add(a.digest))
    .map((a) => session.trustOf(a));
  session.save();
  return results;
}

/**
 * The verdict of any stored artifact (a component or image a deployment sends), under the
 * policy of the application it is sent for, when one is given.
 */
export function artifactTrustOf(
  store: Store,
  artifact: StoredArtifact,
  app?: { id: string; version: string },
): ArtifactTrust {
  const session = new Judging(store, app?.id ?? '', app?.version ?? '');
  const result = session.trustOf(artifact);
  session.save();
  return result;
}

/**
 * The badge of a catalog row: the verdict on the package of each listed version. A page of the
 * catalog asks on every keystroke: the stored verdicts are read in one query, and only those
 * stale by `isFresh`'s rule are judged again (and saved), as `artifactTrustFor` would.
 */
export function packageVerdicts(
  store: Store,
  apps: readonly { id: string; version: string }[],
): ArtifactVerdict[] {
  const version = currentTrustVersion(store);
  const now = new Date();
  const stored = storedPackageVerdicts(store, apps);
  let policies: ((context: PolicySubject) => AppliedPolicy) | undefined;
  const pending: { record: TrustRecord; previousVerdict: string | undefined }[] = [];
  const verdicts = apps.map((app, i): ArtifactVerdict => {
    const found = stored[i];
    if (!found) return 'unsigned';
    if (found.stored && isFresh(found.stored, version, now)) return found.stored.verdict;
    policies ??= policyLookup(store);
    const session = new Judging(store, app.id, app.version, policies, version, pending, now);
    const artifact = {
      digest: found.digest,
      kind: 'package' as const,
      name: `${app.id}@${app.version}`,
    };
    return session.trustOf(artifact).verdict;
  });
  saveReevaluated(store, pending);
  return verdicts;
}

/** A stored verdict stands while the trust version is the same and it is not too old. */
function isFresh(
  stored: { trustVersion: string; evaluatedAt: string },
  version: string,
  now: Date,
): boolean {
  return (
    stored.trustVersion === version &&
    now.getTime() - Date.parse(stored.evaluatedAt) < MAX_VERDICT_AGE_MS
  );
}

/** Judging (again) the artifacts of one application version, and saving what changed. */
class Judging {
  private owner: ArtifactOwner | undefined | null = null;

  constructor(
    private readonly store: Store,
    private readonly appId: string,
    private readonly appVersion: string,
    private readonly policies: (context: PolicySubject) => AppliedPolicy = policyLookup(store),
    private readonly version: string = currentTrustVersion(store),
    private readonly pending: { record: TrustRecord; previousVerdict: string | undefined }[] = [],
    private readonly now = new Date(),
  ) {}

  trustOf(artifact: StoredArtifact): ArtifactTrust {
    const stored = storedTrust(this.store, artifact.digest, this.appId, this.appVersion);
    if (stored && isFresh(stored, this.version, this.now)) return stored.result;
    const subject = storedSubject(this.store, artifact.digest);
    const name = stored?.name ?? artifact.name;
    const kind = stored?.kind ?? artifact.kind;
    const repository = stored?.repository ?? repositoryOf(name);
    const { result, organization } = judgeForOwner(
      this.policies,
      {
        kind,
        name,
        subject: {
          digest: artifact.digest,
          mediaType: subject?.mediaType ?? '',
          size: subject?.size ?? 0,
        },
      },
      this.ownerOf(),
      repository,
      storedSignatures(this.store, artifact.digest),
      this.now,
    );
    this.pending.push({
      record: {
        digest: artifact.digest,
        kind,
        name,
        appId: this.appId,
        appVersion: this.appVersion,
        organization,
        repository,
        result,
        trustVersion: this.version,
        evaluatedAt: this.now.toISOString(),
      },
      previousVerdict: stored?.result.verdict,
    });
    return result;
  }

  save(): void {
    saveReevaluated(this.store, this.pending);
  }

  private ownerOf(): ArtifactOwner | undefined {
    if (this.owner !== null) return this.owner;
    const text = this.appId
      ? packageDocument(this.store.db, this.appId, this.appVersion)
      : undefined;
    const description = text ? (JSON.parse(text) as ApplicationDescription) : undefined;
    this.owner = description
      ? {
          id: this.appId,
          organizations: description.metadata.catalog.organization.map((o) => o.name),
        }
      : this.appId
        ? { id: this.appId, organizations: [] }
        : undefined;
    return this.owner;
  }
}

/** The signatures the store keeps for an artifact, read back as a layout would hold them. */
function storedSignatures(store: Store, subject: string): FoundSignatures {
  const manifests = new Map<string, LayoutManifest>();
  for (const digest of signatureManifestsOf(store, subject)) {
    const stored = storedSubject(store, digest);
    if (!stored) continue;
    const parsed = ImageManifest.safeParse(JSON.parse(store.blobs.read(digest).toString('utf8')));
    if (!parsed.success) continue;
    manifests.set(digest, {
      digest,
      mediaType: stored.mediaType,
      size: stored.size,
      kind: 'other',
      artifactType: parsed.data.artifactType,
      manifest: parsed.data,
      children: [parsed.data.config, ...parsed.data.layers],
    });
  }
  return {
    refs: notarySignaturesIn(manifests).get(subject) ?? [],
    readBlob: (digest) => store.blobs.read(digest),
  };
}

/** The references of the components an application version's profiles name. */
function componentRefs(store: Store, appId: string, version: string): string[] {
  const text = packageDocument(store.db, appId, version);
  if (!text) return [];
  const description = JSON.parse(text) as ApplicationDescription;
  const refs = new Set<string>();
  for (const profile of description.deploymentProfiles) {
    for (const c of profile.components) {
      const { repository, revision } = c.properties;
      if (repository?.startsWith('oci://') && revision)
        refs.add(`${repository.slice('oci://'.length)}:${revision}`);
    }
  }
  return [...refs];
}
