import { parse } from 'yaml';
import { buildFormModel } from '../../../shared/configuration/form-model';
import { isSecretParameter } from '../../../shared/configuration/secret-heuristic';
import { deploymentYaml } from '../../../shared/application-deployment/deployment-yaml';
import { maskSecrets } from '../../../shared/application-deployment/mask-secrets';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { showApplication } from '../store/catalog-reader';
import { rollbackCandidate } from './rollback-target';
import { revisionChanges, type SecretsOf } from './revision-changes';
import type { Store } from '../store/store';
import {
  componentStatuses,
  eventsOf,
  revisionsOf,
  storedRevision,
  type DeploymentDetail,
  type DeploymentRecord,
} from '../store/deployment-journal';

/** The names of a deployment's secret parameters, from its description (or by name alone). */
export function secretParameters(
  store: Store,
  deployment: Pick<DeploymentRecord, 'appId' | 'version' | 'profile'>,
  parsed: ApplicationDeployment,
): string[] {
  const app = showApplication(store.db, deployment.appId, deployment.version);
  const description = app?.document as ApplicationDescription | undefined;
  const profile = description?.deploymentProfiles.find((p) => p.id === deployment.profile);
  return description && profile
    ? buildFormModel(description, profile)
        .fields.filter((f) => f.secret)
        .map((f) => f.parameter)
    : Object.keys(parsed.spec.parameters ?? {}).filter((name) =>
        isSecretParameter(name, undefined),
      );
}

/** `secretParameters` read once per version and profile: a long history has few of them. */
export function secretsByVersion(store: Store): SecretsOf {
  const known = new Map<string, string[]>();
  return (deployment, parsed) => {
    const key = `${deployment.version}\n${deployment.profile}`;
    const secrets = known.get(key) ?? secretParameters(store, deployment, parsed);
    known.set(key, secrets);
    return secrets;
  };
}

/** A recorded ApplicationDeployment as it may be shown: secrets masked. */
export function maskedStoredDeployment(
  store: Store,
  deployment: DeploymentRecord,
  yaml: string,
): string {
  const parsed = parse(yaml) as ApplicationDeployment;
  return deploymentYaml(maskSecrets(parsed, secretParameters(store, deployment, parsed)));
}

/** `deployments show`: the record, its status per component, revisions, timeline and YAML. */
export function deploymentDetail(store: Store, deployment: DeploymentRecord): DeploymentDetail {
  const current = storedRevision(store, deployment.id, deployment.revision);
  const rollbackTo = rollbackCandidate(store, deployment);
  const changes = revisionChanges(
    store,
    deployment,
    revisionsOf(store, deployment.id),
    rollbackTo,
    secretsByVersion(store),
  );
  return {
    ...deployment,
    rollbackTo,
    rollbackChanges: changes.rollbackChanges,
    components: componentStatuses(store, deployment.id),
    revisions: changes.revisions,
    events: eventsOf(store, deployment.id),
    deployment: current ? maskedStoredDeployment(store, deployment, current.deployment) : '',
  };
}
