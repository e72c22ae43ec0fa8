import {
  buildDeployment,
  type DeploymentBuild,
  type DeploymentRequest,
} from '../../../shared/application-deployment/build-deployment';
import { deploymentYaml } from '../../../shared/application-deployment/deployment-yaml';
import { maskSecrets } from '../../../shared/application-deployment/mask-secrets';
import { sha256Digest } from '../store/content-digest';
import { deploymentIdFor } from './deployment-id';

export type RenderedDeployment = Extract<DeploymentBuild, { ok: true }> & {
  /** The YAML that goes to the device, secrets included. */
  yaml: string;
  /** sha256 over exactly those bytes, as the desired state manifest lists it. */
  digest: string;
  /** The same YAML with secret values masked: for screens, terminals and logs. */
  maskedYaml: string;
};

/**
 * Renders the deployment of an application on a device: builds and checks it (shared code),
 * gives it its id (name-based UUID unless updating), serializes it deterministically and
 * digests the bytes.
 */
export function renderDeployment(
  request: Omit<DeploymentRequest, 'id'> & { id?: string },
): RenderedDeployment | Extract<DeploymentBuild, { ok: false }> {
  const id = request.id ?? deploymentIdFor(request.description.id, request.deviceId);
  const built = buildDeployment({ ...request, id });
  if (!built.ok) return built;
  const yaml = deploymentYaml(built.deployment);
  return {
    ...built,
    yaml,
    digest: sha256Digest(yaml),
    maskedYaml:
      built.secrets.length > 0
        ? deploymentYaml(maskSecrets(built.deployment, built.secrets))
        : yaml,
  };
}
