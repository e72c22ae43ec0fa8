import { MASK } from '../configuration/secret-heuristic';
import type { ApplicationDeployment } from '../margo/application-deployment';

/**
 * The deployment as it may be shown or logged: the values of `secrets` replaced by a mask.
 * Only the deployment that goes to the device (and the owner-only file of it) has them.
 */
export function maskSecrets(
  deployment: ApplicationDeployment,
  secrets: readonly string[],
): ApplicationDeployment {
  const parameters = deployment.spec.parameters;
  if (!parameters || !secrets.some((s) => parameters[s] !== undefined)) return deployment;
  const masked = Object.fromEntries(
    Object.entries(parameters).map(([name, p]) => [
      name,
      secrets.includes(name) ? { ...p, value: MASK } : p,
    ]),
  );
  return { ...deployment, spec: { ...deployment.spec, parameters: masked } };
}
