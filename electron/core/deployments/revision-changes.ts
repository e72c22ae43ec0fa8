import { parse } from 'yaml';
import { deployedValues } from '../../../shared/application-deployment/deployment-values';
import {
  revisionDifference,
  type RevisionFacts,
} from '../../../shared/application-deployment/revision-difference';
import type { RevisionDifference, RevisionSummary } from '../../../shared/contract/deployments';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import {
  storedRevision,
  type DeploymentRecord,
  type StoredRevision,
} from '../store/deployment-journal';
import type { Store } from '../store/store';
import { RenderedRevision } from './docker/rendered-revision';

/** The secret parameters of a stored deployment (deployment-detail's `secretParameters`). */
export type SecretsOf = (
  deployment: Pick<DeploymentRecord, 'appId' | 'version' | 'profile'>,
  parsed: ApplicationDeployment,
) => string[];

/** Revisions of one deployment read once each, however many comparisons name them. */
class RevisionReader {
  private readonly read = new Map<number, RevisionFacts | null>();

  constructor(
    private readonly store: Store,
    private readonly deployment: DeploymentRecord,
    private readonly secretsOf: SecretsOf,
  ) {}

  facts(revision: number): RevisionFacts | null {
    if (!this.read.has(revision)) {
      const stored = storedRevision(this.store, this.deployment.id, revision);
      this.read.set(revision, stored ? this.factsOf(stored) : null);
    }
    return this.read.get(revision) ?? null;
  }

  private factsOf(stored: StoredRevision): RevisionFacts | null {
    let parsed: ApplicationDeployment;
    try {
      parsed = parse(stored.deployment) as ApplicationDeployment;
    } catch {
      return null;
    }
    if (!parsed?.spec?.deploymentProfile) return null;
    const rendered = RenderedRevision.safeParse(stored.rendered);
    return {
      revision: stored.revision,
      version: stored.version,
      profile: stored.profileId,
      digest: stored.digest,
      values: deployedValues(parsed),
      secrets: this.secretsOf(
        { appId: this.deployment.appId, version: stored.version, profile: stored.profileId },
        parsed,
      ),
      components: Object.fromEntries(
        parsed.spec.deploymentProfile.components.map((c) => [
          c.name,
          c.properties.revision ?? c.properties.packageLocation ?? '',
        ]),
      ),
      // Margo revisions and those adopted from a device's record have no rendered services.
      images: rendered.success
        ? Object.fromEntries(
            rendered.data.components.flatMap((c) =>
              c.services.map((s) => [
                `${c.name}/${s.name}`,
                { image: s.image, imageId: s.imageId },
              ]),
            ),
          )
        : null,
    };
  }

  difference(from: number, to: number): RevisionDifference | null {
    const a = this.facts(from);
    const b = this.facts(to);
    return a && b ? revisionDifference(a, b) : null;
  }
}

/**
 * Each revision with what differs from the one before it, and what a rollback to `rollbackTo`
 * would change back (from the current revision): the deployment's detail shows both, the
 * revisions table and the rollback dialog say them in words.
 */
export function revisionChanges(
  store: Store,
  deployment: DeploymentRecord,
  revisions: readonly RevisionSummary[],
  rollbackTo: number | null,
  secretsOf: SecretsOf,
): { revisions: RevisionSummary[]; rollbackChanges: RevisionDifference | null } {
  const reader = new RevisionReader(store, deployment, secretsOf);
  const numbers = revisions.map((r) => r.revision).sort((a, b) => a - b);
  return {
    revisions: revisions.map((r) => {
      const before = numbers.filter((n) => n < r.revision).at(-1);
      return { ...r, changes: before === undefined ? null : reader.difference(before, r.revision) };
    }),
    rollbackChanges:
      rollbackTo === null ? null : reader.difference(deployment.revision, rollbackTo),
  };
}
